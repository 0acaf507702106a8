"""Rating-scale library: one small module per scale, one registry, one ``score`` entry point.

>>> score("PHQ-9", [1, 1, 1, 1, 1, 1, 1, 1, 0]).severity
'mild'

Sources, cut-offs and licences: shared/reference/clinical.md §5 (see each module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from . import auditc, bdi2, cadss, cssrs, dast10, gad7, madrs, mdq, moaas, pcl5, phq9
from .auditc import AuditCLimits
from .base import AnswerOption, Band, InstrumentDefinition, InstrumentError, Item, Score
from .cadss import CadssLimits, cadss_dissociation
from .loinc import loinc_is_valid
from .mdq import MdqLimits
from .pcl5 import Pcl5Limits

INSTRUMENTS: Mapping[str, InstrumentDefinition] = MappingProxyType(
    {
        module.DEFINITION.code: module.DEFINITION
        for module in (phq9, gad7, pcl5, auditc, dast10, mdq, cssrs, moaas, cadss, madrs, bdi2)
    }
)


def get(code: str) -> InstrumentDefinition:
    """The definition for ``code`` (e.g. ``"PHQ-9"``); raises InstrumentError for an unknown code."""
    try:
        return INSTRUMENTS[code]
    except (KeyError, TypeError):
        known = ", ".join(INSTRUMENTS)
        raise InstrumentError(f"code: unknown instrument {code!r}; known: {known}") from None


def score(
    code: str, answers: Sequence[int], *, sex: str | None = None, limits: object | None = None
) -> Score:
    """Score a complete set of answers (ints in item order); raises InstrumentError naming the item."""
    return get(code).score(answers, sex=sex, limits=limits)


__all__ = [
    "INSTRUMENTS",
    "AnswerOption",
    "AuditCLimits",
    "Band",
    "CadssLimits",
    "InstrumentDefinition",
    "InstrumentError",
    "Item",
    "MdqLimits",
    "Pcl5Limits",
    "Score",
    "cadss_dissociation",
    "get",
    "loinc_is_valid",
    "score",
]
