"""DAST-10 (Drug Abuse Screening Test, past 12 months). Scoring and bands from clinical.md §5.12 [49].

© 1982 Harvey A. Skinner / CAMH, free for non-commercial use with credit only, so we store our own short
labels, not the question text; a clinic that holds the right to the text supplies it on its own form.
Answers are 1 = yes, 0 = no for every item; item 3 ("always able to stop") scores a point for "no".
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    InstrumentDefinition,
    Item,
    Score,
    band_label,
    bands_from_floors,
    check_answers,
    check_sex,
    options_from_labels,
    resolve_limits,
)

CODE = "DAST-10"
RULE_VERSION = "dast10-1982.1"  # Skinner 1982

DAST10_ANSWER_NO = 0
DAST10_ANSWER_YES = 1
DAST10_MAX_TOTAL = 10
DAST10_REVERSED_ITEM_NUMBERS = frozenset({3})  # "No" scores 1; clinical.md §5.12 [49]
# Band floors, each band [floor, next floor − 1] inclusive; clinical.md §5.1, §5.12 [49].
DAST10_NONE_MIN_TOTAL = 0
DAST10_LOW_MIN_TOTAL = 1
DAST10_MODERATE_MIN_TOTAL = 3
DAST10_SUBSTANTIAL_MIN_TOTAL = 6
DAST10_SEVERE_MIN_TOTAL = 9

BANDS = bands_from_floors(
    DAST10_MAX_TOTAL,
    (
        (DAST10_NONE_MIN_TOTAL, "none"),
        (DAST10_LOW_MIN_TOTAL, "low"),
        (DAST10_MODERATE_MIN_TOTAL, "moderate"),
        (DAST10_SUBSTANTIAL_MIN_TOTAL, "substantial"),
        (DAST10_SEVERE_MIN_TOTAL, "severe"),
    ),
)

YES_NO_OPTIONS = options_from_labels(("No", "Yes"))

_LABELS = (
    "non-medical drug use",
    "more than one drug at a time",
    "always able to stop (reverse-scored)",
    "blackouts or flashbacks",
    "guilt about drug use",
    "family complains about drug use",
    "neglected family",
    "illegal activity to obtain drugs",
    "withdrawal symptoms",
    "medical problems from drug use",
)

ITEMS = tuple(
    Item(number, label, DAST10_ANSWER_NO, DAST10_ANSWER_YES, None, YES_NO_OPTIONS)
    for number, label in enumerate(_LABELS, start=1)
)


def item_points(number: int, answer: int) -> int:
    if number in DAST10_REVERSED_ITEM_NUMBERS:
        return DAST10_ANSWER_YES - answer
    return answer


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    total = sum(item_points(number, answer) for number, answer in enumerate(values, start=1))
    return Score(CODE, total, band_label(BANDS, total), frozenset(), RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="dast10",
    title="Drug Abuse Screening Test (DAST-10)",
    items=ITEMS,
    bands=BANDS,
    max_total=DAST10_MAX_TOTAL,
    loinc_panel="82666-9",
    loinc_total="82667-7",
    licence=(
        "© 1982 Harvey A. Skinner / CAMH; non-commercial reproduction with credit only. Question text "
        "is not embedded. clinical.md §5.1 [41]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
)
