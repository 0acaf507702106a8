"""Notes (sign and lock, signed amendments), adverse events, REMS enrolment and the clinic's protocol versions."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.visits.models import AdverseEvent, RemsEnrollment, SessionProtocol
from ketaclinic.visits.services import checkin, records, vitals
from ketaclinic.visits.tests.conftest import check_in, reading


@pytest.fixture
def visit(patient, alice, bob):
    return check_in(patient, bob, alice)


# --- notes -------------------------------------------------------------------------------------------------------------
def test_a_signed_note_is_locked_and_changed_only_by_a_signed_amendment(visit, bob):
    note = records.create_note(visit, kind="nurse", body="Tolerated well.", acting_user=bob)
    records.update_note(note, body="Tolerated well; mild nausea.", acting_user=bob)
    records.sign_note(note, acting_user=bob)
    with pytest.raises(ValidationError, match="signed and locked"):
        records.update_note(note, body="changed", acting_user=bob)
    with pytest.raises(ValidationError) as excinfo:
        records.amend_note(note, body="Ondansetron 4 mg IV given at 10:20.", reason="", acting_user=bob)
    assert excinfo.value.message_dict == {"reason": ["Say why the note is amended."]}
    amendment = records.amend_note(note, body="Ondansetron 4 mg IV given at 10:20.", reason="Omitted medication", acting_user=bob)
    note.refresh_from_db()
    assert note.body == "Tolerated well; mild nausea." and amendment.signed_at is not None


def test_only_the_author_changes_a_draft(visit, bob, dana):
    note = records.create_note(visit, kind="nurse", body="Draft", acting_user=bob)
    with pytest.raises(ValidationError, match="Only the author"):
        records.sign_note(note, acting_user=dana)


def test_a_physician_note_needs_a_physician_and_kap_notes_a_clinician(visit, alice, bob, westside):
    with pytest.raises(ValidationError) as excinfo:
        records.create_note(visit, kind="physician", body="x", acting_user=bob)
    assert "kind" in excinfo.value.message_dict
    assert records.create_note(visit, kind="physician", body="Plan continues.", acting_user=alice, sign=True).is_signed
    therapist = make_staff("theo", westside, Role.THERAPIST)
    kap = records.create_note(visit, kind="kap_integration", body="Processed imagery of the session.", acting_user=therapist)
    assert kap.kind == "kap_integration"
    with pytest.raises(ValidationError) as excinfo:
        records.create_note(visit, kind="nurse", body=" ", acting_user=bob)
    assert excinfo.value.message_dict == {"body": ["Say what happened."]}


# --- adverse events ---------------------------------------------------------------------------------------------------------
EVENT = dict(onset_at=dt.datetime(2026, 11, 18, 18, 0, tzinfo=dt.UTC), category="hypertension", description="SBP 205",
             severity="severe", seriousness=[], outcome="resolved", action_taken="Labetalol")


def test_an_adverse_event_is_recorded_with_severity_outcome_and_follow_up(patient, visit, bob):
    event = records.record_adverse_event(patient, data=EVENT, visit=visit, acting_user=bob)
    assert not event.serious and not event.needs_report
    records.add_follow_up(event, note="BP normal at the 24 h call.", acting_user=bob)
    assert event.follow_ups.count() == 1


def test_a_serious_event_is_flagged_until_reported(patient, bob):
    event = records.record_adverse_event(patient, data={**EVENT, "seriousness": ["hospitalization"]}, acting_user=bob)
    assert event.serious and event.needs_report
    with pytest.raises(ValidationError) as excinfo:
        records.mark_reported(event, reported_to="", reference="", acting_user=bob)
    assert excinfo.value.message_dict == {"reported_to": ["Say where it was reported."]}
    records.mark_reported(event, reported_to="SPRAVATO REMS", reference="R-1", acting_user=bob)
    event.refresh_from_db()
    assert not event.needs_report


@pytest.mark.parametrize("change, field", [
    ({"severity": "extreme"}, "severity"),
    ({"outcome": "fatal"}, "seriousness"),
    ({"seriousness": ["bad"]}, "seriousness"),
    ({"description": ""}, "description"),
    ({"onset_at": dt.datetime(2030, 1, 1, tzinfo=dt.UTC)}, "onset_at"),
])
def test_bad_adverse_event_input_names_the_field(patient, bob, change, field):
    with pytest.raises(ValidationError) as excinfo:
        records.record_adverse_event(patient, data={**EVENT, **change}, acting_user=bob)
    assert field in excinfo.value.message_dict
    assert not AdverseEvent.objects.exists()


def test_updating_an_event_audits_what_changed(patient, bob):
    event = records.record_adverse_event(patient, data={**EVENT, "outcome": "resolving"}, acting_user=bob)
    records.update_adverse_event(event, data={"outcome": "resolved"}, acting_user=bob)
    assert AuditEvent.objects.get(object_type="adverse_event", action="update").changes == {"outcome": ["resolving", "resolved"]}


# --- REMS enrolment ----------------------------------------------------------------------------------------------------------
def test_rems_enrolment_needs_a_prescriber_and_is_one_at_a_time(patient, alice, bob, clock):
    with pytest.raises(ValidationError) as excinfo:
        records.record_rems_enrollment(patient, enrolled_on=dt.date(2026, 11, 1), prescriber=bob, reference="", acting_user=bob)
    assert list(excinfo.value.message_dict) == ["prescriber_id"]
    with pytest.raises(ValidationError) as excinfo:
        records.record_rems_enrollment(patient, enrolled_on=dt.date(2026, 11, 19), prescriber=alice, reference="", acting_user=bob)
    assert list(excinfo.value.message_dict) == ["enrolled_on"]
    enrollment = records.record_rems_enrollment(patient, enrolled_on=dt.date(2026, 11, 1), prescriber=alice, reference="", acting_user=bob)
    with pytest.raises(ValidationError, match="already enrolled"):
        records.record_rems_enrollment(patient, enrolled_on=dt.date(2026, 11, 2), prescriber=alice, reference="", acting_user=bob)
    records.end_rems_enrollment(enrollment, reason="Stopped esketamine", acting_user=bob)
    assert not RemsEnrollment.objects.filter(ended_on__isnull=True).exists()


# --- the clinic's protocol -------------------------------------------------------------------------------------------------------
def test_a_revised_protocol_applies_to_new_visits_only(patient, other_patient, westside, alice, bob, clock):
    old_visit = checkin.check_in(patient, route="iv-ketamine", acting_user=bob)
    clock.shift(dt.timedelta(minutes=1))
    protocol = records.revise_protocol(westside, acting_user=alice, data={
        "iv_observation_min": 45, "vital_limits": {"predose_systolic_hold_at_or_above_mmhg": 150}})
    assert (protocol.approved_by, protocol.iv_observation_min, protocol.vital_limits) == (
        alice, 45, {"predose_systolic_hold_at_or_above_mmhg": 150})
    clock.shift(dt.timedelta(minutes=1))
    new_visit = checkin.check_in(other_patient, route="iv-ketamine", acting_user=bob)
    assert (old_visit.observation_min_required, new_visit.observation_min_required) == (60, 45)
    reading(old_visit, bob, systolic_mmhg=152, key="a")
    reading(new_visit, bob, systolic_mmhg=152, key="b")
    assert list(old_visit.alerts.values_list("level", flat=True)) == ["caution"]
    assert list(new_visit.alerts.values_list("level", flat=True)) == ["hold"]
    assert SessionProtocol.objects.filter(clinic=westside).count() == 2


@pytest.mark.parametrize("data, field", [
    ({"esketamine_observation_min": 119}, "esketamine_observation_min"),  # the label's 2 hours cannot be shortened
    ({"iv_observation_min": 29}, "iv_observation_min"),
    ({"vital_limits": {"no_such_limit": 1}}, "vital_limits"),
])
def test_a_protocol_outside_its_bounds_is_refused(westside, alice, data, field):
    with pytest.raises(ValidationError) as excinfo:
        records.revise_protocol(westside, data=data, acting_user=alice)
    assert field in excinfo.value.message_dict


def test_acknowledging_an_alert_needs_a_known_action(patient, alice, bob):
    visit = check_in(patient, bob, alice)
    reading(visit, bob, spo2_pct=92, key="low")
    with pytest.raises(ValidationError) as excinfo:
        vitals.acknowledge_alert(visit.alerts.get(), action="prayed", acting_user=bob)
    assert list(excinfo.value.message_dict) == ["action"]


