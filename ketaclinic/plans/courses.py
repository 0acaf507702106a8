"""The bridge to measurement-based care (the outcomes area owns courses and scores).

- ``ensure_course(plan)``: a signed plan belongs to a treatment course: a revised plan keeps its
  predecessor's course, a new plan joins the patient's open course for the route, or else starts one
  through ``ketaclinic.outcomes.services.start_course``.
- ``booster_offer(plan)``: when the course's PHQ-9 or GAD-7 totals show the response was lost
  (``ketaclinic.clinical.outcomes.response_lost``: response met earlier, not in the last two scores;
  clinical.md §6), the plan page offers a booster visit.
"""

from __future__ import annotations

from dataclasses import dataclass

from ketaclinic.clinical import outcomes as outcome_rules

# The scales measurement-based care follows for loss of response (clinical.md §6).
BOOSTER_SCALES = ("PHQ-9", "GAD-7")
# A treatment plan does not record a diagnosis; ketamine and esketamine plans treat depression here
# (clinical.md §3.1, §3.2), so the course's condition is major depression; outcomes may amend it.
PLAN_CONDITION = "major-depression"


def ensure_course(plan, *, acting_user) -> None:
    """Call inside the signing transaction: the course row and the plan's link land together."""
    from ketaclinic.outcomes.services import start_course

    if plan.course_id:
        return
    if plan.supersedes_id:
        plan.course_id = type(plan).objects.filter(pk=plan.supersedes_id).values_list("course_id", flat=True).first()
    if not plan.course_id:  # a course already open for this route (started by outcomes) is this plan's course
        plan.course_id = _open_course_id(plan)
    if not plan.course_id:
        course = start_course(
            plan.patient, route=plan.route, condition=PLAN_CONDITION, started_on=plan.start_on, acting_user=acting_user
        )
        plan.course_id = course.pk
    plan.save(update_fields=["course"])


def _open_course_id(plan) -> int | None:
    from ketaclinic.outcomes.models import TreatmentCourse

    return (
        TreatmentCourse.objects.filter(patient_id=plan.patient_id, route=plan.route)
        .exclude(status__in=[TreatmentCourse.Status.COMPLETED, TreatmentCourse.Status.STOPPED])
        .order_by("-started_on", "-pk").values_list("pk", flat=True).first()
    )


@dataclass(frozen=True)
class BoosterOffer:
    scale: str
    baseline_total: int
    recent_totals: tuple[int, ...]

    def __str__(self) -> str:
        recent = " and ".join(str(t) for t in self.recent_totals)
        return f"{self.scale} response lost: the last two totals ({recent}) are back above the response line from a baseline of {self.baseline_total}."


def course_totals(course) -> dict[str, list[int]]:
    """{scale: final totals in the order taken}; the first is the baseline (clinical.md §6)."""
    from ketaclinic.outcomes.models import QuestionnaireResponse

    totals: dict[str, list[int]] = {}
    rows = (
        QuestionnaireResponse.objects.filter(
            course=course, instrument__in=BOOSTER_SCALES, status=QuestionnaireResponse.Status.FINAL, total__isnull=False,
        ).order_by("taken_at", "pk").values_list("instrument", "total")
    )
    for scale, total in rows:
        totals.setdefault(scale, []).append(total)
    return totals


def booster_offer(plan) -> BoosterOffer | None:
    """The first scale on which the course's response was lost, else None. Two queries at most."""
    if not plan.course_id:
        return None
    for scale, totals in course_totals(plan.course_id).items():
        baseline, follow_ups = totals[0], totals[1:]
        if outcome_rules.response_lost(follow_ups, baseline, scale):
            return BoosterOffer(scale, baseline, tuple(follow_ups[-outcome_rules.RESPONSE_LOST_CONSECUTIVE_SCORES:]))
    return None
