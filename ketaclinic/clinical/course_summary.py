"""One treatment course's scores in, its baseline, end-of-induction and 3-month outcome out. Pure Python.

clinical.md §6: "store the baseline per episode or treatment course (the first score before infusion #1 /
SPRAVATO dose #1), compute % change, and derive response/remission flags with instrument-specific rules".
The classification itself is ``ketaclinic.clinical.outcomes``; this module only picks which scores to compare.

Windows (all [UNSOURCED – common practice], clinic-editable through ``OutcomeWindows``):
- baseline: the LAST score taken on or before the course's start date with no dosing session before it
  (session number None or 0): the score nearest the first dose, so a months-old intake score does not count;
- end of induction: the last follow-up score in ``[end − 7 days, end + 7 days]`` (inclusive), where the end is
  the date induction was completed, or the date the course stopped if it stopped during induction;
- 3 months: the follow-up score nearest to start + 90 days within ``[76, 104]`` days (inclusive); a tie goes to
  the later score (more sessions behind it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ketaclinic.clinical import outcomes

END_OF_INDUCTION_WINDOW_DAYS = 7  # [UNSOURCED – common practice]; clinical.md §1.2 "response check … at the end of induction"
MONTH3_TARGET_DAYS = 90  # "at three months" (the issue); clinical.md gives no window [UNSOURCED]
MONTH3_HALF_WINDOW_DAYS = 14  # [UNSOURCED – common practice], clinic-editable
SUMMARY_RULE_VERSION = "course-summary-2026.1"


@dataclass(frozen=True)
class OutcomeWindows:
    end_of_induction_window_days: int = END_OF_INDUCTION_WINDOW_DAYS
    month3_target_days: int = MONTH3_TARGET_DAYS
    month3_half_window_days: int = MONTH3_HALF_WINDOW_DAYS

    def __post_init__(self) -> None:
        for name in ("end_of_induction_window_days", "month3_target_days", "month3_half_window_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
                raise outcomes.OutcomeError(f"{name}: {value!r} is outside 0–366 days")

    def month3_window(self, started_on: dt.date) -> tuple[dt.date, dt.date]:
        target = started_on + dt.timedelta(days=self.month3_target_days)
        half = dt.timedelta(days=self.month3_half_window_days)
        return target - half, target + half


DEFAULT_WINDOWS = OutcomeWindows()


@dataclass(frozen=True)
class ScoredPoint:
    """One final score of the course's primary scale. ``session_number``: dosing sessions before it (None: unknown)."""

    taken_on: dt.date
    total: int
    session_number: int | None = None


@dataclass(frozen=True)
class CourseSummary:
    scale: str
    baseline_total: int | None
    baseline_taken_on: dt.date | None
    end_of_induction_total: int | None
    end_of_induction_class: str | None
    month3_total: int | None
    month3_class: str | None
    latest_total: int | None
    latest_class: str | None
    sessions_to_response: int | None
    response_lost: bool
    rule_version: str = SUMMARY_RULE_VERSION

    @property
    def has_baseline(self) -> bool:
        return self.baseline_total is not None


def summarize_course(
    code: str,
    points: Sequence[ScoredPoint],
    *,
    started_on: dt.date,
    induction_ended_on: dt.date | None,
    windows: OutcomeWindows = DEFAULT_WINDOWS,
) -> CourseSummary:
    """``points`` in any order; ``induction_ended_on`` None while induction is still under way."""
    outcomes.rule_for(code)
    ordered = sorted(points, key=lambda p: (p.taken_on, p.session_number or 0))
    candidates = [p for p in ordered if _is_baseline_candidate(p, started_on)]
    if not candidates:
        return CourseSummary(code, None, None, None, None, None, None, None, None, None, False)
    baseline = candidates[-1]
    follow_ups = [p for p in ordered if not _is_baseline_candidate(p, started_on)]

    def classify(point: ScoredPoint | None) -> str | None:
        return None if point is None else outcomes.classify_change(code, baseline.total, point.total)

    induction = _end_of_induction(follow_ups, induction_ended_on, windows)
    month3 = _nearest(follow_ups, started_on, windows)
    latest = follow_ups[-1] if follow_ups else None
    return CourseSummary(
        scale=code,
        baseline_total=baseline.total,
        baseline_taken_on=baseline.taken_on,
        end_of_induction_total=induction.total if induction else None,
        end_of_induction_class=classify(induction),
        month3_total=month3.total if month3 else None,
        month3_class=classify(month3),
        latest_total=latest.total if latest else None,
        latest_class=classify(latest),
        sessions_to_response=_sessions_to_response(code, follow_ups, baseline.total),
        response_lost=outcomes.response_lost([p.total for p in follow_ups], baseline.total, code),
    )


def _is_baseline_candidate(point: ScoredPoint, started_on: dt.date) -> bool:
    return point.taken_on <= started_on and not point.session_number


def _end_of_induction(
    follow_ups: Sequence[ScoredPoint], ended_on: dt.date | None, windows: OutcomeWindows
) -> ScoredPoint | None:
    if ended_on is None:
        return None
    reach = dt.timedelta(days=windows.end_of_induction_window_days)
    inside = [p for p in follow_ups if ended_on - reach <= p.taken_on <= ended_on + reach]
    return inside[-1] if inside else None


def _nearest(follow_ups: Sequence[ScoredPoint], started_on: dt.date, windows: OutcomeWindows) -> ScoredPoint | None:
    lo, hi = windows.month3_window(started_on)
    target = started_on + dt.timedelta(days=windows.month3_target_days)
    inside = [p for p in follow_ups if lo <= p.taken_on <= hi]
    if not inside:
        return None
    # min() keeps the first of equals; reversed order makes the later of two equally near scores win.
    return min(reversed(inside), key=lambda p: abs((p.taken_on - target).days))


def _sessions_to_response(code: str, follow_ups: Sequence[ScoredPoint], baseline_total: int) -> int | None:
    """Per session number the lowest total (two scores after the same session: either meeting response counts)."""
    best: dict[int, int] = {}
    for point in follow_ups:
        if point.session_number:
            best[point.session_number] = min(point.total, best.get(point.session_number, point.total))
    pairs = sorted(best.items())
    return outcomes.sessions_to_response(pairs, baseline_total, code)
