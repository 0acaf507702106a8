from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.visits.models import ClinicalEvent, DoseAdministration, Hold, Visit
from ketaclinic.visits.services import checkin, dosing, vitals
from ketaclinic.visits.tests.conftest import check_in, do_checklist, minutes, ready_iv, reading


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- holds --------------------------------------------------------------------------------------------------------
def test_a_predose_bp_at_the_hold_line_holds_and_one_below_does_not(patient, alice, bob, consented, clock):
    visit = check_in(patient, bob, alice)
    reading(visit, bob, systolic_mmhg=159, diastolic_mmhg=99)  # caution only (> 140 / > 90)
    assert not Hold.objects.exists()
    clock.shift(minutes(1))
    reading(visit, bob, systolic_mmhg=160, diastolic_mmhg=99)  # ≥ 160 holds
    assert Hold.objects.get().is_open


def test_a_late_older_reading_neither_opens_nor_clears_a_hold(patient, alice, bob, consented, clock):
    visit = check_in(patient, bob, alice)
    before = timezone.now()
    clock.shift(minutes(10))
    reading(visit, bob, systolic_mmhg=170)
    hold = Hold.objects.get()
    reading(visit, bob, at=before, key="older")  # measured before the hold, arriving after it
    hold.refresh_from_db()
    assert hold.is_open


def test_dosing_cannot_start_on_hold_until_a_recheck_passes(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    clock.shift(minutes(1))
    reading(visit, bob, diastolic_mmhg=104)  # ≥ 100 after the good one: on hold again
    with pytest.raises(ValidationError, match="On hold: Diastolic 104 mmHg ≥ 100"):
        dosing.start_infusion(dose, acting_user=bob)
    clock.shift(minutes(8))
    reading(visit, bob, diastolic_mmhg=88)
    dosing.start_infusion(dose, acting_user=bob)
    assert Hold.objects.get().clearance == "recheck"


# --- IV calculation and the second check -----------------------------------------------------------------------------
def test_the_dose_comes_from_the_order_and_todays_weight(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice, order={"dose_mg_per_kg": Decimal("0.75"), "infusion_duration_min": 45})
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=Decimal("50"), diluent_ml=Decimal("0"), lot_number="L", acting_user=bob)
    # 70.0 × 0.75 = 52.5 mg; 52.5 / 50 = 1.05 mL; 1.05 × 60 / 45 = 1.4 mL/h; 0.75 × 60 / 45 = 1.00 mg/kg/h
    assert (dose.dose_mg, dose.volume_ml, dose.rate_ml_per_h, dose.rate_mg_per_kg_per_h, dose.status) == (
        Decimal("52.5"), Decimal("1.05"), Decimal("1.4"), Decimal("1.00"), "awaiting_check")


def test_a_clinic_limit_lower_than_the_order_refuses_without_override(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice, order={"dose_mg_per_kg": Decimal("0.9"), "infusion_duration_min": 40})
    visit.protocol.max_dose_mg_per_kg_without_override = Decimal("0.75")
    visit.protocol.save()
    with pytest.raises(ValidationError) as excinfo:
        dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=0, lot_number="L", acting_user=bob)
    assert errors(excinfo) == {"dose_mg_per_kg": ["0.90 is above 0.75 mg/kg; it needs physician_override"]}


@pytest.mark.parametrize("field, value, message", [
    ("concentration_mg_per_ml", "0", "0 must be greater than 0"),
    ("lot_number", "", "Say the vial's lot number."),
    ("diluent_ml", "-1", "-1 must not be negative"),
])
def test_bad_preparation_input_names_the_field(patient, alice, bob, consented, field, value, message):
    visit = check_in(patient, bob, alice)
    data = {"concentration_mg_per_ml": "10", "diluent_ml": "0", "lot_number": "L", field: value}
    with pytest.raises(ValidationError) as excinfo:
        dosing.prepare_iv_dose(visit, acting_user=bob, **data)
    assert errors(excinfo) == {field: [message]}


def test_the_second_check_is_by_another_nurse_or_physician_of_the_clinic(patient, alice, bob, charlie, westside, consented):
    visit = check_in(patient, bob, alice)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=0, lot_number="L", acting_user=bob)
    therapist = make_staff("theo", westside, Role.THERAPIST)
    for checker in (bob, therapist, charlie):
        with pytest.raises(ValidationError) as excinfo:
            dosing.confirm_second_check(dose, checker=checker, dose_mg="35.0", rate_ml_per_h="5.3")
        assert "checker" in errors(excinfo)
    dosing.confirm_second_check(dose, checker=alice, dose_mg="35.0", rate_ml_per_h="5.3")  # 3.50 mL × 60/40 = 5.25 → 5.3
    dose.refresh_from_db()
    assert (dose.status, dose.second_check_by) == ("ready", alice)


def test_the_infusion_cannot_start_before_the_second_check(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice)
    do_checklist(visit, bob)
    reading(visit, bob)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=0, lot_number="L", acting_user=bob)
    with pytest.raises(ValidationError, match="second nurse must confirm"):
        dosing.start_infusion(dose, acting_user=bob)


def test_pause_resume_rate_and_stop_are_on_the_time_line(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    dosing.start_infusion(dose, acting_user=bob)
    with pytest.raises(ValidationError, match="cannot infusion resumed"):
        dosing.change_infusion(dose, "resume", acting_user=bob)
    dosing.change_infusion(dose, "pause", acting_user=bob)
    dosing.change_infusion(dose, "resume", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        dosing.change_infusion(dose, "rate_change", acting_user=bob, new_rate_ml_per_h="0")
    assert "new_rate_ml_per_h" in errors(excinfo)
    dosing.change_infusion(dose, "rate_change", acting_user=bob, new_rate_ml_per_h="100")
    with pytest.raises(ValidationError) as excinfo:
        dosing.change_infusion(dose, "stop", acting_user=bob)
    assert errors(excinfo) == {"note": ["Say why the infusion was stopped."]}
    clock.shift(minutes(20))
    dosing.change_infusion(dose, "stop", acting_user=bob, note="Severe anxiety")
    dose.refresh_from_db()
    visit.refresh_from_db()
    assert dose.status == "stopped" and visit.status == "observation" and visit.observation_started_at == dose.ended_at
    assert list(ClinicalEvent.objects.values_list("kind", flat=True)) == ["pause", "resume", "rate_change", "stop"]


def test_a_dose_not_yet_given_can_be_voided_and_prepared_again(patient, alice, bob, consented):
    visit = check_in(patient, bob, alice)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml="10", diluent_ml=0, lot_number="L", acting_user=bob)
    with pytest.raises(ValidationError, match="already prepared"):
        dosing.prepare_iv_dose(visit, concentration_mg_per_ml="50", diluent_ml=0, lot_number="L", acting_user=bob)
    dosing.void_dose(dose, reason="Wrong vial strength", acting_user=bob)
    dosing.prepare_iv_dose(visit, concentration_mg_per_ml="50", diluent_ml=0, lot_number="L", acting_user=bob)
    assert DoseAdministration.objects.filter(visit=visit).count() == 2


def test_times_in_the_future_are_refused(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    later = timezone.now() + minutes(10)
    with pytest.raises(ValidationError) as excinfo:
        dosing.start_infusion(dose, acting_user=bob, at=later)
    assert errors(excinfo) == {"at": ["cannot be in the future."]}


# --- esketamine ------------------------------------------------------------------------------------------------------------
@pytest.fixture
def esketamine(patient, alice, bob, consented, enrolled, clock):
    visit = check_in(patient, bob, alice, route="esketamine", order={"esketamine_dose_mg": 84})
    do_checklist(visit, bob)
    reading(visit, bob)
    return visit, dosing.prepare_esketamine_dose(visit, lot_number="SPR-1", acting_user=bob)


def test_esketamine_devices_come_five_minutes_apart(esketamine, bob, clock):
    visit, dose = esketamine
    assert (dose.devices, dose.dose_mg, dose.status) == (3, Decimal("84"), "ready")
    dosing.record_device(dose, acting_user=bob)
    visit.refresh_from_db()
    assert visit.status == "dosing" and visit.observation_started_at == visit.dosing_started_at  # the 2-hour clock starts
    clock.shift(minutes(4) + minutes(59 / 60))
    with pytest.raises(ValidationError) as excinfo:
        dosing.record_device(dose, acting_user=bob)
    assert errors(excinfo) == {"at": ["Wait 0 min 01 s more: the label asks for 5 minutes between devices (§3.3)."]}
    clock.shift(minutes(1 / 60))
    dosing.record_device(dose, acting_user=bob)
    clock.shift(minutes(5))
    dosing.record_device(dose, acting_user=bob)
    visit.refresh_from_db()
    dose.refresh_from_db()
    assert visit.status == Visit.Status.OBSERVATION and dose.status == "completed" and dose.ended_at == visit.dosing_ended_at
    with pytest.raises(ValidationError, match="No esketamine device is due"):
        dosing.record_device(dose, acting_user=bob)


def test_an_unacknowledged_action_alert_stops_the_next_device(esketamine, bob, clock):
    visit, dose = esketamine
    dosing.record_device(dose, acting_user=bob)
    clock.shift(minutes(3))
    reading(visit, bob, spo2_pct=88)  # < 90: action
    clock.shift(minutes(3))
    with pytest.raises(ValidationError, match="give no further device"):
        dosing.record_device(dose, acting_user=bob)
    vitals.acknowledge_alert(visit.alerts.get(level="action"), action="physician", acting_user=bob)
    dosing.record_device(dose, acting_user=bob)


def test_the_first_device_needs_the_checklist(patient, alice, bob, consented, enrolled):
    visit = check_in(patient, bob, alice, route="esketamine")
    dose = dosing.prepare_esketamine_dose(visit, lot_number="SPR-1", acting_user=bob)
    with pytest.raises(ValidationError, match="Cannot start dosing: Checklist"):
        dosing.record_device(dose, acting_user=bob)


def test_esketamine_order_can_not_be_changed_once_prepared(esketamine, alice):
    visit, dose = esketamine
    with pytest.raises(ValidationError, match="void it before changing the order"):
        checkin.enter_order(visit, data={"esketamine_dose_mg": 56}, acting_user=alice)
