"""Vital-sign alert rules for one reading, the "near baseline" check and the reading cadence.

Every threshold is a shipped *default*, not clinical guidance (clinical.md §10.3, design rule 4); a clinic
tightens or loosens them by passing its own ``VitalLimits``. Most numbers are tagged
[UNSOURCED – common practice] in clinical.md; the only label number is SPRAVATO's pre-dose >140/90 (§3.4 [20]).

Boundary words in constant names: ``ABOVE`` is strict (>), ``AT_OR_ABOVE`` is ≥, ``BELOW`` is strict (<),
``AT_OR_BELOW`` is ≤. One reading is judged at a time; "sustained" (§10.3) is the nurse's call on recheck.
"""

import operator
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum


class Phase(StrEnum):
    PRE_DOSE = "pre-dose"
    DOSING = "dosing"
    RECOVERY = "recovery"


class Route(StrEnum):
    IV_KETAMINE = "iv-ketamine"
    ESKETAMINE = "esketamine"


class Level(StrEnum):
    CAUTION = "caution"  # notify / recheck (§10.3 "Caution")
    HOLD = "hold"  # pre-dose only: do not start yet, recheck (§1.6 "pre-dose hold")
    ACTION = "action"  # stop dosing / escalate (§10.3 "Action")


LEVEL_ORDER = (Level.CAUTION, Level.HOLD, Level.ACTION)  # least to most severe


def _require_int(name: str, value) -> None:
    # bool is an int subclass; True must not pass as a reading of 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: expected a whole number, got {value!r}")


def _parse(enum_type, name: str, value):
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise ValueError(f"{name}: {value!r} is not one of {allowed}") from None


# --- Blood pressure before dosing ---------------------------------------------------------------------
PREDOSE_SYSTOLIC_CAUTION_ABOVE_MMHG = 140  # SPRAVATO label ">140 systolic": weigh risk; clinical.md §3.4 [20]
PREDOSE_DIASTOLIC_CAUTION_ABOVE_MMHG = 90  # SPRAVATO label ">90 diastolic"; clinical.md §3.4 [20]
PREDOSE_SYSTOLIC_HOLD_AT_OR_ABOVE_MMHG = 160  # §1.6, §10.3 [UNSOURCED – common practice]; clinic-editable default
PREDOSE_DIASTOLIC_HOLD_AT_OR_ABOVE_MMHG = 100  # §1.6, §10.3 [UNSOURCED – common practice]; clinic-editable default

# --- Blood pressure while dosing and in recovery ------------------------------------------------------
SYSTOLIC_CAUTION_AT_OR_ABOVE_MMHG = 180  # §10.3; protocols SBP >180 [14][15]; clinic-editable default
SYSTOLIC_ACTION_AT_OR_ABOVE_MMHG = 200  # §10.3, §1.6 [UNSOURCED – common practice]; clinic-editable default
SYSTOLIC_CAUTION_BELOW_MMHG = 90  # §10.3 hypotension; protocols SBP <90 [14][15]
SYSTOLIC_ACTION_BELOW_MMHG = 80  # §10.3 hypotension action [UNSOURCED – common practice]; clinic-editable default
DIASTOLIC_CAUTION_AT_OR_ABOVE_MMHG = 110  # §10.3 [UNSOURCED – common practice]; clinic-editable default
DIASTOLIC_ACTION_AT_OR_ABOVE_MMHG = 120  # §10.3 [UNSOURCED – common practice]; clinic-editable default

# --- Every phase ----------------------------------------------------------------------------------------
SPO2_CAUTION_BELOW_PCT = 94  # §10.3 [UNSOURCED – common practice]; clinic-editable default
SPO2_ACTION_BELOW_PCT = 90  # §10.3 [UNSOURCED – common practice]; clinic-editable default
# Heart rate: example protocols use HR <50 / >120 [14] and >150 [15]; ours are §10.3 [UNSOURCED].
HEART_RATE_CAUTION_ABOVE_BPM = 110  # §10.3 [UNSOURCED]; clinic-editable default
HEART_RATE_ACTION_ABOVE_BPM = 130  # §10.3 [UNSOURCED]; clinic-editable default
HEART_RATE_CAUTION_BELOW_BPM = 55  # §10.3 [UNSOURCED]; clinic-editable default
HEART_RATE_ACTION_BELOW_BPM = 45  # §10.3 [UNSOURCED]; clinic-editable default
RESPIRATORY_RATE_CAUTION_BELOW_PER_MIN = 10  # §10.3; protocols RR <10 [14][15]
RESPIRATORY_RATE_ACTION_BELOW_PER_MIN = 8  # §10.3 [UNSOURCED – common practice]; clinic-editable default
RESPIRATORY_RATE_CAUTION_ABOVE_PER_MIN = 24  # §10.3 [UNSOURCED – common practice]; clinic-editable default

# --- Sedation (MOAA/S, 5 = alert ... 0 = no response to pain; §3.5 [53]) ---------------------------
MOAA_S_CAUTION_AT_OR_BELOW = 3  # §10.3: responds only to loud/repeated name [53]
MOAA_S_ACTION_AT_OR_BELOW = 1  # §10.3: no response to voice [53]
# Before any dose a patient should be fully alert (5). Anything less holds the dose for assessment.
# Our choice, not in clinical.md [UNSOURCED – common practice]; clinic-editable default.
PREDOSE_MOAA_S_HOLD_AT_OR_BELOW = 4

# --- Plausibility ------------------------------------------------------------------------------------------
# Outside these [lo, hi] inclusive ranges a reading is a typing or probe error, not a patient to alert on.
# Sanity bounds set by the issue, not clinical thresholds.
PLAUSIBLE_RANGES = {
    "systolic_mmhg": (40, 300),
    "diastolic_mmhg": (20, 200),
    "heart_rate_bpm": (20, 250),
    "spo2_pct": (50, 100),
    "respiratory_rate_per_min": (0, 60),
    "moaa_s": (0, 5),  # the scale itself, §3.5 [53]
}

# --- "Near baseline" for discharge -------------------------------------------------------------------
# ±20 % of the pre-dose value, inclusive. [UNSOURCED – common practice]; mirrors PADSS "within 20 % of
# pre-op value" (§9.2 [72]). Clinic-editable default.
NEAR_BASELINE_TOLERANCE_PCT = 20
NEAR_BASELINE_SPO2_AT_OR_ABOVE_PCT = 94  # the SpO2 caution line above (§10.3); absolute, not vs baseline
NEAR_BASELINE_PARAMETERS = ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm")

# --- Reading cadence ------------------------------------------------------------------------------------
DOSING_VITALS_INTERVAL_MIN = 10  # q10 min during the infusion, Emory/Yale cohorts; §1.6, §10.2 [5][7]
RECOVERY_VITALS_INTERVAL_MIN = 15  # q15 min afterwards until discharge; §1.6, §10.2 [5]


@dataclass(frozen=True)
class VitalLimits:
    """A clinic's alert limits; the defaults are the constants above."""

    predose_systolic_caution_above_mmhg: int = PREDOSE_SYSTOLIC_CAUTION_ABOVE_MMHG
    predose_diastolic_caution_above_mmhg: int = PREDOSE_DIASTOLIC_CAUTION_ABOVE_MMHG
    predose_systolic_hold_at_or_above_mmhg: int = PREDOSE_SYSTOLIC_HOLD_AT_OR_ABOVE_MMHG
    predose_diastolic_hold_at_or_above_mmhg: int = PREDOSE_DIASTOLIC_HOLD_AT_OR_ABOVE_MMHG
    systolic_caution_at_or_above_mmhg: int = SYSTOLIC_CAUTION_AT_OR_ABOVE_MMHG
    systolic_action_at_or_above_mmhg: int = SYSTOLIC_ACTION_AT_OR_ABOVE_MMHG
    systolic_caution_below_mmhg: int = SYSTOLIC_CAUTION_BELOW_MMHG
    systolic_action_below_mmhg: int = SYSTOLIC_ACTION_BELOW_MMHG
    diastolic_caution_at_or_above_mmhg: int = DIASTOLIC_CAUTION_AT_OR_ABOVE_MMHG
    diastolic_action_at_or_above_mmhg: int = DIASTOLIC_ACTION_AT_OR_ABOVE_MMHG
    spo2_caution_below_pct: int = SPO2_CAUTION_BELOW_PCT
    spo2_action_below_pct: int = SPO2_ACTION_BELOW_PCT
    heart_rate_caution_above_bpm: int = HEART_RATE_CAUTION_ABOVE_BPM
    heart_rate_action_above_bpm: int = HEART_RATE_ACTION_ABOVE_BPM
    heart_rate_caution_below_bpm: int = HEART_RATE_CAUTION_BELOW_BPM
    heart_rate_action_below_bpm: int = HEART_RATE_ACTION_BELOW_BPM
    respiratory_rate_caution_below_per_min: int = RESPIRATORY_RATE_CAUTION_BELOW_PER_MIN
    respiratory_rate_action_below_per_min: int = RESPIRATORY_RATE_ACTION_BELOW_PER_MIN
    respiratory_rate_caution_above_per_min: int = RESPIRATORY_RATE_CAUTION_ABOVE_PER_MIN
    moaa_s_caution_at_or_below: int = MOAA_S_CAUTION_AT_OR_BELOW
    moaa_s_action_at_or_below: int = MOAA_S_ACTION_AT_OR_BELOW
    predose_moaa_s_hold_at_or_below: int = PREDOSE_MOAA_S_HOLD_AT_OR_BELOW

    def __post_init__(self):
        for field in fields(self):
            _require_int(field.name, getattr(self, field.name))


DEFAULT_LIMITS = VitalLimits()


@dataclass(frozen=True)
class VitalsCadence:
    dosing: timedelta = timedelta(minutes=DOSING_VITALS_INTERVAL_MIN)
    recovery: timedelta = timedelta(minutes=RECOVERY_VITALS_INTERVAL_MIN)


VITALS_CADENCE = VitalsCadence()


@dataclass(frozen=True)
class Threshold:
    """One line of the alert table: ``value <comparison> limit`` raises ``level``."""

    parameter: str
    level: Level
    comparison: str  # one of ">", "≥", "<", "≤"
    limit: int

    def is_breached_by(self, value: int) -> bool:
        return _COMPARE[self.comparison](value, self.limit)


@dataclass(frozen=True)
class Alert:
    parameter: str
    level: Level
    message: str


_COMPARE = {">": operator.gt, "≥": operator.ge, "<": operator.lt, "≤": operator.le}

# Label and unit as a nurse reads them.
_DISPLAY = {
    "systolic_mmhg": ("Systolic", " mmHg"),
    "diastolic_mmhg": ("Diastolic", " mmHg"),
    "heart_rate_bpm": ("Heart rate", " bpm"),
    "spo2_pct": ("SpO2", " %"),
    "respiratory_rate_per_min": ("Respiratory rate", "/min"),
    "moaa_s": ("MOAA/S", ""),
}

# What to do, by level, phase and route. Esketamine has no infusion: it is dosed device by device (§3.3).
_ADVICE = {
    (Level.CAUTION, Phase.PRE_DOSE, None): "recheck; clinician to weigh the risk before dosing",
    # §1.6: "repeat after 5–10 min of rest"
    (Level.HOLD, Phase.PRE_DOSE, None): "hold the dose; recheck in 5–10 min",
    (Level.ACTION, Phase.PRE_DOSE, None): "do not dose; call the clinician now",
    (Level.CAUTION, Phase.DOSING, Route.IV_KETAMINE): "recheck; consider slowing the infusion",
    (Level.ACTION, Phase.DOSING, Route.IV_KETAMINE): "stop the infusion; call the clinician now",
    (Level.CAUTION, Phase.DOSING, Route.ESKETAMINE): "recheck; clinician to decide before the next device",
    (Level.ACTION, Phase.DOSING, Route.ESKETAMINE): "give no further device; call the clinician now",
    (Level.CAUTION, Phase.RECOVERY, None): "recheck; tell the clinician",
    (Level.ACTION, Phase.RECOVERY, None): "call the clinician now; keep monitoring",
}


def thresholds(phase: str, limits: VitalLimits = DEFAULT_LIMITS) -> tuple[Threshold, ...]:
    """The alert table that applies in ``phase``; also drives the legend and the chart lines."""
    phase = _parse(Phase, "phase", phase)
    if phase is Phase.PRE_DOSE:
        rows = _predose_rows(limits)
    else:
        rows = _in_session_rows(limits)
    return tuple(Threshold(*row) for row in rows + _every_phase_rows(limits))


def _predose_rows(lim: VitalLimits) -> list[tuple]:
    return [
        ("systolic_mmhg", Level.CAUTION, ">", lim.predose_systolic_caution_above_mmhg),
        ("systolic_mmhg", Level.HOLD, "≥", lim.predose_systolic_hold_at_or_above_mmhg),
        ("diastolic_mmhg", Level.CAUTION, ">", lim.predose_diastolic_caution_above_mmhg),
        ("diastolic_mmhg", Level.HOLD, "≥", lim.predose_diastolic_hold_at_or_above_mmhg),
        ("moaa_s", Level.HOLD, "≤", lim.predose_moaa_s_hold_at_or_below),
        ("moaa_s", Level.ACTION, "≤", lim.moaa_s_action_at_or_below),
    ]


def _in_session_rows(lim: VitalLimits) -> list[tuple]:
    return [
        ("systolic_mmhg", Level.CAUTION, "≥", lim.systolic_caution_at_or_above_mmhg),
        ("systolic_mmhg", Level.ACTION, "≥", lim.systolic_action_at_or_above_mmhg),
        ("systolic_mmhg", Level.CAUTION, "<", lim.systolic_caution_below_mmhg),
        ("systolic_mmhg", Level.ACTION, "<", lim.systolic_action_below_mmhg),
        ("diastolic_mmhg", Level.CAUTION, "≥", lim.diastolic_caution_at_or_above_mmhg),
        ("diastolic_mmhg", Level.ACTION, "≥", lim.diastolic_action_at_or_above_mmhg),
        ("moaa_s", Level.CAUTION, "≤", lim.moaa_s_caution_at_or_below),
        ("moaa_s", Level.ACTION, "≤", lim.moaa_s_action_at_or_below),
    ]


def _every_phase_rows(lim: VitalLimits) -> list[tuple]:
    return [
        ("heart_rate_bpm", Level.CAUTION, ">", lim.heart_rate_caution_above_bpm),
        ("heart_rate_bpm", Level.ACTION, ">", lim.heart_rate_action_above_bpm),
        ("heart_rate_bpm", Level.CAUTION, "<", lim.heart_rate_caution_below_bpm),
        ("heart_rate_bpm", Level.ACTION, "<", lim.heart_rate_action_below_bpm),
        ("spo2_pct", Level.CAUTION, "<", lim.spo2_caution_below_pct),
        ("spo2_pct", Level.ACTION, "<", lim.spo2_action_below_pct),
        ("respiratory_rate_per_min", Level.CAUTION, "<", lim.respiratory_rate_caution_below_per_min),
        ("respiratory_rate_per_min", Level.ACTION, "<", lim.respiratory_rate_action_below_per_min),
        ("respiratory_rate_per_min", Level.CAUTION, ">", lim.respiratory_rate_caution_above_per_min),
    ]


def assess_vitals(
    *,
    phase: str,
    route: str,
    systolic_mmhg: int | None = None,
    diastolic_mmhg: int | None = None,
    heart_rate_bpm: int | None = None,
    spo2_pct: int | None = None,
    respiratory_rate_per_min: int | None = None,
    moaa_s: int | None = None,
    limits: VitalLimits = DEFAULT_LIMITS,
) -> list[Alert]:
    """Alerts for one set of readings, most severe first; at most one per parameter. Empty: nothing to act on.

    Raises ValueError naming the field for an unknown phase or route, a non-integer or implausible reading,
    or a diastolic not below the systolic.
    """
    phase = _parse(Phase, "phase", phase)
    route = _parse(Route, "route", route)
    readings = {
        "systolic_mmhg": systolic_mmhg,
        "diastolic_mmhg": diastolic_mmhg,
        "heart_rate_bpm": heart_rate_bpm,
        "spo2_pct": spo2_pct,
        "respiratory_rate_per_min": respiratory_rate_per_min,
        "moaa_s": moaa_s,
    }
    readings = {name: value for name, value in readings.items() if value is not None}
    _check_readings(readings)
    table = thresholds(phase, limits)
    alerts = []
    for name, value in readings.items():
        worst = _worst_breach(table, name, value)
        if worst is not None:
            alerts.append(Alert(name, worst.level, _message(worst, value, phase, route)))
    alerts.sort(key=lambda alert: -LEVEL_ORDER.index(alert.level))  # stable: ties keep the argument order
    return alerts


def most_severe(alerts) -> Level | None:
    """The highest level among ``alerts``, or None when there are none."""
    levels = [alert.level for alert in alerts]
    return max(levels, key=LEVEL_ORDER.index) if levels else None


def near_baseline(baseline: dict, current: dict, *, tolerance_pct: int = NEAR_BASELINE_TOLERANCE_PCT) -> bool:
    """True when systolic, diastolic and heart rate are each within ±tolerance_pct of the pre-dose
    baseline (inclusive) and SpO2 is at least 94 % (absolute). Missing or implausible values raise."""
    _require_int("tolerance_pct", tolerance_pct)
    if not 0 <= tolerance_pct <= 100:
        raise ValueError(f"tolerance_pct: {tolerance_pct} is outside 0–100")
    base = _pick(baseline, "baseline", NEAR_BASELINE_PARAMETERS)
    now = _pick(current, "current", NEAR_BASELINE_PARAMETERS + ("spo2_pct",))
    # |now - base| ≤ base × pct / 100, kept in integers to avoid rounding at the edge.
    vitals_ok = all(abs(now[p] - base[p]) * 100 <= base[p] * tolerance_pct for p in NEAR_BASELINE_PARAMETERS)
    return vitals_ok and now["spo2_pct"] >= NEAR_BASELINE_SPO2_AT_OR_ABOVE_PCT


def next_due(phase: str, last_reading_at: datetime, cadence: VitalsCadence = VITALS_CADENCE) -> datetime:
    """When the next set of vitals is due. Pre-dose has no cadence: it is one reading before the dose."""
    phase = _parse(Phase, "phase", phase)
    if not isinstance(last_reading_at, datetime):
        raise ValueError(f"last_reading_at: expected a datetime, got {last_reading_at!r}")
    if phase is Phase.PRE_DOSE:
        raise ValueError("phase: pre-dose has no repeating cadence; take one reading before dosing")
    interval = cadence.dosing if phase is Phase.DOSING else cadence.recovery
    return last_reading_at + interval


def _worst_breach(table, name: str, value: int) -> Threshold | None:
    breached = [row for row in table if row.parameter == name and row.is_breached_by(value)]
    return max(breached, key=lambda row: LEVEL_ORDER.index(row.level), default=None)


def _message(row: Threshold, value: int, phase: Phase, route: Route) -> str:
    label, unit = _DISPLAY[row.parameter]
    advice = _ADVICE.get((row.level, phase, route)) or _ADVICE[(row.level, phase, None)]
    return f"{label} {value}{unit} {row.comparison} {row.limit}: {advice}"


def _check_readings(readings: dict) -> None:
    for name, value in readings.items():
        _require_plausible(name, value)
    systolic, diastolic = readings.get("systolic_mmhg"), readings.get("diastolic_mmhg")
    if systolic is not None and diastolic is not None and diastolic >= systolic:
        raise ValueError(f"diastolic_mmhg: {diastolic} is not below the systolic {systolic}")


def _pick(values: dict, where: str, names: tuple[str, ...]) -> dict:
    picked = {}
    for name in names:
        if values.get(name) is None:
            raise ValueError(f"{where}: {name} is missing")
        _require_plausible(name, values[name], field=f"{where} {name}")
        picked[name] = values[name]
    return picked


def _require_plausible(name: str, value, *, field: str | None = None) -> None:
    field = field or name
    _require_int(field, value)
    low, high = PLAUSIBLE_RANGES[name]
    if not low <= value <= high:
        raise ValueError(f"{field}: {value} is outside the plausible range {low}–{high}")
