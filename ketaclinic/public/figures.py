"""How the directory presents a clinic's measured results and its rating. Pure Python (no Django).

The rule is the same for every clinic: a rate is shown only when enough courses stand behind it, always with
that number, and always beside the share of courses that had no end-of-induction score (lost to follow-up),
because a clinic that measures only the patients who stay would otherwise look better than it is.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Fewer courses than this and a rate swings by 10 points or more with one patient, and a small clinic's figure
# could point at individual people. A network-wide display rule (not from clinical.md), the same for every clinic.
OUTCOMES_MIN_COURSES = 10


def percent(part: int, whole: int) -> int:
    """Whole percent, rounded half up, in integers: 1 of 8 -> 13 (12.5 rounds up)."""
    if whole <= 0:
        raise ValueError("whole: must be more than 0.")
    return (200 * part + whole) // (2 * whole)


@dataclass(frozen=True)
class InductionOutcomes:
    """Courses whose induction has ended, as the measurement-based-care area counts them.

    ``courses`` counts every course that reached the end of induction; ``no_follow_up`` those of them with no
    end-of-induction score; responders and remitters are counted among the measured ones (response: a fall of at
    least 50 % from baseline; remission: PHQ-9 below 5; clinical.md §6 [36][51]).
    """

    courses: int
    responders: int
    remitters: int
    no_follow_up: int

    def __post_init__(self):
        for name in ("courses", "responders", "remitters", "no_follow_up"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name}: must not be negative.")
        if self.no_follow_up > self.courses:
            raise ValueError("no_follow_up: cannot exceed courses.")
        if max(self.responders, self.remitters) > self.measured:
            raise ValueError("responders: cannot exceed the courses with an end-of-induction score.")

    @property
    def measured(self) -> int:
        return self.courses - self.no_follow_up


@dataclass(frozen=True)
class Rate:
    count: int
    of: int
    pct: int


@dataclass(frozen=True)
class OutcomesDisplay:
    shown: bool
    min_courses: int
    response: Rate | None = None
    remission: Rate | None = None
    lost_to_follow_up: Rate | None = None


def present_outcomes(outcomes: InductionOutcomes | None, min_courses: int = OUTCOMES_MIN_COURSES) -> OutcomesDisplay:
    """Rates only when at least ``min_courses`` courses were measured at the end of induction ([lo, ∞) inclusive)."""
    if outcomes is None or outcomes.measured < min_courses:
        return OutcomesDisplay(shown=False, min_courses=min_courses)
    m = outcomes.measured
    return OutcomesDisplay(
        shown=True,
        min_courses=min_courses,
        response=Rate(outcomes.responders, m, percent(outcomes.responders, m)),
        remission=Rate(outcomes.remitters, m, percent(outcomes.remitters, m)),
        lost_to_follow_up=Rate(outcomes.no_follow_up, outcomes.courses, percent(outcomes.no_follow_up, outcomes.courses)),
    )


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: Decimal | None  # one decimal, half up; None with no reviews


def summarize_ratings(total_stars: int, count: int) -> RatingSummary:
    if count <= 0:
        return RatingSummary(0, None)
    average = (Decimal(total_stars) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return RatingSummary(count, average)
