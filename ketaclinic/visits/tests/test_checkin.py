import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from conftest import make_patient
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.visits.models import ChecklistItem, DoseOrder, Hold, Visit
from ketaclinic.visits.services import checkin
from ketaclinic.visits.tests.conftest import check_in, do_checklist, reading


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_check_in_opens_a_visit_with_the_clinic_protocol_and_an_audit_row(patient, bob):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    assert (visit.status, visit.observation_min_required, visit.weight_kg) == ("checked_in", 60, Decimal("70.0"))
    assert visit.protocol.is_shipped_default
    assert AuditEvent.objects.filter(object_type="visit", action="create", patient_id=patient.pk, actor=bob).exists()


def test_a_patient_has_one_open_visit_at_a_time(patient, bob):
    checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        checkin.check_in(patient, route="esketamine", acting_user=bob)
    assert errors(excinfo) == {"patient": ["This patient already has an open visit; finish or cancel it first."]}
    assert Visit.objects.count() == 1


def test_an_unknown_route_is_refused(patient, bob):
    with pytest.raises(ValidationError, match="route"):
        checkin.check_in(patient, route="oral", acting_user=bob)


def test_an_old_weight_must_be_measured_again(westside, bob, clock):
    old = make_patient(westside, 5, measured_on=dt.date(2026, 10, 18))  # 31 days before T0 (11/18)
    visit = checkin.check_in(old, route="iv-ketamine", acting_user=bob)
    line = next(ln for ln in checkin.checklist(visit) if ln.item == "weight")
    assert visit.weight_kg is None and line.required and not line.done
    assert "no weight within the protocol's 30 days" in line.detail


def test_recording_the_weight_updates_the_visit_and_the_chart(westside, bob, clock):
    old = make_patient(westside, 5, measured_on=dt.date(2026, 9, 1))
    visit = checkin.check_in(old, route="iv-ketamine", acting_user=bob)
    checkin.record_check(visit, "weight", data={"weight_kg": Decimal("72.4")}, acting_user=bob)
    visit.refresh_from_db()
    old.refresh_from_db()
    assert visit.weight_kg == Decimal("72.4") and old.weight_kg == Decimal("72.4") and old.measured_on == dt.date(2026, 11, 18)


@pytest.mark.parametrize("weight, message", [("500", "Enter a weight from 20 to 400 kg."), ("", "Enter a number.")])
def test_an_impossible_weight_names_the_field(patient, bob, weight, message):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        checkin.record_check(visit, "weight", data={"weight_kg": weight}, acting_user=bob)
    assert errors(excinfo) == {"weight_kg": [message]}


def test_the_physician_enters_the_order_and_a_nurse_cannot(patient, alice, bob):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    with pytest.raises(ValidationError, match="Only a physician"):
        checkin.enter_order(visit, data={"dose_mg_per_kg": "0.5", "infusion_duration_min": 40}, acting_user=bob)
    order = checkin.enter_order(visit, data={"dose_mg_per_kg": "0.5", "infusion_duration_min": 40}, acting_user=alice)
    assert (order.source, order.dose_mg_per_kg, order.ordered_by) == ("physician", Decimal("0.5"), alice)


def test_a_dose_above_the_clinic_limit_needs_an_override_with_a_reason(patient, alice, bob):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    data = {"dose_mg_per_kg": Decimal("1.1"), "infusion_duration_min": 40}
    with pytest.raises(ValidationError) as excinfo:
        checkin.enter_order(visit, data=data, acting_user=alice)
    assert "above the clinic's 1.00 mg/kg limit" in errors(excinfo)["override_reason"][0]
    checkin.enter_order(visit, data={**data, "dose_mg_per_kg": Decimal("1.0")}, acting_user=alice)  # 1.0 itself is allowed
    order = checkin.enter_order(visit, data={**data, "physician_override": True, "override_reason": "Partial response at 1.0"},
                                acting_user=alice)
    assert order.physician_override and DoseOrder.objects.count() == 1


def test_an_esketamine_order_is_56_or_84_mg(patient, alice, bob):
    visit = checkin.check_in(patient, route="esketamine", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        checkin.enter_order(visit, data={"esketamine_dose_mg": 70}, acting_user=alice)
    assert errors(excinfo) == {"esketamine_dose_mg": ["70 is not one of (56, 84) mg"]}


@pytest.mark.parametrize("item, data, field", [
    ("identity", {}, "confirmed"),
    ("fasting", {"confirmed": False}, "confirmed"),
    ("ride", {"ride_name": "Robin"}, "ride_phone"),
    ("ride", {"ride_name": "Robin", "ride_phone": "call me"}, "ride_phone"),
    ("pregnancy", {"pregnancy_status": ""}, "pregnancy_status"),
    ("pregnancy", {"pregnancy_status": "not_applicable"}, "note"),
    ("medications", {"benzodiazepines": True}, "psychostimulants"),
    ("pre_session_scale", {}, "note"),
])
def test_each_item_names_what_is_missing(patient, bob, item, data, field):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        checkin.record_check(visit, item, data=data, acting_user=bob)
    assert field in errors(excinfo)
    assert not ChecklistItem.objects.exists()


def test_medications_taken_need_details(patient, bob):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    answers = {k: False for k in checkin.MEDICATION_KEYS} | {"benzodiazepines": True}
    with pytest.raises(ValidationError) as excinfo:
        checkin.record_check(visit, "medications", data=answers, acting_user=bob)
    assert errors(excinfo) == {"details": ["Name the medications and when they were last taken."]}
    entry = checkin.record_check(visit, "medications", data={**answers, "details": "lorazepam 0.5 mg last night"}, acting_user=bob)
    assert entry.value["benzodiazepines"] is True


def test_each_item_records_who_and_when_and_re_recording_is_audited(patient, bob, dana, clock):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    checkin.record_check(visit, "identity", data={"confirmed": True}, acting_user=bob)
    entry = checkin.record_check(visit, "identity", data={"confirmed": True}, acting_user=dana)
    assert (entry.recorded_by, ChecklistItem.objects.count()) == (dana, 1)
    assert AuditEvent.objects.filter(object_type="checklist_item").count() == 2


def test_consent_is_asked_of_intake_and_refused_without_a_signed_decision(patient, alice, bob):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError, match="No current signed consent and candidacy decision for IV ketamine"):
        checkin.record_check(visit, "consent_plan", data={"confirmed": True}, acting_user=bob)


def test_consent_needs_todays_order(patient, bob, consented):
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    with pytest.raises(ValidationError, match="There is no order for today"):
        checkin.record_check(visit, "consent_plan", data={"confirmed": True}, acting_user=bob)


def test_consent_for_the_other_route_does_not_count(patient, alice, bob, monkeypatch):
    from ketaclinic.visits import integrations

    monkeypatch.setattr(integrations, "approved_routes", lambda p: {"esketamine"})
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError, match="IV ketamine"):
        checkin.record_check(visit, "consent_plan", data={"confirmed": True}, acting_user=bob)


def test_a_pregnant_patient_is_on_hold_for_a_physician(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice)
    checkin.record_check(visit, "pregnancy", data={"pregnancy_status": "pregnant"}, acting_user=bob)
    hold = Hold.objects.get(visit=visit, kind="pregnancy")
    assert "On hold: Pregnant or possibly pregnant: physician to decide" in checkin.dosing_blockers(visit)
    with pytest.raises(ValidationError, match="Only a physician"):
        checkin.override_hold(hold, reason="ok", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        checkin.override_hold(hold, reason=" ", acting_user=alice)
    assert errors(excinfo) == {"reason": ["Say why dosing may go ahead."]}
    checkin.override_hold(hold, reason="Discussed risks; obstetric team agrees", acting_user=alice)
    assert not any(b.startswith("On hold") for b in checkin.dosing_blockers(visit))


def test_a_man_is_not_asked_about_pregnancy(westside, alice, bob):
    man = make_patient(westside, 6, sex_at_birth="male")
    visit = check_in(man, bob, alice)
    assert not next(ln for ln in checkin.checklist(visit) if ln.item == "pregnancy").required


def test_the_checklist_is_complete_only_with_every_required_item(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice)
    do_checklist(visit, bob, skip=("fasting",))
    reading(visit, bob)
    assert checkin.dosing_blockers(visit) == ["Checklist: fasting confirmed"]
    do_checklist(visit, bob)
    assert checkin.dosing_blockers(visit) == []


def test_esketamine_cannot_start_without_clinic_certification_and_patient_enrolment(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice, route="esketamine")
    do_checklist(visit, bob)
    reading(visit, bob)
    line = next(ln for ln in checkin.checklist(visit) if ln.item == "rems")
    assert line.detail == ("Cannot start: the clinic's REMS certification is not on file and the patient is not enrolled "
                           "in the SPRAVATO REMS.")
    assert checkin.dosing_blockers(visit) == ["Checklist: rems: clinic certified and patient enrolled"]


def test_esketamine_is_ready_once_certified_and_enrolled(patient, alice, bob, consented, enrolled):
    visit = check_in(patient, bob, alice, route="esketamine")
    do_checklist(visit, bob)
    reading(visit, bob)
    assert checkin.dosing_blockers(visit) == []
    assert not next(ln for ln in checkin.checklist(visit) if ln.item == "weight").required  # a fixed dose


def test_cancel_needs_a_reason_and_only_before_dosing(patient, alice, bob):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError) as excinfo:
        checkin.cancel_visit(visit, reason="", acting_user=bob)
    assert errors(excinfo) == {"reason": ["Say why the visit is cancelled."]}
    checkin.cancel_visit(visit, reason="Patient unwell", acting_user=bob)
    visit.refresh_from_db()
    assert visit.status == "cancelled" and visit.cancel_reason == "Patient unwell"
