"""Keeping each course's ``CourseOutcome`` row in step with its responses (clinical.course_summary decides)."""

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from ketaclinic.clinical import course_summary
from ketaclinic.clinical.instruments.base import band_label
from ketaclinic.outcomes.models import CourseOutcome, QuestionnaireResponse, TreatmentCourse
from ketaclinic.outcomes.scales import definition

REBUILD_BATCH = 2000


def _outcome_row(course: TreatmentCourse, points: list[course_summary.ScoredPoint]) -> CourseOutcome:
    result = course_summary.summarize_course(
        course.primary_scale, points, started_on=course.started_on, induction_ended_on=course.induction_ended_on
    )
    bands = definition(course.primary_scale).bands
    return CourseOutcome(
        course=course,
        clinic_id=course.clinic_id,
        condition=course.condition,
        route=course.route,
        started_on=course.started_on,
        induction_ended=course.induction_ended_on is not None,
        is_open=course.is_open,
        scale=result.scale,
        baseline_total=result.baseline_total,
        baseline_severity=band_label(bands, result.baseline_total) if result.has_baseline else "",
        baseline_taken_on=result.baseline_taken_on,
        end_of_induction_total=result.end_of_induction_total,
        end_of_induction_class=result.end_of_induction_class or "",
        month3_total=result.month3_total,
        month3_class=result.month3_class or "",
        latest_total=result.latest_total,
        latest_class=result.latest_class or "",
        sessions_to_response=result.sessions_to_response,
        response_lost=result.response_lost,
        rule_version=result.rule_version,
        refreshed_at=timezone.now(),
    )


def _points(rows: Iterable[tuple]) -> list[course_summary.ScoredPoint]:
    return [course_summary.ScoredPoint(taken_on, total, session) for taken_on, total, session in rows]


def refresh_course_outcome(course: TreatmentCourse) -> CourseOutcome:
    """Recompute one course from its final primary-scale responses. Call inside the change's transaction."""
    course = TreatmentCourse.objects.get(pk=course.pk)  # the caller's copy may predate a change to its dates
    rows = QuestionnaireResponse.objects.filter(
        course=course, instrument=course.primary_scale, status=QuestionnaireResponse.Status.FINAL
    ).values_list("taken_on", "total", "session_number")
    row = _outcome_row(course, _points(rows))
    fields = [f.name for f in CourseOutcome._meta.concrete_fields if f.name != "course"]
    CourseOutcome.objects.update_or_create(course=course, defaults={name: getattr(row, name) for name in fields})
    return row


def rebuild_course_outcomes(courses=None, *, batch: int = REBUILD_BATCH) -> int:
    """Recompute every course (after a rule change, or after a bulk load): a batch of courses per transaction."""
    courses = (courses if courses is not None else TreatmentCourse.objects.all()).order_by("pk")
    ids = list(courses.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        _rebuild_batch(ids[start:start + batch])
    return len(ids)


@transaction.atomic
def _rebuild_batch(course_ids: list[int]) -> None:
    courses = {c.pk: c for c in TreatmentCourse.objects.filter(pk__in=course_ids)}
    by_course: dict[int, list] = defaultdict(list)
    rows = QuestionnaireResponse.objects.filter(course_id__in=course_ids, status=QuestionnaireResponse.Status.FINAL)
    for course_id, code, taken_on, total, session in rows.values_list(
        "course_id", "instrument", "taken_on", "total", "session_number"
    ).iterator(chunk_size=10_000):
        if code == courses[course_id].primary_scale:
            by_course[course_id].append((taken_on, total, session))
    CourseOutcome.objects.filter(course_id__in=course_ids).delete()
    CourseOutcome.objects.bulk_create([_outcome_row(c, _points(by_course[c.pk])) for c in courses.values()])
