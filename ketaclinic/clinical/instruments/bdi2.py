"""BDI-II (Beck Depression Inventory-II), externally administered: only the total 0–63 is entered.

© Pearson, commercial licence required; supported only as externally administered score entry
(clinical.md §5.7 [41]).
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
    resolve_limits,
)

CODE = "BDI-II"
RULE_VERSION = "bdi2-1996.1"  # Beck, Steer & Brown 1996 manual cut-offs

BDI2_MAX_TOTAL = 63  # 21 items × 3; clinical.md §5.7
# Band floors, each band [floor, next floor − 1] inclusive; clinical.md §5.1, §5.7 [41].
BDI2_MINIMAL_MIN_TOTAL = 0
BDI2_MILD_MIN_TOTAL = 14
BDI2_MODERATE_MIN_TOTAL = 20
BDI2_SEVERE_MIN_TOTAL = 29

BANDS = bands_from_floors(
    BDI2_MAX_TOTAL,
    (
        (BDI2_MINIMAL_MIN_TOTAL, "minimal"),
        (BDI2_MILD_MIN_TOTAL, "mild"),
        (BDI2_MODERATE_MIN_TOTAL, "moderate"),
        (BDI2_SEVERE_MIN_TOTAL, "severe"),
    ),
)

ITEMS = (Item(1, "BDI-II total (externally administered)", 0, BDI2_MAX_TOTAL),)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    return Score(CODE, values[0], band_label(BANDS, values[0]), frozenset(), RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="bdi2",
    title="Beck Depression Inventory-II (BDI-II), total entry",
    items=ITEMS,
    bands=BANDS,
    max_total=BDI2_MAX_TOTAL,
    loinc_panel=None,  # 89209-1 has been claimed but its meaning is unverified (clinical.md §5.0)
    loinc_total=None,
    licence=(
        "© Pearson; commercial licence required. Items not embedded, total entry only. clinical.md §5.7."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
)
