import dataclasses
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from ketaclinic.clinical.vitals import (
    LEVEL_ORDER,
    Alert,
    VitalLimits,
    VitalsCadence,
    assess_vitals,
    most_severe,
    near_baseline,
    next_due,
    thresholds,
)

IN_SESSION = ("dosing", "recovery")
ALL_PHASES = ("pre-dose", "dosing", "recovery")
ROUTES = ("iv-ketamine", "esketamine")


def level_of(phase, parameter, value, route="iv-ketamine"):
    alerts = assess_vitals(phase=phase, route=route, **{parameter: value})
    assert len(alerts) <= 1
    return alerts[0].level if alerts else None


# (parameter, value, expected level) — each limit from both sides; the table is the issue's.
PREDOSE_ROWS = [
    # systolic: caution > 140, hold ≥ 160
    ("systolic_mmhg", 140, None), ("systolic_mmhg", 141, "caution"),
    ("systolic_mmhg", 159, "caution"), ("systolic_mmhg", 160, "hold"),
    ("systolic_mmhg", 230, "hold"),  # pre-dose tops out at hold: nothing is running to stop
    ("systolic_mmhg", 85, None),  # the table has no pre-dose hypotension row
    # diastolic: caution > 90, hold ≥ 100
    ("diastolic_mmhg", 90, None), ("diastolic_mmhg", 91, "caution"),
    ("diastolic_mmhg", 99, "caution"), ("diastolic_mmhg", 100, "hold"),
    # MOAA/S before any dose: anything below fully alert (5) holds; no response to voice (≤1) is action
    ("moaa_s", 5, None), ("moaa_s", 4, "hold"), ("moaa_s", 2, "hold"),
    ("moaa_s", 1, "action"), ("moaa_s", 0, "action"),
]

IN_SESSION_ROWS = [
    # systolic: caution ≥ 180 or < 90; action ≥ 200 or < 80
    ("systolic_mmhg", 179, None), ("systolic_mmhg", 180, "caution"),
    ("systolic_mmhg", 199, "caution"), ("systolic_mmhg", 200, "action"),
    ("systolic_mmhg", 90, None), ("systolic_mmhg", 89, "caution"),
    ("systolic_mmhg", 80, "caution"), ("systolic_mmhg", 79, "action"),
    ("systolic_mmhg", 150, None),  # the pre-dose limits no longer apply
    # diastolic: caution ≥ 110, action ≥ 120
    ("diastolic_mmhg", 109, None), ("diastolic_mmhg", 110, "caution"),
    ("diastolic_mmhg", 119, "caution"), ("diastolic_mmhg", 120, "action"),
    ("diastolic_mmhg", 95, None),
    # MOAA/S: caution ≤ 3, action ≤ 1
    ("moaa_s", 5, None), ("moaa_s", 4, None), ("moaa_s", 3, "caution"),
    ("moaa_s", 2, "caution"), ("moaa_s", 1, "action"), ("moaa_s", 0, "action"),
]

EVERY_PHASE_ROWS = [
    # SpO2: caution < 94, action < 90
    ("spo2_pct", 100, None), ("spo2_pct", 94, None), ("spo2_pct", 93, "caution"),
    ("spo2_pct", 90, "caution"), ("spo2_pct", 89, "action"),
    # heart rate: caution > 110 or < 55; action > 130 or < 45
    ("heart_rate_bpm", 110, None), ("heart_rate_bpm", 111, "caution"),
    ("heart_rate_bpm", 130, "caution"), ("heart_rate_bpm", 131, "action"),
    ("heart_rate_bpm", 55, None), ("heart_rate_bpm", 54, "caution"),
    ("heart_rate_bpm", 45, "caution"), ("heart_rate_bpm", 44, "action"),
    # respiratory rate: caution < 10 or > 24; action < 8 (fast breathing has no action level)
    ("respiratory_rate_per_min", 10, None), ("respiratory_rate_per_min", 9, "caution"),
    ("respiratory_rate_per_min", 8, "caution"), ("respiratory_rate_per_min", 7, "action"),
    ("respiratory_rate_per_min", 24, None), ("respiratory_rate_per_min", 25, "caution"),
    ("respiratory_rate_per_min", 60, "caution"),
]


@pytest.mark.parametrize("parameter, value, expected", PREDOSE_ROWS)
def test_predose_limits(parameter, value, expected):
    assert level_of("pre-dose", parameter, value) == expected


@pytest.mark.parametrize("phase", IN_SESSION)
@pytest.mark.parametrize("parameter, value, expected", IN_SESSION_ROWS)
def test_dosing_and_recovery_limits(phase, parameter, value, expected):
    assert level_of(phase, parameter, value) == expected


@pytest.mark.parametrize("phase", ALL_PHASES)
@pytest.mark.parametrize("parameter, value, expected", EVERY_PHASE_ROWS)
def test_every_phase_limits(phase, parameter, value, expected):
    assert level_of(phase, parameter, value) == expected


@pytest.mark.parametrize("route", ROUTES)
def test_it_applies_the_same_limits_to_both_routes(route):
    assert level_of("dosing", "systolic_mmhg", 180, route) == "caution"
    assert level_of("pre-dose", "systolic_mmhg", 160, route) == "hold"


def test_it_returns_nothing_for_normal_readings():
    alerts = assess_vitals(phase="dosing", route="iv-ketamine", systolic_mmhg=128, diastolic_mmhg=82,
                           heart_rate_bpm=72, spo2_pct=98, respiratory_rate_per_min=14, moaa_s=5)
    assert alerts == []


def test_it_returns_nothing_when_no_reading_is_given():
    assert assess_vitals(phase="recovery", route="esketamine") == []


def test_it_words_the_message_with_value_limit_and_advice():
    [alert] = assess_vitals(phase="dosing", route="iv-ketamine", systolic_mmhg=182)
    expected = "Systolic 182 mmHg ≥ 180: recheck; consider slowing the infusion"
    assert alert == Alert("systolic_mmhg", "caution", expected)


def test_it_tells_the_nurse_to_stop_the_infusion_on_action():
    [alert] = assess_vitals(phase="dosing", route="iv-ketamine", spo2_pct=88)
    assert alert.message == "SpO2 88 % < 90: stop the infusion; call the clinician now"


def test_it_speaks_of_devices_not_infusions_for_esketamine():
    [alert] = assess_vitals(phase="dosing", route="esketamine", respiratory_rate_per_min=7)
    assert alert.message == "Respiratory rate 7/min < 8: give no further device; call the clinician now"


def test_it_words_the_predose_hold():
    [alert] = assess_vitals(phase="pre-dose", route="esketamine", diastolic_mmhg=104)
    assert alert.message == "Diastolic 104 mmHg ≥ 100: hold the dose; recheck in 5–10 min"


def test_it_words_the_predose_caution_and_recovery_alerts():
    [caution] = assess_vitals(phase="pre-dose", route="esketamine", systolic_mmhg=145)
    assert caution.message == "Systolic 145 mmHg > 140: recheck; clinician to weigh the risk before dosing"
    [slow] = assess_vitals(phase="recovery", route="iv-ketamine", heart_rate_bpm=50)
    assert slow.message == "Heart rate 50 bpm < 55: recheck; tell the clinician"
    [drowsy] = assess_vitals(phase="recovery", route="iv-ketamine", moaa_s=1)
    assert drowsy.message == "MOAA/S 1 ≤ 1: call the clinician now; keep monitoring"


def test_it_reports_one_alert_per_parameter_at_the_most_severe_level():
    # 205 breaches both caution (≥180) and action (≥200): only the action is reported.
    [alert] = assess_vitals(phase="dosing", route="iv-ketamine", systolic_mmhg=205)
    assert alert.level == "action"
    assert alert.message == "Systolic 205 mmHg ≥ 200: stop the infusion; call the clinician now"


def test_it_lists_the_most_severe_alert_first():
    alerts = assess_vitals(phase="pre-dose", route="iv-ketamine", systolic_mmhg=150, diastolic_mmhg=100,
                           spo2_pct=85)
    assert [(a.parameter, a.level) for a in alerts] == [
        ("spo2_pct", "action"), ("diastolic_mmhg", "hold"), ("systolic_mmhg", "caution"),
    ]


def test_it_applies_a_clinic_limit_instead_of_the_default():
    stricter = VitalLimits(predose_systolic_hold_at_or_above_mmhg=150, spo2_caution_below_pct=95)
    assert assess_vitals(phase="pre-dose", route="iv-ketamine", systolic_mmhg=150, limits=stricter)[0].level == "hold"
    [alert] = assess_vitals(phase="recovery", route="iv-ketamine", spo2_pct=94, limits=stricter)
    assert alert.message == "SpO2 94 % < 95: recheck; tell the clinician"


def test_it_rejects_a_clinic_limit_that_is_not_a_whole_number():
    with pytest.raises(ValueError, match="systolic_caution_at_or_above_mmhg"):
        VitalLimits(systolic_caution_at_or_above_mmhg=180.5)


@pytest.mark.parametrize("parameter, low, high", [
    ("systolic_mmhg", 40, 300),
    ("diastolic_mmhg", 20, 200),  # checked alone: the below-systolic rule needs both
    ("heart_rate_bpm", 20, 250),
    ("spo2_pct", 50, 100),
    ("respiratory_rate_per_min", 0, 60),
    ("moaa_s", 0, 5),
])
def test_it_rejects_implausible_readings_naming_the_field(parameter, low, high):
    for accepted in (low, high):
        assess_vitals(phase="recovery", route="iv-ketamine", **{parameter: accepted})
    for rejected in (low - 1, high + 1):
        with pytest.raises(ValueError, match=f"^{parameter}: {rejected} is outside"):
            assess_vitals(phase="recovery", route="iv-ketamine", **{parameter: rejected})


def test_it_rejects_a_diastolic_not_below_the_systolic():
    with pytest.raises(ValueError, match="^diastolic_mmhg: 100 is not below the systolic 100"):
        assess_vitals(phase="dosing", route="iv-ketamine", systolic_mmhg=100, diastolic_mmhg=100)
    assert assess_vitals(phase="dosing", route="iv-ketamine", systolic_mmhg=100, diastolic_mmhg=99) == []


@pytest.mark.parametrize("bad", [True, 97.5, Decimal("97"), "97"])
def test_it_accepts_whole_numbers_only(bad):
    with pytest.raises(ValueError, match="^spo2_pct: expected a whole number"):
        assess_vitals(phase="dosing", route="iv-ketamine", spo2_pct=bad)


def test_it_rejects_an_unknown_phase_or_route_naming_it():
    with pytest.raises(ValueError, match="^phase: 'induction' is not one of pre-dose, dosing, recovery"):
        assess_vitals(phase="induction", route="iv-ketamine")
    with pytest.raises(ValueError, match="^route: 'im-ketamine' is not one of iv-ketamine, esketamine"):
        assess_vitals(phase="dosing", route="im-ketamine")


def test_alerts_are_frozen():
    [alert] = assess_vitals(phase="dosing", route="iv-ketamine", heart_rate_bpm=140)
    with pytest.raises(dataclasses.FrozenInstanceError):
        alert.level = "caution"


def test_most_severe_picks_the_highest_level():
    caution, hold, action = (Alert("x", level, "") for level in ("caution", "hold", "action"))
    assert most_severe([]) is None
    assert most_severe([caution]) == "caution"
    assert most_severe([caution, hold]) == "hold"
    assert most_severe([hold, action, caution]) == "action"
    assert LEVEL_ORDER == ("caution", "hold", "action")


def test_the_threshold_table_matches_the_alerts_for_the_legend():
    dosing = {(t.parameter, t.level, t.comparison, t.limit) for t in thresholds("dosing")}
    assert ("systolic_mmhg", "caution", "≥", 180) in dosing
    assert ("spo2_pct", "action", "<", 90) in dosing
    assert not any(t.level == "hold" for t in thresholds("recovery"))
    assert ("systolic_mmhg", "hold", "≥", 160) in {
        (t.parameter, t.level, t.comparison, t.limit) for t in thresholds("pre-dose")
    }


BASELINE = {"systolic_mmhg": 120, "diastolic_mmhg": 80, "heart_rate_bpm": 70, "spo2_pct": 98}


def current(**changes):
    return {**BASELINE, **changes}


@pytest.mark.parametrize("changes, expected", [
    ({}, True),
    # systolic 120 ± 20 % = ± 24 → 96..144 inclusive
    ({"systolic_mmhg": 144}, True), ({"systolic_mmhg": 145}, False),
    ({"systolic_mmhg": 96}, True), ({"systolic_mmhg": 95}, False),
    # diastolic 80 ± 16 → 64..96
    ({"diastolic_mmhg": 96}, True), ({"diastolic_mmhg": 97}, False),
    ({"diastolic_mmhg": 64}, True), ({"diastolic_mmhg": 63}, False),
    # heart rate 70 ± 14 → 56..84
    ({"heart_rate_bpm": 84}, True), ({"heart_rate_bpm": 85}, False),
    ({"heart_rate_bpm": 56}, True), ({"heart_rate_bpm": 55}, False),
    # SpO2 is absolute, ≥ 94
    ({"spo2_pct": 94}, True), ({"spo2_pct": 93}, False),
])
def test_near_baseline(changes, expected):
    assert near_baseline(BASELINE, current(**changes)) is expected


def test_near_baseline_takes_a_clinic_tolerance():
    # 120 ± 10 % = ± 12 → 132 in, 133 out
    assert near_baseline(BASELINE, current(systolic_mmhg=132), tolerance_pct=10) is True
    assert near_baseline(BASELINE, current(systolic_mmhg=133), tolerance_pct=10) is False


def test_near_baseline_rejects_missing_or_implausible_values_naming_them():
    with pytest.raises(ValueError, match="^current: heart_rate_bpm is missing"):
        near_baseline(BASELINE, {"systolic_mmhg": 120, "diastolic_mmhg": 80, "spo2_pct": 98})
    with pytest.raises(ValueError, match="^baseline: systolic_mmhg is missing"):
        near_baseline({}, current())
    with pytest.raises(ValueError, match="^baseline heart_rate_bpm: expected a whole number"):
        near_baseline(current(heart_rate_bpm="70"), current())
    with pytest.raises(ValueError, match="^current systolic_mmhg: 400 is outside"):
        near_baseline(BASELINE, current(systolic_mmhg=400))
    with pytest.raises(ValueError, match="^tolerance_pct: -5 is outside 0–100"):
        near_baseline(BASELINE, current(), tolerance_pct=-5)


def test_near_baseline_needs_no_baseline_spo2():
    baseline = {k: v for k, v in BASELINE.items() if k != "spo2_pct"}
    assert near_baseline(baseline, current()) is True


T0 = datetime(2026, 3, 14, 9, 0, tzinfo=timezone.utc)


def test_next_due_every_10_min_while_dosing_and_15_in_recovery():
    assert next_due("dosing", T0) == datetime(2026, 3, 14, 9, 10, tzinfo=timezone.utc)
    assert next_due("recovery", T0) == datetime(2026, 3, 14, 9, 15, tzinfo=timezone.utc)


def test_next_due_takes_a_clinic_cadence():
    every_5 = VitalsCadence(dosing=timedelta(minutes=5))
    assert next_due("dosing", T0, cadence=every_5) == datetime(2026, 3, 14, 9, 5, tzinfo=timezone.utc)


def test_next_due_rejects_pre_dose_and_bad_input():
    with pytest.raises(ValueError, match="^phase: pre-dose has no repeating cadence"):
        next_due("pre-dose", T0)
    with pytest.raises(ValueError, match="^phase: 'later'"):
        next_due("later", T0)
    with pytest.raises(ValueError, match="^last_reading_at: expected a datetime"):
        next_due("dosing", T0.date())
