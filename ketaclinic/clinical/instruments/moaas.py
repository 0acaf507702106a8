"""MOAA/S (Modified Observer's Assessment of Alertness/Sedation), one observer rating 0–5.

Levels from clinical.md §3.5 [53]; the labels below are our own short forms of them. Alert thresholds for
sedation (MOAA/S ≤3 caution, ≤1 action; clinical.md §10.3) belong to the vital-sign rules, not here.
"""

from __future__ import annotations

from collections.abc import Sequence

from .base import (
    Band,
    InstrumentDefinition,
    Item,
    Score,
    band_label,
    check_answers,
    check_sex,
    options_from_labels,
    resolve_limits,
)

CODE = "MOAA/S"
RULE_VERSION = "moaas-1990.1"  # Chernik et al. 1990

MOAAS_MIN_SCORE = 0  # does not respond to painful trapezius squeeze; LOC in the SPRAVATO label [20]
MOAAS_MAX_SCORE = 5  # responds readily to name in normal tone (alert); clinical.md §3.5 [53]

_LEVEL_LABELS = (
    "unresponsive to pain",
    "responds to pain only",
    "responds to prodding or shaking",
    "responds to loud or repeated name",
    "lethargic response to name",
    "alert",
)

BANDS = tuple(Band(level, level, label) for level, label in enumerate(_LEVEL_LABELS))

ITEMS = (
    Item(1, "responsiveness", MOAAS_MIN_SCORE, MOAAS_MAX_SCORE, None, options_from_labels(_LEVEL_LABELS)),
)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    total = values[0]
    return Score(CODE, total, band_label(BANDS, total), frozenset(), RULE_VERSION, values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="moaas",
    title="Modified Observer's Assessment of Alertness/Sedation (MOAA/S)",
    items=ITEMS,
    bands=BANDS,
    max_total=MOAAS_MAX_SCORE,
    loinc_panel=None,
    loinc_total=None,
    licence=(
        "Published observer scale (Chernik 1990); levels in our own words. clinical.md §3.5 [53]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
)
