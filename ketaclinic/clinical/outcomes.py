"""Measurement-based-care outcomes: change from baseline, response lost, sessions to response.

Definitions from shared/reference/clinical.md §6 (and §5.1). Percentages are compared in integers
(``100 × (baseline − current) ≥ pct × baseline``), so 50 % of 27 needs a 13.5-point drop exactly,
with no float rounding at the edge. All functions are pure; a clinic may pass its own ``OutcomeRule``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType

from ketaclinic.clinical.instruments.gad7 import GAD7_MAX_TOTAL
from ketaclinic.clinical.instruments.phq9 import PHQ9_MAX_TOTAL

REMISSION = "remission"
WORSENING = "worsening"
RESPONSE = "response"
PARTIAL_RESPONSE = "partial-response"
NO_RESPONSE = "no-response"
OUTCOMES = (REMISSION, WORSENING, RESPONSE, PARTIAL_RESPONSE, NO_RESPONSE)  # in order of precedence
MEETS_RESPONSE = frozenset({REMISSION, RESPONSE})

RESPONSE_MIN_REDUCTION_PCT = 50  # ≥50 % drop from baseline; clinical.md §6 [36]
PARTIAL_RESPONSE_MIN_REDUCTION_PCT = 25  # 25–49 % drop; clinical.md §6 [UNSOURCED – common practice]
PHQ9_REMISSION_BELOW_TOTAL = 5  # remission = PHQ-9 < 5; clinical.md §5.1, §6 [51]
GAD7_REMISSION_BELOW_TOTAL = 5  # remission = GAD-7 < 5; clinical.md §6 [UNSOURCED – common practice]
# PHQ-9 MCID ≈5 points (Löwe 2004); clinical.md §6 [51]. A rise that large counts as worsening.
PHQ9_WORSENING_MIN_INCREASE_POINTS = 5
# clinical.md gives no GAD-7 MCID; 4 points is the figure [UNSOURCED – clinic-editable default].
GAD7_WORSENING_MIN_INCREASE_POINTS = 4
# "The two most recent consecutive scores" (the issue); compare relapse, clinical.md §6 [UNVERIFIED].
RESPONSE_LOST_CONSECUTIVE_SCORES = 2
PERCENT_QUANTUM = Decimal("0.1")
SESSION_NUMBER_MAX = 10_000  # a guard against typos, not a clinical limit


class OutcomeError(ValueError):
    """A total, session number or rule that cannot be classified; the message names the field."""


def _check_int(name: str, value: object, lo: int, hi: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OutcomeError(f"{name}: expected an int, got {type(value).__name__} {value!r}")
    if value < lo or (hi is not None and value > hi):
        raise OutcomeError(f"{name}: {value} is outside {lo}–{hi if hi is not None else 'any'}")
    return value


@dataclass(frozen=True)
class OutcomeRule:
    """Instrument-specific outcome thresholds. Totals in ``[0, max_total]``; percentages are whole numbers."""

    code: str
    max_total: int
    remission_below_total: int
    worsening_min_increase_points: int
    response_min_reduction_pct: int = RESPONSE_MIN_REDUCTION_PCT
    partial_response_min_reduction_pct: int = PARTIAL_RESPONSE_MIN_REDUCTION_PCT

    def __post_init__(self) -> None:
        _check_int("max_total", self.max_total, 1, None)
        _check_int("remission_below_total", self.remission_below_total, 1, self.max_total)
        _check_int("worsening_min_increase_points", self.worsening_min_increase_points, 1, self.max_total)
        _check_int("response_min_reduction_pct", self.response_min_reduction_pct, 1, 100)
        _check_int(
            "partial_response_min_reduction_pct",
            self.partial_response_min_reduction_pct,
            1,
            self.response_min_reduction_pct,
        )


OUTCOME_RULES: Mapping[str, OutcomeRule] = MappingProxyType(
    {
        "PHQ-9": OutcomeRule(
            "PHQ-9", PHQ9_MAX_TOTAL, PHQ9_REMISSION_BELOW_TOTAL, PHQ9_WORSENING_MIN_INCREASE_POINTS
        ),
        "GAD-7": OutcomeRule(
            "GAD-7", GAD7_MAX_TOTAL, GAD7_REMISSION_BELOW_TOTAL, GAD7_WORSENING_MIN_INCREASE_POINTS
        ),
    }
)


@dataclass(frozen=True)
class ResponseSummary:
    """For the clinic outcomes page. The median is over responders only: read it with the counts."""

    courses: int
    responders: int
    median_sessions_to_response: Decimal | None


def rule_for(code: str, rule: OutcomeRule | None = None) -> OutcomeRule:
    """The clinic's rule if given (it must be for ``code``), else the published default."""
    if rule is not None:
        if not isinstance(rule, OutcomeRule) or rule.code != code:
            raise OutcomeError(f"rule: expected an OutcomeRule for {code!r}, got {rule!r}")
        return rule
    try:
        return OUTCOME_RULES[code]
    except (KeyError, TypeError):
        known = ", ".join(OUTCOME_RULES)
        raise OutcomeError(f"code: no outcome rule for {code!r}; known: {known}") from None


def classify_change(
    code: str, baseline_total: int, current_total: int, *, rule: OutcomeRule | None = None
) -> str:
    """First match wins: remission, worsening, response, partial-response, no-response.

    A baseline of 0 has no room for a percentage: it gives remission or worsening by the point rules,
    otherwise no-response (with the default rules every case ends in remission or worsening).
    """
    rule = rule_for(code, rule)
    _check_int("baseline_total", baseline_total, 0, rule.max_total)
    _check_int("current_total", current_total, 0, rule.max_total)
    drop = baseline_total - current_total
    if current_total < rule.remission_below_total:
        return REMISSION
    if -drop >= rule.worsening_min_increase_points:
        return WORSENING
    if baseline_total == 0:
        return NO_RESPONSE
    if 100 * drop >= rule.response_min_reduction_pct * baseline_total:
        return RESPONSE
    if 100 * drop >= rule.partial_response_min_reduction_pct * baseline_total:
        return PARTIAL_RESPONSE
    return NO_RESPONSE


def meets_response(
    code: str, baseline_total: int, current_total: int, *, rule: OutcomeRule | None = None
) -> bool:
    """Response or remission."""
    return classify_change(code, baseline_total, current_total, rule=rule) in MEETS_RESPONSE


def response_lost(
    totals_in_order: Sequence[int], baseline_total: int, code: str, *, rule: OutcomeRule | None = None
) -> bool:
    """True when response (or remission) was met at some score before the last two, and neither of the
    two most recent scores meets it. ``totals_in_order`` are the follow-up totals, baseline excluded."""
    rule = rule_for(code, rule)
    totals = _totals(totals_in_order, rule.max_total)
    met = [meets_response(code, baseline_total, total, rule=rule) for total in totals]
    recent = met[-RESPONSE_LOST_CONSECUTIVE_SCORES:]
    earlier = met[:-RESPONSE_LOST_CONSECUTIVE_SCORES]
    return len(recent) == RESPONSE_LOST_CONSECUTIVE_SCORES and not any(recent) and any(earlier)


def sessions_to_response(
    scored_sessions: Sequence[tuple[int, int]],
    baseline_total: int,
    code: str,
    *,
    rule: OutcomeRule | None = None,
) -> int | None:
    """The session number of the first score that meets response (or remission), or None.

    ``scored_sessions`` is ``(session_number, total)`` in order, session numbers strictly increasing from 1
    (sessions without a score are simply absent), so a course that skipped a questionnaire still counts
    its sessions right.
    """
    rule = rule_for(code, rule)
    previous = 0
    for index, pair in enumerate(scored_sessions):
        session_number, total = _session_pair(index, pair, rule.max_total)
        if session_number <= previous:
            raise OutcomeError(
                f"scored_sessions[{index}] session_number: {session_number} is not after {previous}"
            )
        previous = session_number
        if meets_response(code, baseline_total, total, rule=rule):
            return session_number
    return None


def median_sessions_to_response(sessions: Iterable[int | None]) -> Decimal | None:
    """Median over courses that reached response (None entries are non-responders and are left out)."""
    counts = sorted(
        _check_int(f"sessions[{index}]", count, 1, SESSION_NUMBER_MAX)
        for index, count in enumerate(sessions)
        if count is not None
    )
    if not counts:
        return None
    middle = len(counts) // 2
    if len(counts) % 2:
        return Decimal(counts[middle])
    return Decimal(counts[middle - 1] + counts[middle]) / 2


def summarize_response(sessions: Iterable[int | None]) -> ResponseSummary:
    """One ``sessions_to_response`` result per course in, counts and median out."""
    values = list(sessions)
    responders = sum(1 for n in values if n is not None)
    return ResponseSummary(len(values), responders, median_sessions_to_response(values))


def reduction_pct(code: str, baseline_total: int, current_total: int) -> Decimal | None:
    """Drop from baseline in percent, to 0.1 (half up); negative when worse; None when baseline is 0."""
    rule = rule_for(code)
    _check_int("baseline_total", baseline_total, 0, rule.max_total)
    _check_int("current_total", current_total, 0, rule.max_total)
    if baseline_total == 0:
        return None
    exact = Decimal(100 * (baseline_total - current_total)) / Decimal(baseline_total)
    return exact.quantize(PERCENT_QUANTUM, rounding=ROUND_HALF_UP)


def _totals(totals: Sequence[int], max_total: int) -> Sequence[int]:
    if isinstance(totals, (str, bytes)) or not isinstance(totals, Sequence):
        raise OutcomeError(f"totals_in_order: expected a list of ints, got {type(totals).__name__}")
    for index, total in enumerate(totals):
        _check_int(f"totals_in_order[{index}]", total, 0, max_total)
    return totals


def _session_pair(index: int, pair: object, max_total: int) -> tuple[int, int]:
    if not isinstance(pair, tuple) or len(pair) != 2:
        raise OutcomeError(f"scored_sessions[{index}]: expected (session_number, total), got {pair!r}")
    _check_int(f"scored_sessions[{index}] session_number", pair[0], 1, SESSION_NUMBER_MAX)
    _check_int(f"scored_sessions[{index}] total", pair[1], 0, max_total)
    return pair

