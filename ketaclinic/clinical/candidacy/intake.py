"""Checking the intake dict and turning it into a frozen ``Intake``; every error names its field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

CONDITIONS = frozenset({
    "major-depression", "bipolar-depression", "generalized-anxiety", "panic-disorder", "ptsd", "ocd",
    "chronic-pain", "suicidal-ideation",
})
MOOD_STATES = frozenset({"depressed", "manic", "hypomanic", "mixed", "euthymic"})
FAILED_OUTCOMES = frozenset({"no-response", "partial-response"})
TRIAL_OUTCOMES = FAILED_OUTCOMES | {"response", "intolerance"}
HISTORY_KEYS = frozenset({
    "psychosis", "substance_use_disorder_active", "aneurysmal_vascular_disease",
    "arteriovenous_malformation", "intracerebral_hemorrhage", "ketamine_hypersensitivity",
    "unstable_cardiovascular_disease", "uncontrolled_hypertension", "brain_injury",
    "raised_intracranial_pressure", "hepatic_impairment", "interstitial_cystitis",
})
TRIAL_KEYS = frozenset({"drug", "weeks", "adequate_dose", "outcome"})

# Plausibility limits for a typed-in value, not clinical cut-offs: the ranges the issue sets for a
# screening reading, inclusive ([lo, hi]). An age above 130 years is a typing error.
SYSTOLIC_RANGE_MMHG = (40, 300)
DIASTOLIC_RANGE_MMHG = (20, 200)
MAX_PLAUSIBLE_AGE_YEARS = 130

REQUIRED_KEYS = frozenset({"age_years", "conditions", "current_mood_state"})
# Missing optional keys mean "none reported", as the issue sets for history: false, empty, or no reading.
OPTIONAL_KEYS = frozenset({
    "sex", "pregnant", "antidepressant_trials", "psychotherapy_tried", "history", "blood_pressure_mmhg",
    "medications",
})


class IntakeError(ValueError):
    """The intake is malformed or out of range; the message starts with the field, e.g. ``age_years: ...``."""


@dataclass(frozen=True)
class AntidepressantTrial:
    drug: str
    weeks: int
    adequate_dose: bool
    outcome: str


@dataclass(frozen=True)
class Intake:
    age_years: int
    sex: str | None
    pregnant: bool
    conditions: frozenset[str]
    current_mood_state: str
    antidepressant_trials: tuple[AntidepressantTrial, ...]
    psychotherapy_tried: bool
    history: frozenset[str]  # the history keys that are true
    blood_pressure_mmhg: tuple[int, int] | None  # (systolic, diastolic) at screening
    medications: tuple[str, ...]


def parse_intake(intake: Mapping) -> Intake:
    """Check every field of ``intake`` and return it as an ``Intake``; ``IntakeError`` names the bad field."""
    if not isinstance(intake, Mapping):
        raise IntakeError(f"intake: must be a dict, not {type(intake).__name__}")
    _check_keys(intake)
    return Intake(
        age_years=_age(intake["age_years"]),
        sex=_optional_text(intake.get("sex"), "sex"),
        pregnant=_bool(intake.get("pregnant", False), "pregnant"),
        conditions=frozenset(_choices(intake["conditions"], "conditions", CONDITIONS)),
        current_mood_state=_choice(intake["current_mood_state"], "current_mood_state", MOOD_STATES),
        antidepressant_trials=tuple(
            _trial(trial, f"antidepressant_trials[{i}]")
            for i, trial in enumerate(_list(intake.get("antidepressant_trials", []), "antidepressant_trials"))
        ),
        psychotherapy_tried=_bool(intake.get("psychotherapy_tried", False), "psychotherapy_tried"),
        history=_history(intake.get("history", {})),
        blood_pressure_mmhg=_blood_pressure(intake.get("blood_pressure_mmhg")),
        medications=tuple(
            _text(name, f"medications[{i}]")
            for i, name in enumerate(_list(intake.get("medications", []), "medications"))
        ),
    )


def _check_keys(intake: Mapping) -> None:
    # An unknown key is usually a misspelt one ("pregnent"); ignoring it would silently drop a finding.
    for key in intake:
        if key not in REQUIRED_KEYS | OPTIONAL_KEYS:
            raise IntakeError(f"{key}: unknown intake field")
    for key in sorted(REQUIRED_KEYS - intake.keys()):
        raise IntakeError(f"{key}: required")


def _age(value) -> int:
    number = _int(value, "age_years")
    if number < 0:
        raise IntakeError(f"age_years: {number} must not be negative")
    if number > MAX_PLAUSIBLE_AGE_YEARS:
        raise IntakeError(f"age_years: {number} is above {MAX_PLAUSIBLE_AGE_YEARS}")
    return number


def _trial(value, field: str) -> AntidepressantTrial:
    if not isinstance(value, Mapping):
        raise IntakeError(f"{field}: must be a dict with {sorted(TRIAL_KEYS)}")
    for key in value:
        if key not in TRIAL_KEYS:
            raise IntakeError(f"{field}.{key}: unknown trial field")
    for key in sorted(TRIAL_KEYS - value.keys()):
        raise IntakeError(f"{field}.{key}: required")
    weeks = _int(value["weeks"], f"{field}.weeks")
    if weeks < 0:
        raise IntakeError(f"{field}.weeks: must not be negative")
    return AntidepressantTrial(
        drug=_text(value["drug"], f"{field}.drug"),
        weeks=weeks,
        adequate_dose=_bool(value["adequate_dose"], f"{field}.adequate_dose"),
        outcome=_choice(value["outcome"], f"{field}.outcome", TRIAL_OUTCOMES),
    )


def _history(value) -> frozenset[str]:
    if not isinstance(value, Mapping):
        raise IntakeError(f"history: must be a dict of true/false, not {type(value).__name__}")
    for key, flag in value.items():
        if key not in HISTORY_KEYS:
            raise IntakeError(f"history.{key}: unknown history key (expected one of {sorted(HISTORY_KEYS)})")
        _bool(flag, f"history.{key}")
    return frozenset(key for key, flag in value.items() if flag)


def _blood_pressure(value) -> tuple[int, int] | None:
    if value is None:
        return None
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise IntakeError("blood_pressure_mmhg: must be [systolic, diastolic]")
    systolic = _in_range(value[0], "blood_pressure_mmhg[0] (systolic)", SYSTOLIC_RANGE_MMHG)
    diastolic = _in_range(value[1], "blood_pressure_mmhg[1] (diastolic)", DIASTOLIC_RANGE_MMHG)
    if diastolic >= systolic:
        raise IntakeError(
            f"blood_pressure_mmhg: diastolic {diastolic} must be below systolic {systolic} (swapped?)"
        )
    return systolic, diastolic


def _in_range(value, field: str, bounds: tuple[int, int]) -> int:
    number = _int(value, field)
    low, high = bounds
    if not low <= number <= high:
        raise IntakeError(f"{field}: {number} is outside {low}–{high} mmHg")
    return number


def _choices(value, field: str, allowed: frozenset[str]) -> list[str]:
    return [_choice(item, f"{field}[{i}]", allowed) for i, item in enumerate(_list(value, field))]


def _choice(value, field: str, allowed: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise IntakeError(f"{field}: unknown value {value!r} (expected one of {sorted(allowed)})")
    return value


def _list(value, field: str) -> list | tuple:
    # A bare string is iterable too; taking "ocd" as ["o", "c", "d"] would hide the mistake.
    if not isinstance(value, list | tuple):
        raise IntakeError(f"{field}: must be a list, not {type(value).__name__}")
    return value


def _int(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise IntakeError(f"{field}: {value!r} must be a whole number")
    return value


def _bool(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise IntakeError(f"{field}: {value!r} must be true or false")
    return value


def _text(value, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise IntakeError(f"{field}: {value!r} must be a non-empty string")
    return " ".join(value.split())


def _optional_text(value, field: str) -> str | None:
    return None if value is None else _text(value, field)
