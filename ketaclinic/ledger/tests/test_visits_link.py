"""A draw is for the visit under way; the administration carries the visit's dose record (patient, date, amount)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_patient
from ketaclinic.ledger import reports, services
from ketaclinic.ledger.models import Entry
from ketaclinic.ledger.tests.conftest import PASSWORD
from ketaclinic.visits.services import checkin, dosing

IV_ORDER = {"dose_mg_per_kg": D("0.5"), "infusion_duration_min": 40, "weight_basis": "actual"}


def iv_visit(patient, nurse, physician, lot="L2401", concentration="50"):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=nurse, chair="Chair 3")
    checkin.enter_order(visit, data=IV_ORDER, acting_user=physician)
    if visit.weight_kg is None:
        checkin.record_check(visit, "weight", data={"weight_kg": D("70.0")}, acting_user=nurse)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=D(concentration), diluent_ml=D("98.3"), lot_number=lot,
                                  acting_user=nurse)
    return visit, dose


def test_a_draw_for_a_visit_and_an_administration_linked_to_its_dose_record(vial, bob, alice, patient):
    visit, dose = iv_visit(patient, bob, alice)  # 35 mg = 0.70 mL at 50 mg/mL
    draw = services.draw(vial, patient=patient, visit=visit, amount_ml="0.80", acting_user=bob)
    given = services.administer(draw, dose=dose, acting_user=bob)  # no amount: the dose record's volume
    assert (given.visit, given.dose, given.amount_ml, given.amount_mg) == (visit, dose, D("0.70"), D("35"))
    row = reports.dispensing_record(vial.clinic, given.at.date(), given.at.date())[0]
    assert row.entry == given and row.patient_name == "Núñez, Patricia"


def test_a_dose_record_of_another_lot_or_patient_is_refused(westside, vial, bob, alice, patient):
    visit, dose = iv_visit(patient, bob, alice, lot="OTHER-LOT")
    draw = services.draw(vial, patient=patient, visit=visit, amount_ml="0.80", acting_user=bob)
    with pytest.raises(ValidationError, match="names lot OTHER-LOT and this vial is lot L2401"):
        services.administer(draw, dose=dose, acting_user=bob)
    other = make_patient(westside, 7)
    other_visit, _ = iv_visit(other, bob, alice)
    with pytest.raises(ValidationError) as error:
        services.draw(vial, patient=patient, visit=other_visit, amount_ml="1", acting_user=bob)
    assert "visit" in error.value.message_dict


def test_the_draw_page_offers_the_visits_under_way(client_for, bob, alice, vial, patient):
    visit, dose = iv_visit(patient, bob, alice)
    client = client_for(bob)
    page = client.get(reverse("ledger:draw", args=[vial.pk])).text
    assert "Chair 3: Núñez, Patricia (IV ketamine)" in page
    response = client.post(reverse("ledger:draw", args=[vial.pk]), {"visit": visit.pk, "amount_ml": "0.80"})
    draw = Entry.objects.get(kind="draw")
    assert (draw.visit, draw.patient) == (visit, patient)
    assert "35 mg in 0.7 mL, lot L2401" in client.get(response.url).text
    client.post(reverse("ledger:administer", args=[draw.pk]), {"dose": dose.pk, "amount_ml": "0.70"})
    client.post(reverse("ledger:waste", args=[draw.pk]), {"method": "sink", "witness_username": "alice", "witness_password": PASSWORD})
    assert list(Entry.objects.filter(draw=draw).order_by("container_seq").values_list("kind", "visit_id", "dose_id")) == [
        ("administer", visit.pk, dose.pk), ("waste", visit.pk, None)]
