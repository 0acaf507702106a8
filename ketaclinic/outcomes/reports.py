"""Clinic outcomes: sums over the per-course ``CourseOutcome`` rows, a constant number of queries at any size.

Denominators (every rate is shown with them, clinical.md §6 definitions via ``clinical.outcomes``):
- end of induction: courses whose induction has ended (completed, or the course stopped or completed before);
- 3 months: courses started at least 90 + 14 days ago (the 3-month window has closed);
- ``no_follow_up``: of those, the courses with no score to compare with a baseline (no baseline, or no follow-up
  score inside the window). Rates are over the measured courses (denominator − no follow-up), so the share with
  no follow-up must always be read beside them: a clinic that measures only the patients who stay looks better.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from ketaclinic.clinical import course_summary, outcomes
from ketaclinic.outcomes.models import Condition, CourseOutcome, PrimaryScale, Route
from ketaclinic.outcomes.scales import definition

PERCENT_QUANTUM = Decimal("0.1")
INDUCTION_ENDED = Q(induction_ended=True)
MEETS = sorted(outcomes.MEETS_RESPONSE)
# Every baseline severity label a course can have (the primary scales' band tables), counted in one query.
SEVERITY_LABELS = tuple(dict.fromkeys(b.label for code in PrimaryScale.values for b in definition(code).bands))


def percent(part: int, whole: int) -> Decimal | None:
    if whole <= 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def month3_closed_before(today: dt.date, windows: course_summary.OutcomeWindows = course_summary.DEFAULT_WINDOWS) -> dt.date:
    """Courses started on or before this date have had their whole 3-month window."""
    return today - dt.timedelta(days=windows.month3_target_days + windows.month3_half_window_days)


def _scope(clinic_ids, condition=None, route=None):
    rows = CourseOutcome.objects.filter(clinic_id__in=list(clinic_ids))
    if condition:
        rows = rows.filter(condition=condition)
    if route:
        rows = rows.filter(route=route)
    return rows


def _counts(prefix: str, field_name: str, extra: Q) -> dict:
    return {
        f"{prefix}courses": Count("pk", filter=extra),
        f"{prefix}no_follow_up": Count("pk", filter=extra & Q(**{field_name: ""})),
        f"{prefix}responders": Count("pk", filter=extra & Q(**{f"{field_name}__in": MEETS})),
        f"{prefix}remitters": Count("pk", filter=extra & Q(**{field_name: outcomes.REMISSION})),
    }


@dataclass(frozen=True)
class Outcome:
    """Response and remission at one time point, with its denominator."""

    courses: int
    responders: int
    remitters: int
    no_follow_up: int

    @property
    def measured(self) -> int:
        return self.courses - self.no_follow_up

    @property
    def response_rate(self) -> Decimal | None:
        return percent(self.responders, self.measured)

    @property
    def remission_rate(self) -> Decimal | None:
        return percent(self.remitters, self.measured)

    @property
    def no_follow_up_share(self) -> Decimal | None:
        return percent(self.no_follow_up, self.courses)

    def as_dict(self) -> dict:
        return {
            "courses": self.courses, "responders": self.responders, "remitters": self.remitters,
            "no_follow_up": self.no_follow_up, "measured": self.measured, "response_rate": self.response_rate,
            "remission_rate": self.remission_rate, "no_follow_up_share": self.no_follow_up_share,
        }


def _outcome(values: dict, prefix: str) -> Outcome:
    return Outcome(*(values.get(f"{prefix}{k}", 0) or 0 for k in ("courses", "responders", "remitters", "no_follow_up")))


def clinic_induction_outcomes(clinic_ids, *, condition: str | None = None, route: str | None = None) -> dict:
    """End-of-induction outcome for the clinics' courses (the public directory shows it; one query).

    Returns courses (denominator), responders, remitters, no_follow_up, measured, response_rate and
    remission_rate (percent of measured courses to 0.1, Decimal, None when none measured), no_follow_up_share.
    """
    values = _scope(clinic_ids, condition, route).aggregate(**_counts("", "end_of_induction_class", INDUCTION_ENDED))
    return _outcome(values, "").as_dict()


@dataclass
class OutcomeRow:
    condition: str
    route: str
    started: int = 0
    baseline: dict[str, int] = field(default_factory=dict)  # baseline severity label -> courses
    no_baseline: int = 0
    induction: Outcome = Outcome(0, 0, 0, 0)
    month3: Outcome = Outcome(0, 0, 0, 0)
    sessions: list[int] = field(default_factory=list)

    @property
    def condition_label(self) -> str:
        return Condition(self.condition).label if self.condition else "All conditions"

    @property
    def route_label(self) -> str:
        return Route(self.route).label if self.route else "All routes"

    @property
    def median_sessions_to_response(self) -> Decimal | None:
        return outcomes.median_sessions_to_response(self.sessions)

    @property
    def responders_with_sessions(self) -> int:
        return len(self.sessions)


def outcome_table(clinic_ids, *, today: dt.date) -> list[OutcomeRow]:
    """One row per condition and route that has courses, and a last row for all of them. Two queries."""
    scope = _scope(clinic_ids)
    group = ("condition", "route")
    month3_q = Q(started_on__lte=month3_closed_before(today))
    severities = {f"sev_{i}": Count("pk", filter=Q(baseline_severity=label)) for i, label in enumerate(SEVERITY_LABELS)}
    rows: dict[tuple[str, str], OutcomeRow] = {}
    for values in scope.values(*group).annotate(
        started=Count("pk"), no_baseline=Count("pk", filter=Q(baseline_total__isnull=True)), **severities,
        **_counts("i_", "end_of_induction_class", INDUCTION_ENDED), **_counts("m_", "month3_class", month3_q),
    ).order_by(*group):
        key = (values["condition"], values["route"])
        baseline = {label: values[f"sev_{i}"] for i, label in enumerate(SEVERITY_LABELS) if values[f"sev_{i}"]}
        rows[key] = OutcomeRow(*key, started=values["started"], no_baseline=values["no_baseline"], baseline=baseline,
                               induction=_outcome(values, "i_"), month3=_outcome(values, "m_"))
    # Sessions to response, as counts per value (a few dozen rows at any size); the library takes the median.
    for condition, route, sessions, count in scope.filter(sessions_to_response__isnull=False).values_list(
        *group, "sessions_to_response").annotate(n=Count("pk")).order_by():
        rows[(condition, route)].sessions.extend([sessions] * count)
    ordered = [rows[key] for key in sorted(rows)]
    return [*ordered, _total(ordered)] if ordered else []


def _add(a: Outcome, b: Outcome) -> Outcome:
    return Outcome(a.courses + b.courses, a.responders + b.responders, a.remitters + b.remitters, a.no_follow_up + b.no_follow_up)


def _total(rows: list[OutcomeRow]) -> OutcomeRow:
    total = OutcomeRow("", "")
    for row in rows:
        total.started += row.started
        total.no_baseline += row.no_baseline
        total.induction = _add(total.induction, row.induction)
        total.month3 = _add(total.month3, row.month3)
        total.sessions += row.sessions
        for label, count in row.baseline.items():
            total.baseline[label] = total.baseline.get(label, 0) + count
    return total


def booster_review(clinic_ids):
    """Open courses whose response is lost (clinical.outcomes.response_lost): list them for a booster review."""
    return (
        CourseOutcome.objects.filter(response_lost=True, is_open=True, clinic_id__in=list(clinic_ids))
        .select_related("course__patient", "clinic")
        .order_by("course__patient__legal_last_name", "course__patient__legal_first_name", "course_id")
    )
