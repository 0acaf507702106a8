"""Treatment courses: start one, complete its induction, change its status."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.outcomes.models import (
    Condition,
    Context,
    PrimaryScale,
    QuestionnaireAssignment,
    QuestionnaireResponse,
    Route,
    TreatmentCourse,
    primary_scale_for,
)
from ketaclinic.outcomes.services import assignments, summary

# A baseline answered at intake, before the course existed, still counts if it is this recent: clinical.md §6
# asks for "the first score before infusion #1"; how far back is [UNSOURCED – common practice].
BASELINE_LOOKBACK_DAYS = 30
# A course may be entered ahead of its first dose; a start further out is a typo.
START_MAX_DAYS_AHEAD = 180
START_MAX_DAYS_BACK = 3650


def _check_choice(field: str, value, choices) -> None:
    if value not in choices.values:
        raise ValidationError({field: f"{value!r} is not one of {', '.join(choices.values)}."})


def _check_date(field: str, value, *, earliest=None, latest=None) -> None:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: "Enter a date (YYYY-MM-DD)."})
    if earliest is not None and value < earliest:
        raise ValidationError({field: f"must not be before {earliest:%m/%d/%Y}."})
    if latest is not None and value > latest:
        raise ValidationError({field: f"must not be after {latest:%m/%d/%Y}."})


def _today(clinic) -> dt.date:
    return timezone.localdate(timezone.now(), clinic.tz)


@transaction.atomic
def start_course(
    patient, *, route: str, condition: str, started_on: dt.date, acting_user, primary_scale: str | None = None
) -> TreatmentCourse:
    """Open a course at the patient's clinic; recent course-less scores become its baseline candidates."""
    _check_choice("route", route, Route)
    _check_choice("condition", condition, Condition)
    primary_scale = primary_scale or primary_scale_for(condition)
    _check_choice("primary_scale", primary_scale, PrimaryScale)
    today = _today(patient.clinic)
    _check_date("started_on", started_on, earliest=today - dt.timedelta(days=START_MAX_DAYS_BACK),
                latest=today + dt.timedelta(days=START_MAX_DAYS_AHEAD))
    course = TreatmentCourse.objects.create(
        patient=patient, clinic_id=patient.clinic_id, route=route, condition=condition, primary_scale=primary_scale,
        started_on=started_on, created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    attached = QuestionnaireResponse.objects.filter(
        patient=patient, course__isnull=True, taken_on__gte=started_on - dt.timedelta(days=BASELINE_LOOKBACK_DAYS)
    ).update(course=course)
    QuestionnaireAssignment.objects.filter(patient=patient, course__isnull=True, status="open").update(course=course)
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="treatment_course", object_id=course.pk,
        clinic=course.clinic_id, patient=patient, summary=f"Started course: {course}",
        changes={**{k: [None, v] for k, v in audit.snapshot(course, TreatmentCourse.AUDITED_FIELDS).items() if v},
                 **({"attached_responses": [0, attached]} if attached else {})},
    )
    summary.refresh_course_outcome(course)
    assignments.sync_assignments(course)
    return course


def _locked(course: TreatmentCourse) -> TreatmentCourse:
    return TreatmentCourse.objects.select_for_update().select_related("clinic", "patient").get(pk=course.pk)


def _record_change(course, before, acting_user, summary_text: str) -> None:
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type="treatment_course", object_id=course.pk,
        clinic=course.clinic_id, patient=course.patient_id, summary=summary_text,
        changes=audit.changed(before, audit.snapshot(course, TreatmentCourse.AUDITED_FIELDS)),
    )


@transaction.atomic
def complete_induction(course: TreatmentCourse, *, on: dt.date, acting_user) -> TreatmentCourse:
    """Induction is over on ``on``; an active course moves to maintenance (booster) care."""
    course = _locked(course)
    if course.induction_completed_on is not None:
        raise ValidationError({"on": f"Induction was already completed on {course.induction_completed_on:%m/%d/%Y}."})
    if not course.is_open:
        raise ValidationError({"on": f"This course is {course.get_status_display().lower()}."})
    _check_date("on", on, earliest=course.started_on, latest=_today(course.clinic))
    before = audit.snapshot(course, TreatmentCourse.AUDITED_FIELDS)
    course.induction_completed_on = on
    course.status = TreatmentCourse.Status.MAINTENANCE
    course.save(update_fields=["induction_completed_on", "status"])
    assignments.cancel_open_for_course(course, contexts=[Context.INDUCTION_WEEKLY])
    _record_change(course, before, acting_user, "Completed induction")
    summary.refresh_course_outcome(course)
    assignments.sync_assignments(course)
    return course


_ENDING = (TreatmentCourse.Status.COMPLETED, TreatmentCourse.Status.STOPPED)


@transaction.atomic
def change_course_status(course: TreatmentCourse, *, status: str, on: dt.date, acting_user) -> TreatmentCourse:
    """End a course (completed or stopped, on ``on``) or move it to maintenance; open questionnaires are cancelled."""
    course = _locked(course)
    _check_choice("status", status, TreatmentCourse.Status)
    if not course.is_open:
        raise ValidationError({"status": f"This course is already {course.get_status_display().lower()}."})
    if status == TreatmentCourse.Status.ACTIVE:
        raise ValidationError({"status": "A course cannot go back to induction; start a new course."})
    if status == TreatmentCourse.Status.MAINTENANCE:
        raise ValidationError({"status": "Complete the induction to move the course to maintenance."})
    _check_date("on", on, earliest=course.started_on, latest=_today(course.clinic))
    before = audit.snapshot(course, TreatmentCourse.AUDITED_FIELDS)
    course.status, course.ended_on = status, on
    course.save(update_fields=["status", "ended_on"])
    assignments.cancel_open_for_course(course)
    _record_change(course, before, acting_user, f"Course {course.get_status_display().lower()}")
    summary.refresh_course_outcome(course)
    return course


@transaction.atomic
def dosing_changed(course: TreatmentCourse) -> None:
    """For the area that owns dose records: a dose was booked, given or moved; follow with schedule and outcome."""
    summary.refresh_course_outcome(course)
    assignments.sync_assignments(course)
