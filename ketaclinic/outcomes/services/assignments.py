"""Questionnaire assignments: by the clinic's schedule (idempotent, by schedule key) or by hand."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.clinical import scale_schedule
from ketaclinic.outcomes import dosing, scales
from ketaclinic.outcomes.models import Context, QuestionnaireAssignment, QuestionnaireResponse, TreatmentCourse
from ketaclinic.outcomes.services.settings import get_scale_schedule

Status = QuestionnaireAssignment.Status
# A scheduled questionnaire appears this long before it is due (the evening before a morning session).
LOOKAHEAD = dt.timedelta(hours=24)
# Past this, a missed questionnaire no longer describes "now" and is closed as missed. [UNSOURCED], a default.
EXPIRE_AFTER = dt.timedelta(days=7)
# An answer this close before a due time already covers it (no PHQ-9 twice on the morning of a session), but
# one from the day of the first dose does not stand for the 24-hours-after score. [UNSOURCED], a default.
COVERED_BY_ANSWER_WITHIN = dt.timedelta(hours=12)
ASSIGN_MAX_DAYS_AHEAD = 365


def _timeline(course: TreatmentCourse) -> scale_schedule.CourseTimeline:
    return scale_schedule.CourseTimeline(
        started_on=course.started_on, induction_ended_on=course.induction_completed_on, ended_on=course.ended_on,
        dosing_times=tuple(dosing.dosing_dates(course)),
    )


def _covered(due: scale_schedule.DueScale, answered: dict[str, list[dt.datetime]], open_codes: set[str]) -> bool:
    if due.instrument in open_codes:
        return True
    return any(due.due_at - COVERED_BY_ANSWER_WITHIN <= t for t in answered.get(due.instrument, ()))


@transaction.atomic
def sync_assignments(course: TreatmentCourse, *, now: dt.datetime | None = None) -> list[QuestionnaireAssignment]:
    """Make the assignments the clinic's schedule says are due now (or within a day); close stale ones as missed.

    Idempotent: each due scale has a schedule key, made once per course. Safe to run from a nightly job.
    """
    now = now or timezone.now()
    _expire(course.patient_id, now)
    if not course.is_open:
        return []
    clinic = course.clinic
    dues = scale_schedule.due_scales(get_scale_schedule(clinic).as_schedule(), _timeline(course), until=now + LOOKAHEAD, tz=clinic.tz)
    made_keys = set(QuestionnaireAssignment.objects.filter(course=course).exclude(schedule_key="").values_list("schedule_key", flat=True))
    open_codes = set(QuestionnaireAssignment.objects.filter(patient_id=course.patient_id, status=Status.OPEN).values_list("instrument", flat=True))
    answered: dict[str, list[dt.datetime]] = {}
    for code, taken_at in QuestionnaireResponse.objects.filter(
        patient_id=course.patient_id, status=QuestionnaireResponse.Status.FINAL, taken_at__gte=now - EXPIRE_AFTER - LOOKAHEAD
    ).values_list("instrument", "taken_at"):
        answered.setdefault(code, []).append(taken_at)
    made = []
    for due in dues:
        if due.key in made_keys or due.due_at < now - EXPIRE_AFTER or _covered(due, answered, open_codes):
            continue
        made.append(_make(course, due))
        open_codes.add(due.instrument)
    return made


def _make(course: TreatmentCourse, due: scale_schedule.DueScale) -> QuestionnaireAssignment:
    try:
        with transaction.atomic():
            assignment = QuestionnaireAssignment.objects.create(
                patient_id=course.patient_id, clinic_id=course.clinic_id, course=course, instrument=due.instrument,
                context=due.trigger.value, due_at=due.due_at, session_number=due.session_number, schedule_key=due.key,
            )
    except IntegrityError:  # a concurrent sync made it first
        return QuestionnaireAssignment.objects.get(course=course, schedule_key=due.key)
    audit.record(
        audit.Action.CREATE, actor=None, object_type="questionnaire_assignment", object_id=assignment.pk,
        clinic=course.clinic_id, patient=course.patient_id, summary=f"Scheduled {due.instrument} ({due.trigger.value})",
    )
    return assignment


def _expire(patient_id: int, now: dt.datetime) -> None:
    QuestionnaireAssignment.objects.filter(
        patient_id=patient_id, status=Status.OPEN, due_at__lt=now - EXPIRE_AFTER
    ).update(status=Status.EXPIRED, closed_at=now)


def sync_all_open_courses(*, now: dt.datetime | None = None) -> int:
    """The nightly job (``manage.py assign_questionnaires``): one transaction per course."""
    made = 0
    for course in TreatmentCourse.objects.filter(status__in=["active", "maintenance"]).select_related("clinic").iterator():
        made += len(sync_assignments(course, now=now))
    return made


@transaction.atomic
def assign_questionnaire(patient, code: str, *, due_at: dt.datetime, acting_user, course=None) -> QuestionnaireAssignment:
    """A clinician asks the patient for a scale in the portal, outside the schedule."""
    scales.definition(code)
    if code not in scales.SELF_REPORT_CODES:
        raise ValidationError({"instrument": f"{code} is asked by a clinician; choose one of {', '.join(scales.SELF_REPORT_CODES)}."})
    if not isinstance(due_at, dt.datetime) or timezone.is_naive(due_at):
        raise ValidationError({"due_at": "Enter a date and time with its time zone."})
    now = timezone.now()
    if not now - dt.timedelta(days=1) <= due_at <= now + dt.timedelta(days=ASSIGN_MAX_DAYS_AHEAD):
        raise ValidationError({"due_at": f"must be between yesterday and {ASSIGN_MAX_DAYS_AHEAD} days ahead."})
    if course is not None and course.patient_id != patient.pk:
        raise ValidationError({"course": "This course belongs to another patient."})
    waiting = QuestionnaireAssignment.objects.filter(patient=patient, instrument=code, status=Status.OPEN).first()
    if waiting is not None:
        raise ValidationError({"instrument": f"A {code} is already waiting in the portal (due {waiting.due_at:%m/%d/%Y})."})
    if course is None:
        course = TreatmentCourse.objects.filter(patient=patient, status__in=["active", "maintenance"]).first()
    assignment = QuestionnaireAssignment.objects.create(
        patient=patient, clinic_id=patient.clinic_id, course=course, instrument=code, context=Context.SCHEDULED,
        due_at=due_at, assigned_by=acting_user,
    )
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="questionnaire_assignment", object_id=assignment.pk,
        clinic=patient.clinic_id, patient=patient, summary=f"Assigned {code}",
    )
    return assignment


@transaction.atomic
def cancel_assignment(assignment: QuestionnaireAssignment, *, acting_user) -> QuestionnaireAssignment:
    assignment = QuestionnaireAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != Status.OPEN:
        raise ValidationError({"assignment": f"This questionnaire is already {assignment.get_status_display().lower()}."})
    assignment.status, assignment.closed_at = Status.CANCELLED, timezone.now()
    assignment.save(update_fields=["status", "closed_at"])
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type="questionnaire_assignment", object_id=assignment.pk,
        clinic=assignment.clinic_id, patient=assignment.patient_id, summary=f"Cancelled {assignment.instrument}",
        changes={"status": ["open", "cancelled"]},
    )
    return assignment


def cancel_open_for_course(course: TreatmentCourse, *, contexts=None) -> int:
    """Inside the course change's transaction (whose audit row covers it); all open ones, or those of ``contexts``."""
    rows = QuestionnaireAssignment.objects.filter(course=course, status=Status.OPEN)
    if contexts is not None:
        rows = rows.filter(context__in=contexts)
    return rows.update(
        status=Status.CANCELLED, closed_at=timezone.now()
    )
