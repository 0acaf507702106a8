
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.visits.models import ClinicalEvent, VitalAlert, VitalReading
from ketaclinic.visits.services import dosing, vitals
from ketaclinic.visits.tests.conftest import NORMAL, check_in, minutes, ready_iv


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def post(visit, user, key, at=None, **values):
    return vitals.record_reading(visit, values={**NORMAL, **values}, idempotency_key=key, measured_at=at,
                                 acting_user=user, source="device" if at else "manual")


def test_the_same_reading_sent_twice_is_stored_once(patient, alice, bob, clock):
    visit = check_in(patient, bob, alice)
    first = post(visit, bob, "uuid-1", timezone.now())
    again = post(visit, bob, "uuid-1", timezone.now())
    assert first.created and not again.created and first.reading.pk == again.reading.pk
    assert VitalReading.objects.count() == 1 and AuditEvent.objects.filter(object_type="vital_reading").count() == 1


def test_a_key_reused_for_other_values_is_a_conflict(patient, alice, bob, clock):
    visit = check_in(patient, bob, alice)
    post(visit, bob, "uuid-1", timezone.now())
    with pytest.raises(vitals.IdempotencyConflict, match="was already used for a different reading"):
        post(visit, bob, "uuid-1", timezone.now(), heart_rate_bpm=90)


def test_keys_are_per_visit(patient, other_patient, alice, bob, clock):
    one, two = check_in(patient, bob, alice), check_in(other_patient, bob, alice)
    post(one, bob, "uuid-1", timezone.now())
    assert post(two, bob, "uuid-1", timezone.now()).created


def test_readings_are_placed_and_judged_by_when_they_were_measured(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    before_dose = timezone.now()
    clock.shift(minutes(5))
    dosing.start_infusion(dose, acting_user=bob)
    clock.shift(minutes(10))
    during = post(visit, bob, "during", timezone.now(), systolic_mmhg=150)  # dosing: below the 180 caution line
    late = post(visit, bob, "late-pre-dose", before_dose - minutes(1), systolic_mmhg=150)  # pre-dose: > 140 caution
    assert not during.reading.alerts.exists()
    assert late.reading.phase == "pre-dose" and late.reading.alerts.get().message.startswith("Systolic 150 mmHg > 140")
    phases = list(visit.readings.order_by("measured_at").values_list("idempotency_key", "phase"))
    assert phases[0] == ("late-pre-dose", "pre-dose") and phases[-1] == ("during", "dosing")


def test_a_device_must_say_when_it_measured_and_not_from_the_future(patient, alice, bob, clock):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError) as excinfo:
        vitals.record_reading(visit, values=NORMAL, idempotency_key="k", acting_user=bob, source="device")
    assert errors(excinfo) == {"measured_at": ["A monitor must say when it measured the reading."]}
    with pytest.raises(ValidationError) as excinfo:
        post(visit, bob, "k", timezone.now() + minutes(3))
    assert errors(excinfo) == {"measured_at": ["is in the future; check the monitor's clock."]}
    assert post(visit, bob, "k", timezone.now() + minutes(2)).created  # 2 minutes of clock skew are tolerated


@pytest.mark.parametrize("values, field, message", [
    ({"systolic_mmhg": 301}, "systolic_mmhg", "301 is outside the plausible range 40–300"),
    ({"systolic_mmhg": 120, "diastolic_mmhg": 120}, "diastolic_mmhg", "120 is not below the systolic 120"),
    ({"spo2_pct": 49}, "spo2_pct", "49 is outside the plausible range 50–100"),
    ({"moaa_s": 6}, "moaa_s", "6 is outside the plausible range 0–5"),
])
def test_implausible_values_are_refused_naming_the_field(patient, alice, bob, values, field, message):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError) as excinfo:
        post(visit, bob, "k", **values)
    assert errors(excinfo) == {field: [message]}
    assert not VitalReading.objects.exists()


def test_an_empty_reading_is_refused(patient, alice, bob):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError, match="at least one vital sign"):
        vitals.record_reading(visit, values={"spo2_pct": None}, idempotency_key="k", acting_user=bob)


def test_a_reading_after_discharge_is_kept_and_flagged(patient, alice, bob, clock):
    visit = check_in(patient, bob, alice)
    visit.status = "discharged"
    visit.save()
    stored = post(visit, bob, "late", timezone.now())
    assert stored.created and stored.reading.received_after_discharge


def test_each_parameter_raises_one_alert_at_its_worst_level(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    dosing.start_infusion(dose, acting_user=bob)
    clock.shift(minutes(10))
    post(visit, bob, "bad", timezone.now(), systolic_mmhg=205, spo2_pct=92, heart_rate_bpm=112)
    levels = dict(VitalAlert.objects.values_list("parameter", "level"))
    assert levels == {"systolic_mmhg": "action", "spo2_pct": "caution", "heart_rate_bpm": "caution"}


def test_an_alert_is_acknowledged_once_with_what_was_done(patient, alice, bob, clock):
    visit = check_in(patient, bob, alice)
    post(visit, bob, "k", timezone.now(), spo2_pct=92)
    alert = VitalAlert.objects.get()
    with pytest.raises(ValidationError) as excinfo:
        vitals.acknowledge_alert(alert, action="", acting_user=bob)
    assert errors(excinfo) == {"action": ["Choose what was done."]}
    with pytest.raises(ValidationError) as excinfo:
        vitals.acknowledge_alert(alert, action="medication", acting_user=bob)
    assert errors(excinfo) == {"note": ["Say what was done (drug, dose, route)."]}
    vitals.acknowledge_alert(alert, action="recheck", acting_user=bob)
    with pytest.raises(ValidationError, match="Already acknowledged by Bob"):
        vitals.acknowledge_alert(alert, action="recheck", acting_user=alice)


def test_stopping_from_an_alert_stops_the_infusion(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    dosing.start_infusion(dose, acting_user=bob)
    clock.shift(minutes(10))
    post(visit, bob, "bad", timezone.now(), systolic_mmhg=205)
    vitals.acknowledge_alert(VitalAlert.objects.get(), action="stopped", note="SBP 205", acting_user=bob)
    dose.refresh_from_db()
    assert dose.status == "stopped" and ClinicalEvent.objects.get().kind == "stop"


def test_vitals_are_due_on_the_protocols_cadence(patient, alice, bob, dana, consented, clock):
    visit, dose = ready_iv(patient, bob, dana, alice)
    assert vitals.vitals_next_due(visit, timezone.now()) is None  # not yet dosing
    dosing.start_infusion(dose, acting_user=bob)
    visit.refresh_from_db()
    started = visit.dosing_started_at
    assert vitals.vitals_next_due(visit, started - minutes(3)) == started + minutes(10)  # every 10 while dosing
    assert vitals.vitals_next_due(visit, started + minutes(4)) == started + minutes(14)
    clock.shift(minutes(40))
    dosing.complete_infusion(dose, acting_user=bob)
    visit.refresh_from_db()
    assert vitals.vitals_next_due(visit, started + minutes(38)) == visit.dosing_ended_at + minutes(15)  # every 15 after


def test_cadss_is_a_total_from_0_to_92(patient, alice, bob, clock):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError) as excinfo:
        vitals.record_cadss(visit, total=93, acting_user=bob)
    assert list(errors(excinfo)) == ["total"]
    assert vitals.record_cadss(visit, total=92, acting_user=bob).rule_version == "cadss23-1998.1"


def test_a_stray_field_is_named(patient, alice, bob):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError) as excinfo:
        vitals.record_reading(visit, values={"temperature_c": 37}, idempotency_key="k", acting_user=bob)
    assert errors(excinfo) == {"temperature_c": ["is not a vital sign this flowsheet records."]}


def test_a_key_must_be_given(patient, alice, bob):
    visit = check_in(patient, bob, alice)
    with pytest.raises(ValidationError) as excinfo:
        vitals.record_reading(visit, values=NORMAL, idempotency_key="  ", acting_user=bob)
    assert list(errors(excinfo)) == ["idempotency_key"]




def test_the_usual_cadss_times_are_ticked_off(patient, alice, bob, dana, consented, clock):
    from ketaclinic.visits.views.common import cadss_points

    visit, dose = ready_iv(patient, bob, dana, alice)
    vitals.record_cadss(visit, total=0, acting_user=bob)
    clock.shift(minutes(1))
    dosing.start_infusion(dose, acting_user=bob)
    clock.shift(minutes(29))  # 29 min after the start: outside 40 ± 10
    vitals.record_cadss(visit, total=12, acting_user=bob)
    visit.refresh_from_db()
    assert [done for _, done in cadss_points(visit, list(visit.cadss_scores.all()))] == [True, False, False]
    clock.shift(minutes(1))  # 30 min: the edge of 40 ± 10, inclusive
    vitals.record_cadss(visit, total=10, acting_user=bob)
    clock.shift(minutes(40))
    vitals.record_cadss(visit, total=2, acting_user=bob)
    assert [done for _, done in cadss_points(visit, list(visit.cadss_scores.all()))] == [True, True, True]
