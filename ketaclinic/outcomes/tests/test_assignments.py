"""The clinic's questionnaire schedule makes portal assignments: idempotent, configurable, never duplicated."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import QuestionnaireAssignment
from ketaclinic.outcomes.tests.conftest import PHQ9_MILD_7, at


def _open(patient):
    return sorted(QuestionnaireAssignment.objects.filter(patient=patient, status="open").values_list("schedule_key", flat=True))


@pytest.fixture
def frozen(westside):
    """08:00 on a Monday at the clinic, whatever the time the suite runs."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=westside.tz), tick=False):
        yield


@pytest.fixture
def fresh_course(frozen, patient, alice, westside, fake_dosing):
    """A course whose first dose is today at 10:00, the second in two days."""
    today = timezone.localdate(timezone.now(), westside.tz)
    course = services.start_course(patient, route="iv-ketamine", condition="major-depression", started_on=today, acting_user=alice)
    fake_dosing.by_course[course.pk] = [at(today, westside, 10), at(today + dt.timedelta(days=2), westside, 10)]
    return course


def test_starting_a_course_assigns_the_intake_scales(patient, fresh_course):
    assert _open(patient) == ["intake:0:GAD-7", "intake:0:PHQ-9"]


def test_a_dose_booked_later_brings_its_pre_dose_scale_covered_by_a_recent_answer(patient, pat, fresh_course):
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=pat, entered_by_patient=True)
    services.dosing_changed(fresh_course)
    # The intake PHQ-9 answered at 08:00 covers the 10:00 pre-dose PHQ-9 (within 12 h): no second PHQ-9 today.
    assert _open(patient) == ["intake:0:GAD-7"]


def test_sync_is_idempotent(patient, fresh_course):
    services.sync_assignments(fresh_course)
    services.sync_assignments(fresh_course)
    assert QuestionnaireAssignment.objects.filter(course=fresh_course).count() == 2


def test_the_day_after_the_first_dose_and_before_the_second(patient, pat, fresh_course, westside):
    for a in QuestionnaireAssignment.objects.filter(patient=patient):
        services.record_response(patient, a.instrument, [0] * (9 if a.instrument == "PHQ-9" else 7), acting_user=pat,
                                 entered_by_patient=True, assignment=a)
    with time_machine.travel(at(fresh_course.started_on + dt.timedelta(days=1), westside, 11)):
        services.sync_assignments(fresh_course)
        # The 08:00 answer of the first day is 26 h before the 24-hours-after score: it does not cover it.
        assert _open(patient) == ["after-first-dose:1:PHQ-9"]
        pre_dose = services.sync_assignments(fresh_course, now=timezone.now() + dt.timedelta(hours=1))
    assert pre_dose == []  # the open PHQ-9 covers the next one; one questionnaire per scale at a time


def test_stale_assignments_close_as_missed(patient, fresh_course):
    with time_machine.travel(timezone.now() + dt.timedelta(days=8)):
        services.sync_assignments(fresh_course)
    assert set(QuestionnaireAssignment.objects.filter(patient=patient, schedule_key__startswith="intake").values_list("status", flat=True)) == {"expired"}


def test_the_clinics_own_schedule_is_used(frozen, patient, alice, westside, fake_dosing):
    services.update_scale_schedule(westside, data={"intake": ["PCL-5", "AUDIT-C"]}, acting_user=alice)
    services.start_course(patient, route="iv-ketamine", condition="ptsd", started_on=timezone.localdate(timezone.now(), westside.tz), acting_user=alice)
    assert _open(patient) == ["intake:0:AUDIT-C", "intake:0:PCL-5"]


def test_the_schedule_accepts_only_scales_a_patient_may_answer(westside, alice):
    with pytest.raises(ValidationError) as error:
        services.update_scale_schedule(westside, data={"pre_dose": ["C-SSRS"], "maintenance_monthly": ["PHQ-9", "PHQ-9"]}, acting_user=alice)
    assert "C-SSRS cannot be answered in the portal" in error.value.message_dict["pre_dose"][0]
    assert error.value.message_dict["maintenance_monthly"] == ["Each scale once."]
    with pytest.raises(ValidationError) as error:
        services.update_scale_schedule(westside, data={"induction_interval_days": 0}, acting_user=alice)
    assert "induction_interval_days" in error.value.message_dict


def test_a_clinician_assigns_a_scale_by_hand(patient, alice, westside):
    due = at(timezone.localdate(timezone.now(), westside.tz), westside)
    assignment = services.assign_questionnaire(patient, "PCL-5", due_at=due, acting_user=alice)
    assert assignment.assigned_by == alice and assignment.schedule_key == "" and assignment.status == "open"
    with pytest.raises(ValidationError, match="asked by a clinician"):
        services.assign_questionnaire(patient, "MADRS", due_at=due, acting_user=alice)
    with pytest.raises(ValidationError) as error:
        services.assign_questionnaire(patient, "PHQ-9", due_at=due + dt.timedelta(days=400), acting_user=alice)
    assert "due_at" in error.value.message_dict
    with pytest.raises(ValidationError, match="A PCL-5 is already waiting in the portal"):
        services.assign_questionnaire(patient, "PCL-5", due_at=due, acting_user=alice)


def test_answering_completes_the_assignment_it_was_for(patient, pat, alice, westside):
    due = at(timezone.localdate(timezone.now(), westside.tz), westside, 0)
    assignment = services.assign_questionnaire(patient, "PHQ-9", due_at=due, acting_user=alice)
    response = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=pat, entered_by_patient=True)
    assignment.refresh_from_db()
    assert response.assignment == assignment and assignment.status == "completed" and assignment.closed_at
    with pytest.raises(ValidationError, match="already closed|is answered"):
        services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=pat, entered_by_patient=True, assignment=assignment)


def test_the_nightly_command_syncs_every_open_course(patient, fresh_course, capsys):
    from django.core.management import call_command

    call_command("assign_questionnaires")
    assert "Assigned 0 questionnaire(s)." in capsys.readouterr().out  # nothing new since the course started
