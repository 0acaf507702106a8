"""Receive, draw, administer, waste with a witness, and the rules that keep every milligram accounted for."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.ledger import services
from ketaclinic.ledger.models import Container, Entry, Stock
from ketaclinic.ledger.tests.conftest import receive, sign


def stock(clinic, product):
    return Stock.objects.get(clinic=clinic, product=product)


def test_a_receipt_makes_one_container_and_one_entry_per_vial(westside, k50, bob):
    receipt = receive(westside, k50, bob, n=3)
    assert [c.label for c in receipt.containers.order_by("number")] == [f"WS-{receipt.pk}-01", f"WS-{receipt.pk}-02", f"WS-{receipt.pk}-03"]
    assert receipt.supplier.dea_number == "PH1234567" and receipt.location.name == "Locked cabinet"
    entries = Entry.objects.filter(kind="receive").order_by("stock_seq")
    assert [e.stock_balance_mg for e in entries] == [D("500"), D("1000"), D("1500")]
    assert [e.stock_balance_ml for e in entries] == [D("10"), D("20"), D("30")]
    assert (stock(westside, k50).balance_mg, stock(westside, k50).balance_ml) == (D("1500"), D("30"))
    assert AuditEvent.objects.filter(object_type="ledger_receipt", object_id=str(receipt.pk)).exists()


def test_a_receipt_names_every_bad_field(westside, k50, bob):
    with pytest.raises(ValidationError) as error:
        receive(westside, k50, bob, n=0, supplier_dea_number="123", lot_number="", invoice_number=" ")
    assert set(error.value.message_dict) >= {"containers_received", "lot_number", "invoice_number"}
    with pytest.raises(ValidationError) as error:
        receive(westside, k50, bob, supplier_dea_number="123")
    assert "supplier_dea_number" in error.value.message_dict
    assert not Container.objects.exists()


def test_a_draw_opens_a_sealed_vial_and_moves_both_balances(vial, bob, patient):
    draw = services.draw(vial, patient=patient, amount_ml="0.70", acting_user=bob)
    vial.refresh_from_db()
    assert vial.status == "open" and vial.opened_at is not None
    assert [e.kind for e in Entry.objects.filter(container=vial).order_by("container_seq")] == ["receive", "open", "draw"]
    assert (draw.amount_mg, draw.container_balance_mg, draw.container_balance_ml) == (D("35"), D("465"), D("9.30"))
    assert (draw.draw_balance_mg, draw.stock_balance_mg) == (D("35"), D("465"))


def test_a_draw_larger_than_the_vials_balance_is_refused(vial, bob, patient):
    services.draw(vial, patient=patient, amount_ml="9.50", acting_user=bob)
    with pytest.raises(ValidationError) as error:
        services.draw(vial, patient=patient, amount_ml="0.60", acting_user=bob)
    assert "only 25 mg (0.5 mL) is left" in error.value.message_dict["amount_ml"][0]
    vial.refresh_from_db()
    assert vial.balance_ml == D("0.50") and Entry.objects.filter(kind="draw").count() == 1


def test_a_draw_needs_a_patient_of_the_clinic(vial, bob, pasadena_patient):
    with pytest.raises(ValidationError) as error:
        services.draw(vial, patient=pasadena_patient, amount_ml="1", acting_user=bob)
    assert "patient" in error.value.message_dict


def test_administered_plus_wasted_can_never_exceed_drawn(westside, vial, bob, alice, patient):
    draw = services.draw(vial, patient=patient, amount_ml="0.80", acting_user=bob)
    given = services.administer(draw, amount_ml="0.70", acting_user=bob)
    assert given.draw_balance_ml == D("0.10") and given.patient == patient
    with pytest.raises(ValidationError, match="not yet administered or wasted"):
        services.waste_from_syringe(draw, amount_ml="0.20", method="disposal_system", acting_user=bob, witness=sign(westside, bob, alice))
    wasted = services.waste_from_syringe(draw, method="disposal_system", acting_user=bob, witness=sign(westside, bob, alice))
    assert (wasted.amount_ml, wasted.draw_balance_ml, wasted.witness) == (D("0.10"), D("0"), alice)
    with pytest.raises(ValidationError):
        services.administer(draw, amount_ml="0.01", acting_user=bob)


def test_a_waste_without_a_valid_witness_is_refused(westside, vial, bob, alice, patient):
    draw = services.draw(vial, patient=patient, amount_ml="1", acting_user=bob)
    with pytest.raises(ValidationError) as error:
        services.waste_from_syringe(draw, method="disposal_system", acting_user=bob, witness=None)
    assert "witness_username" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        sign(westside, bob, alice, password="wrong-password")
    assert "do not match" in error.value.message_dict["witness_password"][0]
    assert not Entry.objects.filter(kind="waste").exists()


def test_a_witness_cannot_be_the_person_wasting(westside, vial, bob, patient):
    draw = services.draw(vial, patient=patient, amount_ml="1", acting_user=bob)
    with pytest.raises(ValidationError) as error:
        sign(westside, bob, bob)
    assert "second person" in error.value.message_dict["witness_username"][0]
    forged = services.WitnessSignature(user=bob, clinic_id=westside.pk, signed_at=draw.at)
    with pytest.raises(ValidationError, match="second person"):
        services.waste_from_syringe(draw, method="disposal_system", acting_user=bob, witness=forged)


def test_the_witness_is_a_licensed_person_of_this_clinic(westside, vial, bob, frontdesk, charlie, crna, patient):
    with pytest.raises(ValidationError, match="physician, RN or CRNA at Westside"):
        sign(westside, bob, frontdesk)
    with pytest.raises(ValidationError, match="physician, RN or CRNA at Westside"):
        sign(westside, bob, charlie)
    assert sign(westside, bob, crna).user == crna


def test_the_remainder_of_an_opened_vial_is_wasted_with_a_witness(westside, vial, bob, alice, patient):
    services.draw(vial, patient=patient, amount_ml="1", acting_user=bob)
    entry = services.waste_from_container(vial, method="sink", acting_user=bob, witness=sign(westside, bob, alice))
    vial.refresh_from_db()
    assert (entry.amount_ml, entry.container_balance_ml, vial.status) == (D("9.00"), D("0"), "empty")


def test_a_reversing_entry_restores_the_balance_and_both_entries_remain(vial, bob, patient):
    draw = services.draw(vial, patient=patient, amount_ml="2", acting_user=bob)
    given = services.administer(draw, amount_ml="2", acting_user=bob)
    with pytest.raises(ValidationError, match="reverse the administrations"):
        services.reverse(draw, reason="Drawn for the wrong patient", acting_user=bob)
    undo_dose = services.reverse(given, reason="Entered twice", acting_user=bob)
    undo_draw = services.reverse(draw, reason="Drawn in error, returned to vial", acting_user=bob)
    vial.refresh_from_db()
    assert vial.balance_ml == D("10") and vial.status == "open"
    assert (undo_draw.reverses, undo_dose.reverses) == (draw, given)
    assert (undo_draw.draw_balance_ml, undo_dose.draw_balance_ml) == (D("0"), D("2"))
    assert Entry.objects.filter(pk__in=[draw.pk, given.pk, undo_dose.pk, undo_draw.pk]).count() == 4
    with pytest.raises(ValidationError, match="already been reversed"):
        services.reverse(given, reason="again", acting_user=bob)


def test_only_physicians_and_nurses_move_stock(vial, frontdesk, billing, charlie, patient):
    for user in (frontdesk, billing, charlie):
        with pytest.raises(PermissionDenied):
            services.draw(vial, patient=patient, amount_ml="1", acting_user=user)


def test_return_disposal_and_loss_empty_the_container_with_their_records(westside, k50, bob):
    a, b, c = receive(westside, k50, bob, n=3).containers.order_by("number")
    services.return_to_supplier(a, counterparty="Henry Schein", acting_user=bob)
    with pytest.raises(ValidationError) as error:
        services.dispose_expired(b, counterparty="", dea_form_reference="", acting_user=bob)
    assert set(error.value.message_dict) == {"counterparty", "dea_form_reference"}
    services.dispose_expired(b, counterparty="EXP Pharmaceutical", dea_form_reference="Form 41 #A-77", acting_user=bob)
    with pytest.raises(ValidationError) as error:
        services.record_loss(c, dea_form_reference="", note="", acting_user=bob)
    assert set(error.value.message_dict) == {"dea_form_reference", "note"}
    loss = services.record_loss(c, amount_ml="2", dea_form_reference="DEA-106-2026-0042", note="Vial cracked in transit", acting_user=bob)
    assert loss.container_balance_ml == D("8")
    assert [x.status for x in Container.objects.order_by("number")] == ["returned", "expired", "sealed"]
    assert stock(westside, k50).balance_ml == D("8")


def test_a_transfer_moves_the_container_and_both_clinics_stock(westside, network, k50, bob):
    from conftest import make_clinic

    eastside = make_clinic(network, "Eastside", "ES")
    Role_ = Role.NURSE_RN
    from ketaclinic.accounts.models import Membership

    Membership.objects.create(user=bob, clinic=eastside, role=Role_)
    container = receive(westside, k50, bob, n=1).containers.get()
    out = services.transfer(container, to_clinic=eastside, acting_user=bob)
    container.refresh_from_db()
    assert container.clinic == eastside and container.location.clinic == eastside
    assert stock(westside, k50).balance_mg == 0 and stock(eastside, k50).balance_mg == D("500")
    arrived = Entry.objects.get(transfer_peer=out)
    assert (arrived.kind, arrived.clinic, arrived.container_balance_mg) == ("transfer_in", eastside, D("500"))


def test_a_transfer_needs_rights_at_both_clinics(westside, network, k50, bob, pasadena):
    from conftest import make_clinic

    eastside = make_clinic(network, "Eastside", "ES")
    container = receive(westside, k50, bob, n=1).containers.get()
    for clinic in (eastside, pasadena):
        with pytest.raises(ValidationError) as error:
            services.transfer(container, to_clinic=clinic, acting_user=bob)
        assert "to_clinic" in error.value.message_dict


def test_an_expired_vial_cannot_be_drawn(westside, k50, bob, patient, time_machine):
    container = receive(westside, k50, bob, n=1).containers.get()
    time_machine.move_to(container.expires_on.isoformat() + "T23:00:00-08:00")
    time_machine.shift(86400)
    with pytest.raises(ValidationError, match="expired on"):
        services.draw(container, patient=patient, amount_ml="1", acting_user=bob)


def test_esketamine_devices_are_drawn_whole(westside, spravato, bob, patient):
    receipt = receive(westside, spravato, bob, n=3)
    device = receipt.containers.first()
    with pytest.raises(ValidationError, match="whole number of 28 mg devices"):
        services.draw(device, patient=patient, amount_mg="14", acting_user=bob)
    draw = services.draw(device, patient=patient, amount_mg="28", acting_user=bob)
    services.administer(draw, amount_mg="28", acting_user=bob)
    device.refresh_from_db()
    assert device.status == "empty" and stock(westside, spravato).balance_mg == D("56")
    assert stock(westside, spravato).balance_ml is None


def test_every_movement_writes_an_audit_row(vial, bob, patient):
    draw = services.draw(vial, patient=patient, amount_ml="1", acting_user=bob)
    row = AuditEvent.objects.get(object_type="ledger_entry", object_id=str(draw.pk))
    assert row.patient_id == patient.pk and row.changes["amount_ml"] == [None, "1.00"]


def test_a_second_nurse_can_draw_from_the_same_vial(westside, vial, bob, patient):
    other = make_staff("nurse2", westside, Role.NURSE_RN)
    services.draw(vial, patient=patient, amount_ml="1", acting_user=bob)
    second = services.draw(vial, patient=patient, amount_ml="1", acting_user=other)
    assert second.container_seq == 4 and second.container_balance_ml == D("8")
