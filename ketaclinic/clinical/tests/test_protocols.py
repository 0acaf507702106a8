"""Tests for ketaclinic.clinical.protocols, with hand-worked calendars.

Calendars used (Monday first):

    January 2026                February 2026               March 2026
    Mo Tu We Th Fr Sa Su        Mo Tu We Th Fr Sa Su        Mo Tu We Th Fr Sa Su
              1  2  3  4                           1                           1
     5  6  7  8  9 10 11         2  3  4  5  6  7  8         2  3  4  5  6  7  8
    12 13 14 15 16 17 18         9 10 11 12 13 14 15         9 10 11 12 13 14 15
    19 20 21 22 23 24 25        16 17 18 19 20 21 22        16 17 18 19 20 21 22
    26 27 28 29 30 31           23 24 25 26 27 28           23 24 25 26 27 28 29

    October 2026                November 2026   (US daylight saving ends Sun 1 Nov 2026, 02:00 local)
    Mo Tu We Th Fr Sa Su        Mo Tu We Th Fr Sa Su
              1  2  3  4                           1
     5  6  7  8  9 10 11         2  3  4  5  6  7  8
    12 13 14 15 16 17 18         9 10 11 12 13 14 15
    19 20 21 22 23 24 25        16 17 18 19 20 21 22
    26 27 28 29 30 31           23 24 25 26 27 28 29
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from ketaclinic.clinical.protocols import (
    ESKETAMINE_DEVICE_GAP_MIN,
    ESKETAMINE_DOSING_ALLOWANCE_MIN,
    ChairProtocol,
    EsketamineProtocol,
    Indication,
    IvInductionProtocol,
    Phase,
    PlannedDose,
    Route,
    chair_minutes,
    esketamine_schedule,
    fits_window,
    iv_induction_dates,
)


def d(month, day, year=2026):
    return dt.date(year, month, day)


def dates_of(plan):
    return [dose.date for dose in plan]


# --- esketamine_schedule -----------------------------------------------------------------------------


def test_it_plans_trd_from_a_monday_on_mondays_and_thursdays_then_mondays():
    # Start Mon 5 Jan. Weeks 1-4 (induction) on day 0 and day 3: Mon/Thu.
    #   wk1 Mon 5 – Sun 11: 5, 8    wk2: 12, 15    wk3: 19, 22    wk4: 26, 29
    # Weeks 5-8 (maintenance) weekly on day 0: Mon 2, 9, 16, 23 Feb.
    plan = esketamine_schedule(d(1, 5))
    assert dates_of(plan) == [
        d(1, 5), d(1, 8), d(1, 12), d(1, 15), d(1, 19), d(1, 22), d(1, 26), d(1, 29),
        d(2, 2), d(2, 9), d(2, 16), d(2, 23),
    ]
    assert [dose.week for dose in plan] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8]
    assert [dose.phase for dose in plan] == [Phase.INDUCTION] * 8 + [Phase.MAINTENANCE] * 4
    assert all(dose.dose_mg == 56 for dose in plan)


def test_it_returns_frozen_planned_doses():
    first = esketamine_schedule(d(1, 5))[0]
    assert first == PlannedDose(date=d(1, 5), week=1, phase="induction", dose_mg=56)
    with pytest.raises(AttributeError):
        first.dose_mg = 84


def test_it_starts_trd_at_56_mg_on_day_1_then_uses_84_mg():
    plan = esketamine_schedule(d(1, 5), dose_mg=84)
    assert [dose.dose_mg for dose in plan] == [56] + [84] * 11


def test_it_plans_a_wednesday_start_on_wednesdays_and_saturdays():
    # Start Wed 7 Jan; week 1 is Wed 7 – Tue 13, week 2 Wed 14 – Tue 20, ...
    #   induction day 0 / day 3: Wed 7, Sat 10 | 14, 17 | 21, 24 | 28, Sat 31
    #   weekly wk5-8: Wed 4, 11, 18, 25 Feb
    #   every 2 weeks from wk9: wk9 Wed 4 Mar, wk10 none, wk11 Wed 18 Mar, wk12 none
    plan = esketamine_schedule(d(1, 7), maintenance_every_weeks=2, through_week=12)
    assert dates_of(plan) == [
        d(1, 7), d(1, 10), d(1, 14), d(1, 17), d(1, 21), d(1, 24), d(1, 28), d(1, 31),
        d(2, 4), d(2, 11), d(2, 18), d(2, 25),
        d(3, 4), d(3, 18),
    ]
    assert [dose.week for dose in plan] == [1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 7, 8, 9, 11]


def test_it_doses_weekly_from_week_9_when_maintenance_is_every_week():
    # Wednesday start as above; wk9 Wed 4 Mar, wk10 Wed 11 Mar.
    plan = esketamine_schedule(d(1, 7), maintenance_every_weeks=1, through_week=10)
    assert dates_of(plan)[-3:] == [d(2, 25), d(3, 4), d(3, 11)]
    assert [dose.week for dose in plan][-3:] == [8, 9, 10]


def test_it_ignores_the_maintenance_interval_before_week_9():
    every_week = esketamine_schedule(d(1, 5), maintenance_every_weeks=1, through_week=8)
    every_other = esketamine_schedule(d(1, 5), maintenance_every_weeks=2, through_week=8)
    assert every_week == every_other


def test_it_stops_at_through_week():
    # wk1 only: Mon 5 and Thu 8 Jan.
    assert dates_of(esketamine_schedule(d(1, 5), through_week=1)) == [d(1, 5), d(1, 8)]


def test_it_switches_from_induction_to_maintenance_between_weeks_4_and_5():
    plan = esketamine_schedule(d(1, 5), through_week=5)
    assert [(dose.week, dose.phase) for dose in plan[-3:]] == [
        (4, Phase.INDUCTION), (4, Phase.INDUCTION), (5, Phase.MAINTENANCE),
    ]


def test_it_never_plans_esketamine_on_consecutive_days():
    for start, every in itertools.product([d(1, 5) + dt.timedelta(days=n) for n in range(7)], (1, 2)):
        plan = esketamine_schedule(start, maintenance_every_weeks=every, through_week=104)
        gaps = [(b.date - a.date).days for a, b in itertools.pairwise(plan)]
        assert min(gaps) >= 3, (start, every)
        assert all((dose.date - start).days // 7 + 1 == dose.week for dose in plan)


def test_it_plans_mdsi_twice_weekly_at_84_mg_for_four_weeks_only():
    # Start Mon 5 Jan: 5, 8 | 12, 15 | 19, 22 | 26, 29; nothing after week 4 even through week 52.
    plan = esketamine_schedule(d(1, 5), indication="MDSI", through_week=52)
    assert dates_of(plan) == [d(1, 5), d(1, 8), d(1, 12), d(1, 15), d(1, 19), d(1, 22), d(1, 26), d(1, 29)]
    assert all(dose.dose_mg == 84 and dose.phase == Phase.INDUCTION for dose in plan)


def test_it_plans_mdsi_at_56_mg_when_reduced_for_tolerability():
    plan = esketamine_schedule(d(1, 5), indication=Indication.MDSI, dose_mg=56)
    assert [dose.dose_mg for dose in plan] == [56] * 8


def test_it_cuts_mdsi_short_at_through_week():
    plan = esketamine_schedule(d(1, 5), indication="MDSI", through_week=2)
    assert dates_of(plan) == [d(1, 5), d(1, 8), d(1, 12), d(1, 15)]


def test_it_numbers_weeks_in_seven_day_blocks_across_the_end_of_daylight_saving():
    # Start Mon 19 Oct 2026 in a Los Angeles clinic; DST ends Sun 1 Nov (a 25-hour day).
    #   wk1 Mon 19 – Sun 25 Oct: 19, 22    wk2 Mon 26 Oct – Sun 1 Nov: 26, 29
    #   wk3 Mon 2 – Sun 8 Nov: 2, 5        wk4: 9, 12
    # Calendar dates do not move: Thu 29 Oct to Mon 2 Nov is 4 days though 97 hours elapse.
    plan = esketamine_schedule(d(10, 19), through_week=4)
    assert dates_of(plan) == [d(10, 19), d(10, 22), d(10, 26), d(10, 29), d(11, 2), d(11, 5), d(11, 9), d(11, 12)]
    assert [dose.week for dose in plan] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert plan[4].date - plan[0].date == dt.timedelta(days=14)

    los_angeles = ZoneInfo("America/Los_Angeles")
    before, after = (dt.datetime.combine(dose.date, dt.time(9), los_angeles) for dose in (plan[3], plan[4]))
    assert after - before == dt.timedelta(days=4)  # wall-clock arithmetic, same zone
    assert after.astimezone(dt.UTC) - before.astimezone(dt.UTC) == dt.timedelta(hours=97)  # the DST hour


def test_it_accepts_28_mg_when_the_clinic_allows_it():
    protocol = EsketamineProtocol(allowed_doses_mg=(28, 56, 84))
    plan = esketamine_schedule(d(1, 5), dose_mg=28, protocol=protocol)
    assert [dose.dose_mg for dose in plan] == [56] + [28] * 11


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"indication": "ECT"}, "indication"),
        ({"indication": "trd"}, "indication"),
        ({"dose_mg": 28}, "dose_mg"),
        ({"dose_mg": 70}, "dose_mg"),
        ({"dose_mg": 56.0}, "dose_mg"),
        ({"indication": "MDSI", "dose_mg": 112}, "dose_mg"),
        ({"maintenance_every_weeks": 0}, "maintenance_every_weeks"),
        ({"maintenance_every_weeks": 3}, "maintenance_every_weeks"),
        ({"maintenance_every_weeks": True}, "maintenance_every_weeks"),
        ({"through_week": 0}, "through_week"),
        ({"through_week": 105}, "through_week"),
        ({"through_week": "8"}, "through_week"),
    ],
)
def test_it_rejects_bad_esketamine_arguments_naming_them(kwargs, field):
    with pytest.raises(ValueError, match=field):
        esketamine_schedule(d(1, 5), **kwargs)


def test_it_accepts_through_week_104():
    assert esketamine_schedule(d(1, 5), through_week=104)[-1].week == 104


@pytest.mark.parametrize("start", [dt.datetime(2026, 1, 5, 9, 0), "2026-01-05", None])
def test_it_requires_a_date_for_the_esketamine_start(start):
    with pytest.raises(ValueError, match="start"):
        esketamine_schedule(start)


# --- iv_induction_dates ------------------------------------------------------------------------------


def test_it_books_six_infusions_monday_wednesday_friday_from_a_monday():
    # Mon 5 Jan, each next on the first open day >= previous + 2:
    #   Mon 5 -> Wed 7 -> Fri 9 -> (Sun 11 closed) Mon 12 -> Wed 14 -> Fri 16; span 11 days
    dates = iv_induction_dates(d(1, 5))
    assert dates == (d(1, 5), d(1, 7), d(1, 9), d(1, 12), d(1, 14), d(1, 16))
    assert fits_window(dates)


def test_it_starts_a_weekend_request_on_the_first_open_day():
    # Sat 10 Jan and Sun 11 Jan: closed, so Mon 12 -> Wed 14 -> Fri 16 -> Mon 19 -> Wed 21 -> Fri 23
    expected = (d(1, 12), d(1, 14), d(1, 16), d(1, 19), d(1, 21), d(1, 23))
    assert iv_induction_dates(d(1, 10)) == expected
    assert iv_induction_dates(d(1, 11)) == expected


def test_it_starts_mid_week_on_the_start_day():
    # Wed 7 Jan -> Fri 9 -> (Sun 11 closed) Mon 12 -> Wed 14 -> Fri 16 -> Mon 19
    assert iv_induction_dates(d(1, 7)) == (d(1, 7), d(1, 9), d(1, 12), d(1, 14), d(1, 16), d(1, 19))


def test_it_uses_only_mondays_wednesdays_and_fridays_when_those_are_open():
    # Open Mon/Wed/Fri; request Tue 6 Jan: first open Wed 7 -> Fri 9 -> Mon 12 -> Wed 14 -> Fri 16 -> Mon 19
    dates = iv_induction_dates(d(1, 6), open_weekdays=(0, 2, 4))
    assert dates == (d(1, 7), d(1, 9), d(1, 12), d(1, 14), d(1, 16), d(1, 19))
    # Request Thu 8: Fri 9 -> (Sun 11) Mon 12 -> Wed 14 -> Fri 16 -> Mon 19 -> Wed 21; Fri 9..Wed 21 = 13 days
    dates = iv_induction_dates(d(1, 8), open_weekdays=(4, 2, 0))
    assert dates == (d(1, 9), d(1, 12), d(1, 14), d(1, 16), d(1, 19), d(1, 21))
    assert fits_window(dates)


def test_it_runs_past_21_days_when_the_clinic_opens_only_at_weekends():
    # Open Sat/Sun; Sat 10 Jan -> (Sun 11 too soon) Sat 17 -> 24 -> 31 -> Sat 7 Feb -> Sat 14 Feb
    # Sat 10 Jan .. Sat 14 Feb is 36 days (35 days apart): off-schedule, but still planned.
    dates = iv_induction_dates(d(1, 10), open_weekdays=(5, 6))
    assert dates == (d(1, 10), d(1, 17), d(1, 24), d(1, 31), d(2, 7), d(2, 14))
    assert not fits_window(dates)


def test_it_runs_past_21_days_when_the_two_open_days_are_adjacent():
    # Open Mon/Tue; Mon 5 Jan -> (Tue 6 too soon) Mon 12 -> 19 -> 26 -> Mon 2 Feb -> Mon 9 Feb
    dates = iv_induction_dates(d(1, 5), open_weekdays=(0, 1))
    assert dates == (d(1, 5), d(1, 12), d(1, 19), d(1, 26), d(2, 2), d(2, 9))
    assert not fits_window(dates)


def test_it_fits_21_days_with_two_open_days_that_are_apart():
    # Open Tue/Thu; request Mon 5 Jan: Tue 6 -> Thu 8 -> Tue 13 -> Thu 15 -> Tue 20 -> Thu 22
    # Tue 6 .. Thu 22 = 16 days apart, day 17 of the 21-day window.
    dates = iv_induction_dates(d(1, 5), open_weekdays=(1, 3))
    assert dates == (d(1, 6), d(1, 8), d(1, 13), d(1, 15), d(1, 20), d(1, 22))
    assert fits_window(dates)


def test_it_books_every_other_day_when_open_every_day():
    # 5, 7, 9, 11, 13, 15 Jan
    assert iv_induction_dates(d(1, 5), open_weekdays=range(7)) == tuple(d(1, n) for n in (5, 7, 9, 11, 13, 15))


def test_it_keeps_calendar_dates_across_the_end_of_daylight_saving():
    # Los Angeles clinic, Mon-Fri; request Thu 29 Oct 2026 (DST ends Sun 1 Nov):
    #   Thu 29 Oct -> (Sat 31 closed, Sun 1 closed) Mon 2 Nov -> Wed 4 -> Fri 6 -> Mon 9 -> Wed 11
    dates = iv_induction_dates(d(10, 29))
    assert dates == (d(10, 29), d(11, 2), d(11, 4), d(11, 6), d(11, 9), d(11, 11))
    assert fits_window(dates)


def test_it_widens_the_gap_when_the_clinic_protocol_says_so():
    # min gap 3 days, Mon-Fri, Mon 5 Jan: Mon 5 -> Thu 8 -> (Sun 11) Mon 12 -> Thu 15 -> (Sun 18) Mon 19 -> Thu 22
    dates = iv_induction_dates(d(1, 5), protocol=IvInductionProtocol(min_gap_days=3))
    assert dates == (d(1, 5), d(1, 8), d(1, 12), d(1, 15), d(1, 19), d(1, 22))


def test_it_refuses_a_protocol_that_allows_consecutive_days():
    with pytest.raises(ValueError, match="min_gap_days"):
        IvInductionProtocol(min_gap_days=1)


def test_it_never_books_consecutive_days_and_only_open_days_for_any_clinic_week():
    weekdays = range(7)
    for size in range(1, 8):
        for open_days in itertools.combinations(weekdays, size):
            for offset in range(7):
                start = d(1, 5) + dt.timedelta(days=offset)
                dates = iv_induction_dates(start, open_weekdays=open_days, infusions=12)
                assert all(day.weekday() in open_days for day in dates)
                assert all((b - a).days >= 2 for a, b in itertools.pairwise(dates))
                first_open = next(start + dt.timedelta(days=n) for n in range(7)
                                  if (start + dt.timedelta(days=n)).weekday() in open_days)
                assert dates[0] == first_open


@pytest.mark.parametrize("infusions, length", [(1, 1), (12, 12)])
def test_it_accepts_one_to_twelve_infusions(infusions, length):
    assert len(iv_induction_dates(d(1, 5), infusions=infusions)) == length


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"infusions": 0}, "infusions"),
        ({"infusions": 13}, "infusions"),
        ({"infusions": True}, "infusions"),
        ({"infusions": "6"}, "infusions"),
        ({"open_weekdays": ()}, "open_weekdays"),
        ({"open_weekdays": (7,)}, "open_weekdays"),
        ({"open_weekdays": (-1, 2)}, "open_weekdays"),
        ({"open_weekdays": (0, 2, 0)}, "open_weekdays"),
        ({"open_weekdays": (0, 2.0)}, "open_weekdays"),
        ({"open_weekdays": "024"}, "open_weekdays"),
    ],
)
def test_it_rejects_bad_iv_arguments_naming_them(kwargs, field):
    with pytest.raises(ValueError, match=field):
        iv_induction_dates(d(1, 5), **kwargs)


@pytest.mark.parametrize("start", [dt.datetime(2026, 1, 5, 9, 0), "2026-01-05"])
def test_it_requires_a_date_for_the_iv_start(start):
    with pytest.raises(ValueError, match="start"):
        iv_induction_dates(start)


# --- fits_window ---------------------------------------------------------------------------------------


def test_it_fits_the_window_up_to_day_21_and_not_day_22():
    # Mon 5 Jan is day 1, Sun 25 Jan day 21, Mon 26 Jan day 22.
    assert fits_window([d(1, 5), d(1, 25)])
    assert not fits_window([d(1, 5), d(1, 26)])
    assert fits_window((d(1, 26), d(1, 5)), window_days=22)  # order does not matter


def test_it_fits_a_single_date():
    assert fits_window([d(1, 5)], window_days=1)


@pytest.mark.parametrize(
    "dates, window_days, field",
    [
        ([], 21, "dates"),
        ([d(1, 5), dt.datetime(2026, 1, 7)], 21, "dates"),
        ([d(1, 5)], 0, "window_days"),
    ],
)
def test_it_rejects_bad_window_arguments_naming_them(dates, window_days, field):
    with pytest.raises(ValueError, match=field):
        fits_window(dates, window_days=window_days)


# --- chair_minutes -------------------------------------------------------------------------------------


def test_it_holds_an_iv_chair_for_the_infusion_and_60_minutes_by_default():
    assert chair_minutes("iv-ketamine", 40) == 100  # 40 + 60
    assert chair_minutes(Route.IV, 40, 90) == 130  # a clinic may observe longer


def test_it_accepts_30_but_not_29_minutes_of_iv_observation():
    assert chair_minutes("iv-ketamine", 40, 30) == 70
    with pytest.raises(ValueError, match="observation_min"):
        chair_minutes("iv-ketamine", 40, 29)


@pytest.mark.parametrize("infusion_min", [None, 0, -40, 40.0])
def test_it_requires_a_positive_whole_infusion_time_for_iv(infusion_min):
    with pytest.raises(ValueError, match="infusion_min"):
        chair_minutes("iv-ketamine", infusion_min)


def test_it_holds_an_esketamine_chair_for_dosing_plus_two_hours():
    assert chair_minutes("esketamine") == 135  # 15 + 120
    assert chair_minutes("esketamine", None, 120) == 135
    assert chair_minutes("esketamine", observation_min=150) == 165


def test_it_refuses_less_than_two_hours_of_esketamine_observation():
    with pytest.raises(ValueError, match="observation_min"):
        chair_minutes("esketamine", None, 119)


def test_it_refuses_an_infusion_time_for_esketamine():
    with pytest.raises(ValueError, match="infusion_min"):
        chair_minutes("esketamine", 40)


def test_it_rejects_an_unknown_route():
    with pytest.raises(ValueError, match="route"):
        chair_minutes("im", 40)


def test_it_lets_a_clinic_lengthen_but_not_shorten_esketamine_observation():
    assert chair_minutes("esketamine", protocol=ChairProtocol(esketamine_observation_min_min=150)) == 165
    with pytest.raises(ValueError, match="esketamine_observation_min_min"):
        ChairProtocol(esketamine_observation_min_min=90)
    with pytest.raises(ValueError, match="iv_observation_default_min"):
        ChairProtocol(iv_observation_default_min=20)


def test_the_dosing_allowance_covers_the_gaps_between_three_devices():
    # 84 mg = 3 devices, 2 gaps of 5 min = 10 min <= 15 min allowance.
    assert (3 - 1) * ESKETAMINE_DEVICE_GAP_MIN <= ESKETAMINE_DOSING_ALLOWANCE_MIN
