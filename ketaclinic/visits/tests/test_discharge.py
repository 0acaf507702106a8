import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.visits import hooks
from ketaclinic.visits.models import MonitoringForm
from ketaclinic.visits.services import discharge, dosing
from ketaclinic.visits.tests.conftest import check_in, do_checklist, minutes, ready_iv, reading

ALDRETE_9 = dict(activity=2, respiration=2, circulation=2, consciousness=1, oxygen_saturation=2)


@pytest.fixture
def observed(patient, alice, bob, dana, consented, clock):
    """An IV visit whose 40-minute infusion ended just now, with normal vitals since."""
    visit, dose = ready_iv(patient, bob, dana, alice)
    dosing.start_infusion(dose, acting_user=bob)
    clock.shift(minutes(40))
    dosing.complete_infusion(dose, acting_user=bob)
    clock.shift(minutes(1))
    reading(visit, bob)
    visit.refresh_from_db()
    return visit


def assess(visit, user, **data):
    return discharge.assess_discharge(visit, data={**ALDRETE_9, "ride_present": True, **data}, acting_user=user)


def test_aldrete_nine_is_ready_and_eight_is_not(observed, bob, clock):
    clock.shift(minutes(60))
    assert assess(observed, bob).ready
    eight = assess(observed, bob, oxygen_saturation=1)
    assert not eight.ready and eight.unmet == ["Aldrete 8 < 9"]
    observed.refresh_from_db()
    assert observed.status == "observation"  # a later check that is not ready takes "ready" back


def test_an_aldrete_item_out_of_range_is_named(observed, bob):
    with pytest.raises(ValidationError) as excinfo:
        assess(observed, bob, consciousness=3)
    assert excinfo.value.message_dict == {"consciousness": ["3 is outside 0–2"]}


def test_observation_runs_the_clinics_minutes_from_the_end_of_the_infusion(observed, bob, clock):
    clock.shift(minutes(58))  # 59 minutes since the infusion ended
    assert assess(observed, bob).unmet == ["observation: 1 min left"]
    clock.shift(minutes(1))
    assert assess(observed, bob).ready


def test_vitals_away_from_baseline_or_no_ride_keep_the_patient(observed, bob, clock):
    clock.shift(minutes(60))
    reading(observed, bob, systolic_mmhg=150)  # baseline 124: +21 %
    assert assess(observed, bob, ride_present=False).unmet == ["vitals not near baseline", "ride home not confirmed"]


def test_an_unacknowledged_alert_blocks_discharge(observed, bob, clock):
    clock.shift(minutes(60))
    reading(observed, bob, spo2_pct=93, key="low")
    assert assess(observed, bob).unmet == ["vitals not near baseline", "an alert is not acknowledged"]


def test_the_clinic_checklist_replaces_aldrete_when_the_protocol_says_so(observed, bob, clock):
    observed.protocol.discharge_method = "checklist"
    observed.protocol.save()
    clock.shift(minutes(60))
    answers = dict(baseline_mental_status=True, ambulates_steadily=True, no_significant_nausea=False, no_driving_acknowledged=True)
    result = discharge.assess_discharge(observed, data={**answers, "ride_present": True}, acting_user=bob)
    assert result.aldrete_total is None and result.unmet == ["not yet: no significant nausea"]


def test_discharge_rejudges_at_the_moment_and_fires_hooks_after_commit(observed, bob, clock, django_capture_on_commit_callbacks):
    seen = []
    hooks.register_on_discharge(seen.append)
    try:
        assess(observed, bob)  # only the observation time is left
        with pytest.raises(ValidationError, match="observation: 59 min left"):
            discharge.discharge(observed, acting_user=bob)
        clock.shift(minutes(60))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            discharge.discharge(observed, acting_user=bob)
        assert seen == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        hooks.unregister_on_discharge(seen.append)
    assert [v.pk for v in seen] == [observed.pk] and seen[0].status == "discharged"
    assert seen[0].discharged_at == timezone.now() and seen[0].discharged_by == bob


def test_a_failing_hook_does_not_stop_the_others(observed, bob, clock, django_capture_on_commit_callbacks):
    seen = []

    def broken(visit):
        raise RuntimeError("billing is down")

    hooks.register_on_discharge(broken)
    hooks.register_on_discharge(seen.append)
    try:
        clock.shift(minutes(60))
        assess(observed, bob)
        with django_capture_on_commit_callbacks(execute=True):
            discharge.discharge(observed, acting_user=bob)
    finally:
        hooks.unregister_on_discharge(broken)
        hooks.unregister_on_discharge(seen.append)
    assert len(seen) == 1


# --- esketamine --------------------------------------------------------------------------------------------------------------
@pytest.fixture
def sprayed(patient, alice, bob, consented, enrolled, clock):
    visit = check_in(patient, bob, alice, route="esketamine")
    do_checklist(visit, bob)
    reading(visit, bob)
    dose = dosing.prepare_esketamine_dose(visit, lot_number="SPR-7", acting_user=bob)
    dosing.record_device(dose, acting_user=bob)
    clock.shift(minutes(5))
    dosing.record_device(dose, acting_user=bob)
    visit.refresh_from_db()
    return visit


ESK_READY = dict(ALDRETE_9, ride_present=True, sedation_resolved=True, dissociation_resolved=True,
                 respiratory_depression_resolved=True)


def test_esketamine_needs_two_hours_from_the_first_device_and_notes_when_it_would_have_been_ready(sprayed, bob, clock):
    clock.shift(minutes(40))  # 45 min after the first device
    reading(sprayed, bob, systolic_mmhg=130)
    result = discharge.assess_discharge(sprayed, data=ESK_READY, acting_user=bob)
    assert result.unmet == ["observation: 75 min left"]
    sprayed.refresh_from_db()
    assert sprayed.ready_without_observation_rule_at == timezone.now()
    clock.shift(minutes(74))  # 119 min after the first device
    assert discharge.assess_discharge(sprayed, data=ESK_READY, acting_user=bob).unmet == ["observation: 1 min left"]
    clock.shift(minutes(1))
    assert discharge.assess_discharge(sprayed, data=ESK_READY, acting_user=bob).ready


def test_esketamine_needs_sedation_dissociation_and_breathing_resolved(sprayed, bob, clock):
    clock.shift(minutes(120))
    reading(sprayed, bob)
    result = discharge.assess_discharge(sprayed, data={**ESK_READY, "dissociation_resolved": False}, acting_user=bob)
    assert result.unmet == ["not yet: dissociation resolved"]


def test_esketamine_discharge_drafts_the_monitoring_form_due_in_seven_days(sprayed, bob, clock):
    clock.shift(minutes(40))
    reading(sprayed, bob, systolic_mmhg=138, diastolic_mmhg=84)
    clock.shift(minutes(80))
    reading(sprayed, bob)
    discharge.assess_discharge(sprayed, data=ESK_READY, acting_user=bob)
    discharge.discharge(sprayed, acting_user=bob)
    form = MonitoringForm.objects.get(visit=sprayed)
    assert form.status == "draft" and str(form.due_on) == "2026-11-25"  # session on 11/18 (Los Angeles) + 7 days
    data = form.data
    assert (data["dose"], data["lot_number"], data["total_monitoring_min"], data["ready_to_leave_min"]) == ("56", "SPR-7", 125, 125)
    assert (data["bp_before_dosing"], data["bp_40_min"], data["bp_before_discharge"]) == ("124/78", "138/84", "124/78")
    assert (data["patient_enrolled"], data["setting_rems_certification"], data["benzodiazepines"]) == ("yes", "SPR-TEST-1", "no")


def test_the_would_have_been_ready_time_can_be_typed(sprayed, bob, clock):
    clock.shift(minutes(120))
    typed = timezone.now() - minutes(60)
    discharge.assess_discharge(sprayed, data={**ESK_READY, "ready_without_rule_at": typed}, acting_user=bob)
    sprayed.refresh_from_db()
    assert sprayed.ready_without_observation_rule_at == typed
    with pytest.raises(ValidationError) as excinfo:
        discharge.assess_discharge(sprayed, data={**ESK_READY, "ready_without_rule_at": sprayed.dosing_started_at - minutes(1)},
                                   acting_user=bob)
    assert excinfo.value.message_dict == {"ready_without_rule_at": ["cannot be before the first device."]}
