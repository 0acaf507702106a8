"""CADSS (Clinician-Administered Dissociative States Scale), 23-item ketamine-trial version, total 0–92.

Item wording is the author's copyright (Bremner 1998; permission [UNVERIFIED], clinical.md §5.9), so only
the total is entered: ``score("CADSS", [total])``. There are no standard bands. Dissociation is judged
against the same session's pre-dose total with ``cadss_dissociation``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .base import (
    NOT_BANDED,
    InstrumentDefinition,
    Item,
    Score,
    check_answers,
    check_int_in_range,
    check_limit_range,
    check_sex,
    resolve_limits,
)

CODE = "CADSS"
RULE_VERSION = "cadss23-1998.1"  # Bremner et al. 1998; 23-item version as in NCT04226963 [46]

CADSS_MAX_TOTAL = 92  # 23 items × 4; clinical.md §5.1, §5.9 [46]
# SPRAVATO label: dissociation = CADSS total > 4 and an increase from pre-dose; clinical.md §5.1, §5.9 [25].
CADSS_DISSOCIATION_ABOVE_TOTAL = 4


@dataclass(frozen=True)
class CadssLimits:
    dissociation_above_total: int = CADSS_DISSOCIATION_ABOVE_TOTAL  # strictly greater than this

    def __post_init__(self) -> None:
        check_limit_range(CODE, self, "dissociation_above_total", 0, CADSS_MAX_TOTAL - 1)


DEFAULT_LIMITS = CadssLimits()

ITEMS = (Item(1, "CADSS total (23-item, entered)", 0, CADSS_MAX_TOTAL),)


def score(answers: Sequence[int], *, sex: str | None = None, limits: None = None) -> Score:
    check_sex(sex)
    resolve_limits(CODE, limits, None)
    values = check_answers(CODE, ITEMS, answers)
    return Score(CODE, values[0], NOT_BANDED, frozenset(), RULE_VERSION, values)


def cadss_dissociation(pre_dose_total: int, current_total: int, *, limits: CadssLimits | None = None) -> bool:
    """True when the current total is above the limit (default 4) and above the pre-dose total."""
    check_int_in_range(f"{CODE} pre_dose_total", pre_dose_total, 0, CADSS_MAX_TOTAL, what="value")
    check_int_in_range(f"{CODE} current_total", current_total, 0, CADSS_MAX_TOTAL, what="value")
    limits = resolve_limits(CODE, limits, DEFAULT_LIMITS)
    return current_total > limits.dissociation_above_total and current_total > pre_dose_total


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="cadss",
    title="Clinician-Administered Dissociative States Scale (CADSS-23), total entry",
    items=ITEMS,
    bands=(),
    max_total=CADSS_MAX_TOTAL,
    loinc_panel=None,
    loinc_total=None,
    licence=(
        "Author (Bremner) copyright; permission needed [UNVERIFIED]. Items not embedded. clinical.md §5.1."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
)
