"""The public self-screen ("Am I a candidate?"): lay answers in, a non-diagnostic outcome out.

It does not judge anything itself: the answers become a candidacy intake and the PHQ-9 is scored by the
instrument library, so the self-screen and the clinic's engine can never disagree about a rule.

Outcomes:
- ``crisis``: PHQ-9 item 9 (thoughts of death or self-harm) answered ≥ 1; crisis resources come first
  (clinical.md §5.1, §5.2 [41]). ``worth_consultation`` still says what the rest of the answers suggest.
- ``worth-consultation``: at least one route is eligible, with or without cautions.
- ``talk-to-doctor``: no route is eligible now; ``concerns`` say why, in plain words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ketaclinic.clinical import instruments
from ketaclinic.clinical.candidacy import DEFAULT_PROTOCOL, CandidacyProtocol, Evaluation, Reason, Verdict, evaluate
from ketaclinic.clinical.instruments import phq9

WORTH_CONSULTATION = "worth-consultation"
TALK_TO_DOCTOR = "talk-to-doctor"
CRISIS = "crisis"
OUTCOMES = (WORTH_CONSULTATION, TALK_TO_DOCTOR, CRISIS)

# What a member of the public may tick; suicidal ideation is not ticked but read from PHQ-9 item 9.
SCREEN_CONDITIONS = frozenset({
    "major-depression", "bipolar-depression", "generalized-anxiety", "panic-disorder", "ptsd", "ocd", "chronic-pain",
})
# Lay flags → the engine's history keys; "pregnant" and "mood-high-now" map to their own intake fields.
FLAG_HISTORY_KEYS = {
    "psychosis": "psychosis",
    "substance-use": "substance_use_disorder_active",
    "aneurysm": "aneurysmal_vascular_disease",
    "avm": "arteriovenous_malformation",
    "brain-bleed": "intracerebral_hemorrhage",
    "ketamine-allergy": "ketamine_hypersensitivity",
    "heart-unstable": "unstable_cardiovascular_disease",
    "blood-pressure-uncontrolled": "uncontrolled_hypertension",
    "brain-injury": "brain_injury",
}
FLAGS = frozenset({*FLAG_HISTORY_KEYS, "pregnant", "mood-high-now"})
# The count question offers 0, 1, 2 and "3 or more"; more detail changes nothing the screen says.
MAX_COUNTED_FAILED_ANTIDEPRESSANTS = 3

_ELIGIBLE = frozenset({Verdict.ELIGIBLE, Verdict.ELIGIBLE_WITH_CAUTIONS})


class SelfScreenError(ValueError):
    """An answer is missing or out of range; the message names it."""


@dataclass(frozen=True)
class SelfScreenAnswers:
    adult: bool  # 18 or older (the protocol's minimum age)
    phq9: tuple[int, ...]  # nine answers, 0–3
    conditions: frozenset[str]  # from SCREEN_CONDITIONS
    failed_antidepressants: int  # taken ≥ the protocol's trial weeks and did not help enough
    psychotherapy_tried: bool
    flags: frozenset[str] = frozenset()  # from FLAGS


@dataclass(frozen=True)
class SelfScreenResult:
    outcome: str  # one of OUTCOMES
    worth_consultation: bool
    crisis: bool
    phq9: instruments.Score
    evaluation: Evaluation
    concerns: tuple[Reason, ...]  # not-eligible and physician-review reasons, once each, most severe first
    cautions: tuple[Reason, ...]


def self_screen(answers: SelfScreenAnswers, *, protocol: CandidacyProtocol = DEFAULT_PROTOCOL) -> SelfScreenResult:
    score = instruments.score("PHQ-9", answers.phq9)  # InstrumentError names the item
    crisis = phq9.FLAG_SUICIDAL_IDEATION in score.flags
    evaluation = evaluate(to_intake(answers, crisis=crisis, protocol=protocol), protocol=protocol)
    worth = any(route.verdict in _ELIGIBLE for route in evaluation.routes.values())
    reasons = _unique(reason for route in evaluation.routes.values() for reason in route.reasons)
    return SelfScreenResult(
        outcome=CRISIS if crisis else WORTH_CONSULTATION if worth else TALK_TO_DOCTOR,
        worth_consultation=worth, crisis=crisis, phq9=score, evaluation=evaluation,
        concerns=tuple(r for r in reasons if r.level in (Verdict.NOT_ELIGIBLE, Verdict.PHYSICIAN_REVIEW)),
        cautions=tuple(r for r in reasons if r.level == Verdict.ELIGIBLE_WITH_CAUTIONS),
    )


def to_intake(answers: SelfScreenAnswers, *, crisis: bool, protocol: CandidacyProtocol = DEFAULT_PROTOCOL) -> dict:
    """The engine's intake for these lay answers: failed trials become that many distinct adequate failures."""
    _check(answers)
    conditions = sorted(answers.conditions | ({"suicidal-ideation"} if crisis else set()))
    trials = [
        {"drug": f"antidepressant {n}", "weeks": protocol.min_trial_weeks, "adequate_dose": True, "outcome": "no-response"}
        for n in range(1, answers.failed_antidepressants + 1)
    ]
    return {
        "age_years": protocol.min_age_years if answers.adult else protocol.min_age_years - 1,
        "conditions": conditions,
        "current_mood_state": "manic" if "mood-high-now" in answers.flags else "depressed",
        "pregnant": "pregnant" in answers.flags,
        "antidepressant_trials": trials,
        "psychotherapy_tried": answers.psychotherapy_tried,
        "history": {key: True for flag, key in FLAG_HISTORY_KEYS.items() if flag in answers.flags},
    }


def _check(answers: SelfScreenAnswers) -> None:
    unknown = set(answers.conditions) - SCREEN_CONDITIONS
    if unknown:
        raise SelfScreenError(f"conditions: unknown value {sorted(unknown)[0]!r}")
    unknown = set(answers.flags) - FLAGS
    if unknown:
        raise SelfScreenError(f"flags: unknown value {sorted(unknown)[0]!r}")
    count = answers.failed_antidepressants
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_COUNTED_FAILED_ANTIDEPRESSANTS:
        raise SelfScreenError(f"failed_antidepressants: {count!r} is outside 0–{MAX_COUNTED_FAILED_ANTIDEPRESSANTS}")


def _unique(reasons: Iterable[Reason]) -> list[Reason]:
    seen: dict[str, Reason] = {}
    for reason in reasons:
        seen.setdefault(reason.rule_id, reason)
    return sorted(seen.values(), key=lambda r: -r.level.severity)
