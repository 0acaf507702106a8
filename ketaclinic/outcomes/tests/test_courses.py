"""start_course, complete_induction, change_course_status: validated, audited, the outcome row kept in step."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import CourseOutcome, QuestionnaireAssignment, TreatmentCourse
from ketaclinic.outcomes.tests.conftest import PHQ9_MILD_7, at, phq9_for_total


def test_starting_a_course_records_it_with_its_primary_scale_and_an_audit_row(patient, alice, today):
    course = services.start_course(patient, route="esketamine", condition="panic-disorder", started_on=today, acting_user=alice)
    assert (course.clinic, course.route, course.condition, course.primary_scale, course.status) == (
        patient.clinic, "esketamine", "panic-disorder", "GAD-7", "active")  # anxiety and panic → GAD-7
    assert course.created_by == alice and CourseOutcome.objects.filter(course=course).exists()
    event = AuditEvent.objects.get(object_type="treatment_course")
    assert event.action == "create" and event.changes["route"] == [None, "esketamine"]


def test_the_route_and_condition_strings_are_the_candidacy_engines():
    from ketaclinic.clinical.candidacy.intake import CONDITIONS
    from ketaclinic.clinical.candidacy.results import ESKETAMINE, IV_KETAMINE

    assert set(TreatmentCourse.Route.values) == {IV_KETAMINE, ESKETAMINE}
    assert set(TreatmentCourse.Condition.values) == CONDITIONS - {"suicidal-ideation"}


@pytest.mark.parametrize(("field", "data"), [
    ("route", {"route": "oral"}), ("condition", {"condition": "insomnia"}),
    ("primary_scale", {"primary_scale": "MADRS"}), ("started_on", {"started_on": "2026-01-01"}),
])
def test_bad_course_data_names_the_field(patient, alice, today, field, data):
    args = {"route": "iv-ketamine", "condition": "major-depression", "started_on": today, **data}
    with pytest.raises(ValidationError) as error:
        services.start_course(patient, acting_user=alice, **args)
    assert field in error.value.message_dict and not TreatmentCourse.objects.exists()


def test_a_start_far_in_the_future_is_a_typo(patient, alice, today):
    with pytest.raises(ValidationError, match="must not be after"):
        services.start_course(patient, route="iv-ketamine", condition="ocd", started_on=today + dt.timedelta(days=400), acting_user=alice)


def test_recent_intake_scores_become_the_new_courses_baseline(patient, alice, today, westside):
    intake = services.record_response(patient, "PHQ-9", phq9_for_total(18), acting_user=alice, entered_by_patient=False,
                                      context="intake", taken_at=at(today - dt.timedelta(days=10), westside))
    old = services.record_response(patient, "PHQ-9", phq9_for_total(24), acting_user=alice, entered_by_patient=False,
                                   taken_at=at(today - dt.timedelta(days=60), westside))
    course = services.start_course(patient, route="iv-ketamine", condition="major-depression", started_on=today, acting_user=alice)
    intake.refresh_from_db(), old.refresh_from_db()
    assert intake.course == course and old.course is None  # 60 days is past the 30-day look-back
    assert CourseOutcome.objects.get(course=course).baseline_total == 18


def test_completing_induction_moves_the_course_to_maintenance(course, alice, today):
    course = services.complete_induction(course, on=today, acting_user=alice)
    assert course.induction_completed_on == today and course.status == "maintenance"
    with pytest.raises(ValidationError, match="already completed"):
        services.complete_induction(course, on=today, acting_user=alice)


@pytest.mark.parametrize(("offset", "message"), [(-30, "must not be before"), (1, "must not be after")])
def test_induction_cannot_end_before_the_start_or_in_the_future(course, alice, today, offset, message):
    with pytest.raises(ValidationError, match=message) as error:
        services.complete_induction(course, on=today + dt.timedelta(days=offset), acting_user=alice)
    assert "on" in error.value.message_dict


def test_completing_induction_fills_the_end_of_induction_outcome(patient, alice, course, today, westside):
    services.record_response(patient, "PHQ-9", phq9_for_total(20), acting_user=alice, entered_by_patient=False,
                             taken_at=at(course.started_on, westside, 8))
    services.record_response(patient, "PHQ-9", phq9_for_total(4), acting_user=alice, entered_by_patient=False,
                             taken_at=at(today - dt.timedelta(days=2), westside), session_number=6)
    services.complete_induction(course, on=today - dt.timedelta(days=1), acting_user=alice)
    outcome = CourseOutcome.objects.get(course=course)
    assert (outcome.end_of_induction_total, outcome.end_of_induction_class) == (4, "remission")  # 4 < 5


def test_ending_a_course_cancels_its_open_questionnaires(course, alice, today, patient):
    services.assign_questionnaire(patient, "PCL-5", due_at=at(today, patient.clinic), acting_user=alice, course=course)
    course = services.change_course_status(course, status="stopped", on=today, acting_user=alice)
    assert course.status == "stopped" and course.ended_on == today
    assert not QuestionnaireAssignment.objects.filter(course=course, status="open").exists()
    with pytest.raises(ValidationError, match="already stopped"):
        services.change_course_status(course, status="completed", on=today, acting_user=alice)


@pytest.mark.parametrize(("status", "message"), [
    ("active", "cannot go back to induction"), ("maintenance", "Complete the induction"), ("paused", "is not one of"),
])
def test_status_changes_that_make_no_sense_are_refused(course, alice, today, status, message):
    with pytest.raises(ValidationError, match=message):
        services.change_course_status(course, status=status, on=today, acting_user=alice)


def test_a_stale_course_object_does_not_undo_a_completed_induction(patient, alice, course, today, westside):
    stale = TreatmentCourse.objects.get(pk=course.pk)
    services.record_response(patient, "PHQ-9", phq9_for_total(20), acting_user=alice, entered_by_patient=False,
                             taken_at=at(course.started_on, westside, 8))
    services.complete_induction(course, on=today, acting_user=alice)
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False, course=stale, session_number=6)
    assert CourseOutcome.objects.get(course=course).end_of_induction_total == 7
