"""MADRS (Montgomery–Åsberg), externally administered: only the clinician's total 0–60 is entered.

© Royal College of Psychiatrists; the items may not be embedded without a licence (clinical.md §5.5 [41]).
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

CODE = "MADRS"
RULE_VERSION = "madrs-1979.1"  # Montgomery & Åsberg 1979; Snaith/Herrmann cut-offs as used by CamCOPS

MADRS_MAX_TOTAL = 60  # 10 items × 6; clinical.md §5.5
# Band floors, each band [floor, next floor − 1] inclusive: <7 normal, 7–19 mild, 20–34 moderate,
# >34 severe; clinical.md §5.1 [41].
MADRS_NORMAL_MIN_TOTAL = 0
MADRS_MILD_MIN_TOTAL = 7
MADRS_MODERATE_MIN_TOTAL = 20
MADRS_SEVERE_MIN_TOTAL = 35

BANDS = bands_from_floors(
    MADRS_MAX_TOTAL,
    (
        (MADRS_NORMAL_MIN_TOTAL, "normal"),
        (MADRS_MILD_MIN_TOTAL, "mild"),
        (MADRS_MODERATE_MIN_TOTAL, "moderate"),
        (MADRS_SEVERE_MIN_TOTAL, "severe"),
    ),
)

ITEMS = (Item(1, "MADRS total (externally administered)", 0, MADRS_MAX_TOTAL),)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    return Score(CODE, values[0], band_label(BANDS, values[0]), frozenset(), RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="madrs",
    title="Montgomery–Åsberg Depression Rating Scale (MADRS), total entry",
    items=ITEMS,
    bands=BANDS,
    max_total=MADRS_MAX_TOTAL,
    loinc_panel=None,
    loinc_total=None,
    licence=(
        "© Royal College of Psychiatrists; items not embedded, total entry only. clinical.md §5.5 [41]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
)
