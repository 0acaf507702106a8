"""GAD-7 (Generalized Anxiety Disorder 7). Public domain; wording and codes from clinical.md §5.3."""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    AnswerOption,
    InstrumentDefinition,
    Item,
    Score,
    band_label,
    bands_from_floors,
    check_answers,
    check_sex,
    resolve_limits,
)
from .phq9 import FREQUENCY_OPTIONS, STEM

CODE = "GAD-7"
RULE_VERSION = "gad7-2006.1"  # Spitzer et al. 2006 bands

GAD7_ITEM_MIN = 0
GAD7_ITEM_MAX = 3
GAD7_MAX_TOTAL = 21  # 7 items × 3; clinical.md §5.1
# Band floors, each band [floor, next floor − 1] inclusive. Spitzer 2006; clinical.md §5.1, §5.3 [41].
GAD7_MINIMAL_MIN_TOTAL = 0
GAD7_MILD_MIN_TOTAL = 5
GAD7_MODERATE_MIN_TOTAL = 10
GAD7_SEVERE_MIN_TOTAL = 15

BANDS = bands_from_floors(
    GAD7_MAX_TOTAL,
    (
        (GAD7_MINIMAL_MIN_TOTAL, "minimal"),
        (GAD7_MILD_MIN_TOTAL, "mild"),
        (GAD7_MODERATE_MIN_TOTAL, "moderate"),
        (GAD7_SEVERE_MIN_TOTAL, "severe"),
    ),
)

# The LOINC-derived form labels score 2 on item 2 "More days than not" (LA18938-3); accept it as 2 on
# FHIR import alongside LA6570-1 (clinical.md §5.3). The screen shows the standard label.
ITEM2_ALTERNATE_OPTION_2 = AnswerOption(2, "More days than not", "LA18938-3")

_ITEM_TEXT = (
    ("nervous, anxious, on edge", "Feeling nervous, anxious or on edge", "69725-0"),
    ("can't stop worrying", "Not being able to stop or control worrying", "68509-9"),
    ("worrying too much", "Worrying too much about different things", "69733-4"),
    ("trouble relaxing", "Trouble relaxing", "69734-2"),
    ("restless", "Being so restless that it is hard to sit still", "69735-9"),
    ("irritable", "Becoming easily annoyed or irritable", "69689-8"),
    ("afraid something awful", "Feeling afraid as if something awful might happen", "69736-7"),
)

ITEMS = tuple(
    Item(number, label, GAD7_ITEM_MIN, GAD7_ITEM_MAX, wording, FREQUENCY_OPTIONS, loinc)
    for number, (label, wording, loinc) in enumerate(_ITEM_TEXT, start=1)
)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    total = sum(values)
    return Score(CODE, total, band_label(BANDS, total), frozenset(), RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="gad7",
    title="Generalized Anxiety Disorder-7 (GAD-7)",
    items=ITEMS,
    bands=BANDS,
    max_total=GAD7_MAX_TOTAL,
    loinc_panel="69737-5",
    loinc_total="70274-6",
    licence=(
        "Public domain. Copyright © Pfizer Inc. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, "
        "Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to "
        "reproduce, translate, display or distribute. clinical.md §5.3 [42]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
    stem=STEM,
)
