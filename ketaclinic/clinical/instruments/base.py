"""Shared types for the rating-scale library: items, bands, definitions, results and input checks.

Conventions (CamCOPS-style, STYLE.md §7, §9, §10):
- answers are ints in item order; nothing is scored until every item has a valid answer;
- a ``Band(lo, hi, label)`` covers totals in ``[lo, hi]`` inclusive, and one bands tuple per instrument
  drives the severity, the page legend and the chart lines;
- a ``Score`` keeps the raw answers, the rule version and the conclusion apart, so an old result
  stays explainable after a rule or a clinic's limits change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .loinc import loinc_is_valid

NOT_BANDED = "not banded"


class InstrumentError(ValueError):
    """Answers, limits or an instrument code that cannot be scored; the message names the item or field."""


@dataclass(frozen=True)
class Band:
    """Totals in ``[lo, hi]`` (inclusive) carry ``label``."""

    lo: int
    hi: int
    label: str

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"band {self.label!r}: lo {self.lo} is above hi {self.hi}")

    def contains(self, total: int) -> bool:
        return self.lo <= total <= self.hi


@dataclass(frozen=True)
class AnswerOption:
    value: int
    label: str
    loinc_answer: str | None = None  # LOINC answer code (LA…); a different check scheme, not mod-10


@dataclass(frozen=True)
class Item:
    """One answer slot. ``wording`` is the exact public-domain text, or None where the text is licensed."""

    number: int
    label: str  # our own short label, always safe to show
    lo: int
    hi: int
    wording: str | None = None
    options: tuple[AnswerOption, ...] = ()
    loinc: str | None = None


@dataclass(frozen=True)
class Score:
    instrument: str
    total: int
    severity: str
    flags: frozenset[str]
    rule_version: str
    answers: tuple[int, ...]
    subscores: tuple[tuple[str, int], ...] = ()

    def subscore(self, name: str) -> int:
        return dict(self.subscores)[name]


@dataclass(frozen=True)
class InstrumentDefinition:
    code: str
    slug: str
    title: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]  # default bands; empty for rule-based scales (MDQ, C-SSRS) and CADSS
    max_total: int
    loinc_panel: str | None
    loinc_total: str | None
    licence: str
    rule_version: str
    scorer: Callable[..., Score] = field(repr=False, compare=False)
    stem: str | None = None
    min_total: int = 0
    limits_type: type | None = None
    band_builder: Callable[..., tuple[Band, ...]] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name, code in self._loinc_codes():
            if not loinc_is_valid(code):
                raise ValueError(f"{self.code} {name}: {code!r} fails the LOINC check digit")
        check_bands_cover(self.code, self.bands, self.min_total, self.max_total)

    @property
    def item_count(self) -> int:
        return len(self.items)

    @property
    def item_min(self) -> int:
        return min(item.lo for item in self.items)

    @property
    def item_max(self) -> int:
        return max(item.hi for item in self.items)

    def bands_for(self, *, sex: str | None = None, limits: object | None = None) -> tuple[Band, ...]:
        """The bands in force for this patient and clinic (AUDIT-C depends on sex, PCL-5 on the cut-off)."""
        if self.band_builder is None:
            return self.bands
        return self.band_builder(sex=sex, limits=limits)

    def score(self, answers: Sequence[int], *, sex: str | None = None, limits: object | None = None) -> Score:
        return self.scorer(answers, sex=sex, limits=limits)

    def _loinc_codes(self) -> list[tuple[str, str]]:
        codes = [("loinc_panel", self.loinc_panel), ("loinc_total", self.loinc_total)]
        codes += [(f"item {item.number} loinc", item.loinc) for item in self.items]
        return [(name, code) for name, code in codes if code is not None]


def check_bands_cover(code: str, bands: tuple[Band, ...], min_total: int, max_total: int) -> None:
    """Bands must tile ``[min_total, max_total]`` without gap or overlap, in ascending order."""
    if not bands:
        return
    expected_lo = min_total
    for band in bands:
        if band.lo != expected_lo:
            raise ValueError(f"{code} band {band.label!r}: starts at {band.lo}, expected {expected_lo}")
        expected_lo = band.hi + 1
    if bands[-1].hi != max_total:
        raise ValueError(f"{code} bands end at {bands[-1].hi}, expected {max_total}")


def bands_from_floors(max_total: int, floors: Sequence[tuple[int, str]]) -> tuple[Band, ...]:
    """Build contiguous inclusive bands from ``(lowest total, label)`` pairs in ascending order."""
    tops = [lo - 1 for lo, _ in floors[1:]] + [max_total]
    return tuple(Band(lo, hi, label) for (lo, label), hi in zip(floors, tops))


def band_label(bands: tuple[Band, ...], total: int) -> str:
    for band in bands:
        if band.contains(total):
            return band.label
    raise InstrumentError(f"total: {total} falls in no band")  # unreachable when bands tile the range


def options_from_labels(labels: Sequence[str], start: int = 0) -> tuple[AnswerOption, ...]:
    return tuple(AnswerOption(start + offset, label) for offset, label in enumerate(labels))


def check_answers(code: str, items: tuple[Item, ...], answers: Sequence[int]) -> tuple[int, ...]:
    """Return the answers as a tuple, or raise naming the first item that cannot be scored."""
    if isinstance(answers, (str, bytes)) or not isinstance(answers, Sequence):
        raise InstrumentError(
            f"{code} answers: expected a list of ints in item order, got {type(answers).__name__}"
        )
    if len(answers) < len(items):
        raise InstrumentError(
            f"{code} item {len(answers) + 1}: missing; expected {len(items)} answers, got {len(answers)}"
        )
    if len(answers) > len(items):
        raise InstrumentError(
            f"{code} item {len(items) + 1}: unexpected; expected {len(items)} answers, got {len(answers)}"
        )
    for item, value in zip(items, answers):
        check_int_in_range(f"{code} item {item.number}", value, item.lo, item.hi)
    return tuple(answers)


def check_int_in_range(name: str, value: object, lo: int, hi: int, *, what: str = "answer") -> int:
    if value is None:
        raise InstrumentError(f"{name}: missing {what}")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstrumentError(f"{name}: expected an int, got {type(value).__name__} {value!r}")
    if not lo <= value <= hi:
        raise InstrumentError(f"{name}: {value} is outside {lo}–{hi}")
    return value


def check_sex(sex: object) -> None:
    if sex is not None and not isinstance(sex, str):
        raise InstrumentError(f"sex: expected a str or None, got {type(sex).__name__} {sex!r}")


def resolve_limits(code: str, limits: object | None, default: object | None) -> object | None:
    """The clinic's limits object, or the published default; a limits object for another scale is an error."""
    if limits is None:
        return default
    if default is None:
        raise InstrumentError(f"{code} limits: this scale has no clinic-adjustable limits")
    if type(limits) is not type(default):
        raise InstrumentError(
            f"{code} limits: expected {type(default).__name__}, got {type(limits).__name__}"
        )
    return limits


def versioned(rule_version: str, limits: object | None, default: object | None) -> str:
    """Append every limit a clinic changed, e.g. ``pcl5-2013.1+probable_ptsd_min_total=31``."""
    if limits is None or limits == default:
        return rule_version
    changed = [
        f"{f.name}={getattr(limits, f.name)}"
        for f in dataclasses.fields(limits)
        if getattr(limits, f.name) != getattr(default, f.name)
    ]
    return rule_version + "+" + ",".join(changed)


def check_limit_range(code: str, limits: object, name: str, lo: int, hi: int) -> None:
    """For a limits dataclass's ``__post_init__``: each limit must be an int inside the scale."""
    check_int_in_range(f"{code} limits {name}", getattr(limits, name), lo, hi, what="value")
