"""AUDIT-C (alcohol use, first 3 AUDIT questions). Public domain; wording from clinical.md §5.11 [48].

The positive-screen cut-off depends on sex: ``male`` (any case) uses the men's cut-off; every other value,
including None (not recorded), uses the lower one, so a missing sex never hides a positive screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .base import (
    Band,
    InstrumentDefinition,
    Item,
    Score,
    band_label,
    bands_from_floors,
    check_answers,
    check_limit_range,
    check_sex,
    options_from_labels,
    resolve_limits,
    versioned,
)

CODE = "AUDIT-C"
RULE_VERSION = "auditc-1998.1"  # Bush et al. 1998

AUDITC_ITEM_MIN = 0
AUDITC_ITEM_MAX = 4
AUDITC_MAX_TOTAL = 12  # 3 items × 4; clinical.md §5.1
# Positive screen: men ≥4, women ≥3; clinical.md §5.1, §5.11 [48].
AUDITC_MALE_POSITIVE_MIN_TOTAL = 4
AUDITC_OTHER_POSITIVE_MIN_TOTAL = 3

MALE = "male"
FLAG_POSITIVE_SCREEN = "positive-screen"
POSITIVE_SCREEN = "positive screen"
NEGATIVE_SCREEN = "negative screen"


@dataclass(frozen=True)
class AuditCLimits:
    male_positive_min_total: int = AUDITC_MALE_POSITIVE_MIN_TOTAL
    other_positive_min_total: int = AUDITC_OTHER_POSITIVE_MIN_TOTAL

    def __post_init__(self) -> None:
        check_limit_range(CODE, self, "male_positive_min_total", 1, AUDITC_MAX_TOTAL)
        check_limit_range(CODE, self, "other_positive_min_total", 1, AUDITC_MAX_TOTAL)


DEFAULT_LIMITS = AuditCLimits()

# Answer labels for item 2 are [UNVERIFIED] against the exact VA/SAMHSA form (clinical.md §5.11).
_ITEM_TEXT = (
    (
        "how often",
        "How often do you have a drink containing alcohol?",
        ("Never", "Monthly or less", "2–4 times a month", "2–3 times a week", "4+ times a week"),
    ),
    (
        "drinks on a typical day",
        "How many standard drinks containing alcohol do you have on a typical day?",
        ("1–2", "3–4", "5–6", "7–9", "10+"),
    ),
    (
        "six or more on one occasion",
        "How often do you have six or more drinks on one occasion?",
        ("Never", "Less than monthly", "Monthly", "Weekly", "Daily or almost daily"),
    ),
)

ITEMS = tuple(
    Item(number, label, AUDITC_ITEM_MIN, AUDITC_ITEM_MAX, wording, options_from_labels(options))
    for number, (label, wording, options) in enumerate(_ITEM_TEXT, start=1)
)


def is_male(sex: str | None) -> bool:
    return sex is not None and sex.strip().casefold() == MALE


def bands_for(*, sex: str | None = None, limits: AuditCLimits | None = None) -> tuple[Band, ...]:
    check_sex(sex)
    limits = resolve_limits(CODE, limits, DEFAULT_LIMITS)
    cut_off = limits.male_positive_min_total if is_male(sex) else limits.other_positive_min_total
    return bands_from_floors(AUDITC_MAX_TOTAL, ((0, NEGATIVE_SCREEN), (cut_off, POSITIVE_SCREEN)))


def score(answers: Sequence[int], *, sex: str | None = None, limits: AuditCLimits | None = None) -> Score:
    check_sex(sex)
    limits = resolve_limits(CODE, limits, DEFAULT_LIMITS)
    values = check_answers(CODE, ITEMS, answers)
    total = sum(values)
    severity = band_label(bands_for(sex=sex, limits=limits), total)
    flags = frozenset({FLAG_POSITIVE_SCREEN}) if severity == POSITIVE_SCREEN else frozenset()
    return Score(CODE, total, severity, flags, versioned(RULE_VERSION, limits, DEFAULT_LIMITS), values)


DEFINITION = InstrumentDefinition(
    code=CODE,
    slug="auditc",
    title="AUDIT-C (Alcohol Use Disorders Identification Test – Consumption)",
    items=ITEMS,
    bands=bands_for(),
    max_total=AUDITC_MAX_TOTAL,
    loinc_panel="72109-2",
    loinc_total="75626-2",
    licence=(
        "AUDIT-C public domain; the full AUDIT is © WHO, non-commercial use only. clinical.md §5.1 [41]."
    ),
    rule_version=RULE_VERSION,
    scorer=score,
    limits_type=AuditCLimits,
    band_builder=bands_for,
)
