"""MDQ (Mood Disorder Questionnaire, bipolar-spectrum screen). Rule from clinical.md §5.10 [47].

"© GSK, adapted with permission" (Hirschfeld 2000); free clinical use is [UNVERIFIED], so we store our own
short labels, not the questions. Answers, in order (15 in all):
- items 1–13: the Q1 symptom list, 0 = no, 1 = yes;
- item 14: Q2, several symptoms in the same period, 0 = no, 1 = yes (answer 0 when it was skipped);
- item 15: Q3, how much of a problem, 0 = no problem, 1 = minor, 2 = moderate, 3 = serious.
The total is the number of "yes" answers on Q1 (0–13); the screen result is a rule, not a band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .base import (
    InstrumentDefinition,
    Item,
    Score,
    check_answers,
    check_limit_range,
    check_sex,
    options_from_labels,
    resolve_limits,
    versioned,
)

CODE = "MDQ"
RULE_VERSION = "mdq-2000.1"  # Hirschfeld et al. 2000

MDQ_SYMPTOM_ITEM_COUNT = 13
MDQ_CO_OCCURRENCE_ITEM_NUMBER = 14
MDQ_PROBLEM_ITEM_NUMBER = 15
MDQ_MAX_TOTAL = MDQ_SYMPTOM_ITEM_COUNT
# Positive = ≥7 yes on Q1 and yes on Q2 and "moderate" or "serious" on Q3; clinical.md §5.1, §5.10 [47].
MDQ_POSITIVE_MIN_YES_COUNT = 7
MDQ_POSITIVE_MIN_PROBLEM_ANSWER = 2  # 2 = moderate

FLAG_POSITIVE_SCREEN = "positive-screen"
POSITIVE_SCREEN = "positive screen"
NEGATIVE_SCREEN = "negative screen"


@dataclass(frozen=True)
class MdqLimits:
    min_yes_count: int = MDQ_POSITIVE_MIN_YES_COUNT
    min_problem_answer: int = MDQ_POSITIVE_MIN_PROBLEM_ANSWER

    def __post_init__(self) -> None:
        check_limit_range(CODE, self, "min_yes_count", 1, MDQ_SYMPTOM_ITEM_COUNT)
        check_limit_range(CODE, self, "min_problem_answer", 0, 3)


DEFAULT_LIMITS = MdqLimits()

YES_NO_OPTIONS = options_from_labels(("No", "Yes"))
PROBLEM_OPTIONS = options_from_labels(("No problem", "Minor problem", "Moderate problem", "Serious problem"))

_SYMPTOM_LABELS = (
    "felt so good or hyper",
    "irritable, fights or arguments",
    "more self-confident",
    "less sleep, not missed",
    "more talkative, faster speech",
    "racing thoughts",
    "easily distracted",
    "more energy",
    "more active",
    "more social or outgoing",
    "more interest in sex",
    "unusual or risky behaviour",
    "spending caused trouble",
)

ITEMS = tuple(
    Item(number, f"Q1 {label}", 0, 1, None, YES_NO_OPTIONS)
    for number, label in enumerate(_SYMPTOM_LABELS, start=1)
) + (
    Item(MDQ_CO_OCCURRENCE_ITEM_NUMBER, "Q2 several at the same time", 0, 1, None, YES_NO_OPTIONS),
    Item(MDQ_PROBLEM_ITEM_NUMBER, "Q3 how much of a problem", 0, 3, None, PROBLEM_OPTIONS),
)


def score(answers: Sequence[int], *, sex: str | None = None, limits: MdqLimits | None = None) -> Score:
    check_sex(sex)
    limits = resolve_limits(CODE, limits, DEFAULT_LIMITS)
    values = check_answers(CODE, ITEMS, answers)
    yes_count = sum(values[:MDQ_SYMPTOM_ITEM_COUNT])
    positive = (
        yes_count >= limits.min_yes_count
        and values[MDQ_CO_OCCURRENCE_ITEM_NUMBER - 1] == 1
        and values[MDQ_PROBLEM_ITEM_NUMBER - 1] >= limits.min_problem_answer
    )
    severity = POSITIVE_SCREEN if positive else NEGATIVE_SCREEN
    flags = frozenset({FLAG_POSITIVE_SCREEN}) if positive else frozenset()
    return Score(CODE, yes_count, severity, flags, versioned(RULE_VERSION, limits, DEFAULT_LIMITS), values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="mdq",
    title="Mood Disorder Questionnaire (MDQ)",
    items=ITEMS,
    bands=(),
    max_total=MDQ_MAX_TOTAL,
    loinc_panel=None,
    loinc_total=None,
    licence=(
        "© GSK, adapted with permission (Hirschfeld 2000); generally free for clinical use [UNVERIFIED]. "
        "Question text is not embedded. clinical.md §5.1 [47]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
    limits_type=MdqLimits,
)
