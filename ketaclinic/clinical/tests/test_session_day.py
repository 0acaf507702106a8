import datetime as dt

import pytest

from ketaclinic.clinical import session_day as sd

UTC = dt.UTC
T = dt.datetime(2026, 11, 18, 18, 0, tzinfo=UTC)


def at(minutes: float) -> dt.datetime:
    return T + dt.timedelta(minutes=minutes)


def test_a_moment_before_the_first_drug_is_pre_dose():
    assert sd.phase_at(at(-1), None, None) == "pre-dose"
    assert sd.phase_at(at(-1), T, None) == "pre-dose"


def test_dosing_runs_from_the_start_up_to_but_not_including_the_end():
    assert sd.phase_at(T, T, at(40)) == "dosing"  # [start, end)
    assert sd.phase_at(at(39), T, at(40)) == "dosing"
    assert sd.phase_at(at(40), T, at(40)) == "recovery"
    assert sd.phase_at(at(400), T, None) == "dosing"  # still running


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="moment: .* no time zone"):
        sd.phase_at(dt.datetime(2026, 11, 18, 10, 0), None, None)


def test_the_next_device_waits_five_minutes_inclusive():
    # 4:59 after the last device: 1 s left; 5:00: allowed (§3.3 "wait 5 minutes")
    assert sd.device_wait_remaining(T, at(5) - dt.timedelta(seconds=1)) == dt.timedelta(seconds=1)
    assert sd.device_wait_remaining(T, at(5)) == dt.timedelta(0)
    assert sd.device_wait_remaining(None, T) == dt.timedelta(0)


def test_a_weight_is_current_for_max_age_days_inclusive():
    today = dt.date(2026, 11, 18)
    assert sd.weight_is_current(dt.date(2026, 10, 19), today)  # 30 days old
    assert not sd.weight_is_current(dt.date(2026, 10, 18), today)  # 31
    assert not sd.weight_is_current(None, today)
    assert not sd.weight_is_current(dt.date(2026, 11, 19), today)  # measured tomorrow: a typo
    assert sd.weight_is_current(dt.date(2026, 11, 11), today, max_age_days=7)
    with pytest.raises(ValueError, match="max_age_days"):
        sd.weight_is_current(today, today, max_age_days=-1)


def test_pregnancy_is_asked_unless_assigned_male():
    assert sd.pregnancy_status_relevant("female") and sd.pregnancy_status_relevant("intersex")
    assert not sd.pregnancy_status_relevant("male")


def test_the_forty_minute_bp_counts_within_ten_minutes_either_side():
    assert sd.esketamine_bp_recheck_due_at(T) == at(40)
    assert sd.is_forty_minute_reading(T, at(30)) and sd.is_forty_minute_reading(T, at(50))
    assert not sd.is_forty_minute_reading(T, at(29)) and not sd.is_forty_minute_reading(T, at(51))


def test_the_observation_clock_rounds_elapsed_down_and_remaining_up():
    clock = sd.observation_clock(T, at(30.5), 60)  # 30.5 min in: 30 elapsed, 29.5 → 30 left
    assert (clock.elapsed_min, clock.remaining_min, clock.over) == (30, 30, False)
    assert sd.observation_clock(T, at(60), 60).over
    with pytest.raises(ValueError, match="required_min"):
        sd.observation_clock(T, T, -1)


def test_esketamine_monitoring_needs_120_minutes():
    assert not sd.esketamine_monitoring_long_enough(T, at(119))
    assert sd.esketamine_monitoring_long_enough(T, at(120))
    with pytest.raises(ValueError, match="end: .* before start"):
        sd.minutes_between(at(1), T)


def test_the_ready_time_rounds_to_the_nearest_minute():
    assert sd.nearest_minutes(T + dt.timedelta(seconds=7), at(60)) == 60  # 59 min 53 s
    assert sd.nearest_minutes(T, at(59.5)) == 60 and sd.nearest_minutes(T, at(59.49)) == 59
