"""Which rating scales the clinic uses how, read from the pure library's definitions (nothing re-scored here)."""

import re

from django.core.exceptions import ValidationError

from ketaclinic.clinical import instruments
from ketaclinic.clinical.instruments import InstrumentDefinition, InstrumentError, cssrs, phq9

# A patient may answer a scale in the portal only when every item's public-domain wording is in the library
# (PHQ-9, GAD-7, PCL-5, AUDIT-C); licensed scales (C-SSRS, MADRS, BDI-II, DAST-10, MDQ, CADSS) are asked by a
# clinician from the licensed form, who enters the answers or the total (clinical.md §0 point 4, §5.1).
SELF_REPORT_CODES = tuple(
    code for code, d in instruments.INSTRUMENTS.items() if d.items and all(item.wording for item in d.items)
)
STAFF_CODES = tuple(instruments.INSTRUMENTS)
# Totals entered from an externally administered form, without the copyrighted items (clinical.md §5.5, §5.7, §5.9).
TOTAL_ONLY_CODES = tuple(
    code for code, d in instruments.INSTRUMENTS.items() if len(d.items) == 1 and "total" in d.items[0].label
)
# Responses that open an urgent safety task: PHQ-9 item 9 ≥ 1 (clinical.md §5.1, §5.2) and a high C-SSRS
# screener triage (clinical.md §5.8 [50]). Flag strings are the library's.
SAFETY_FLAGS = {phq9.FLAG_SUICIDAL_IDEATION: "phq9-item9", cssrs.FLAG_HIGH_RISK: "cssrs-high"}
# Symptom-severity scales worth a trend line; screens (AUDIT-C, DAST-10, MDQ) and in-session observations
# (MOAA/S, CADSS, C-SSRS) are listed as results instead.
TRENDABLE_CODES = ("PHQ-9", "GAD-7", "PCL-5", "MADRS", "BDI-II")

_ITEM = re.compile(r"\bitem (\d+)\b")
_FIELD_PREFIXES = {"code": "instrument", "sex": "sex", "limits": "instrument"}


def definition(code: str) -> InstrumentDefinition:
    try:
        return instruments.get(code)
    except InstrumentError as error:
        raise ValidationError({"instrument": str(error)}) from None


def by_slug(slug: str) -> InstrumentDefinition | None:
    return next((d for d in instruments.INSTRUMENTS.values() if d.slug == slug), None)


def as_validation_error(error: InstrumentError) -> ValidationError:
    """The library's message, keyed by the item it names ("item_9") or else by "answers"."""
    message = str(error)
    field = _FIELD_PREFIXES.get(message.split(":", 1)[0], "answers")
    match = _ITEM.search(message.split(":", 1)[0])
    if match:
        field = f"item_{match.group(1)}"
    return ValidationError({field: message})


def is_safety_signal(flags) -> bool:
    return any(flag in SAFETY_FLAGS for flag in flags or ())
