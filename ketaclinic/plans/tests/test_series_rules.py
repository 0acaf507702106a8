"""ketaclinic.clinical.series: the date rules a booked series keeps, with hand-worked calendars.

    January 2026                February 2026
    Mo Tu We Th Fr Sa Su        Mo Tu We Th Fr Sa Su
              1  2  3  4                           1
     5  6  7  8  9 10 11         2  3  4  5  6  7  8
    12 13 14 15 16 17 18         9 10 11 12 13 14 15
    19 20 21 22 23 24 25        16 17 18 19 20 21 22
    26 27 28 29 30 31
"""

import datetime as dt

import pytest

from ketaclinic.clinical import protocols
from ketaclinic.clinical.series import DOSE, INTEGRATION, PREPARATION, SeriesSession, series_problems

D = dt.date


def doses(*days, weeks=None):
    weeks = weeks or [None] * len(days)
    return [SeriesSession(n, DOSE, day, week=w) for n, (day, w) in enumerate(zip(days, weeks), 1)]


def rules(problems):
    return [(p.rule, p.number) for p in problems]


def test_the_library_iv_calendar_is_valid():
    # Monday 5 Jan, Mon–Fri, gap 2 → 5, 7, 9, 12, 14, 16 Jan (within 21 days)
    days = protocols.iv_induction_dates(D(2026, 1, 5))
    assert days == (D(2026, 1, 5), D(2026, 1, 7), D(2026, 1, 9), D(2026, 1, 12), D(2026, 1, 14), D(2026, 1, 16))
    assert series_problems(doses(*days), route="iv-ketamine", start=D(2026, 1, 5)) == []


def test_a_mid_week_start_is_valid_too():
    # Wednesday 7 Jan → 7, 9, 12, 14, 16, 19 Jan
    days = protocols.iv_induction_dates(D(2026, 1, 7))
    assert days[-1] == D(2026, 1, 19)
    assert series_problems(doses(*days), route="iv-ketamine", start=D(2026, 1, 7)) == []


def test_moving_a_dose_to_the_next_day_breaks_the_consecutive_day_rule():
    # dose 2 moved from Wed 7 to Tue 6, the day after dose 1 (Mon 5)
    found = series_problems(doses(D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 9)), route="iv-ketamine", start=D(2026, 1, 5))
    assert rules(found) == [("consecutive-days", 2)]
    assert found[0].message == "Dose 2 is the day after dose 1; never dose on consecutive days."


def test_same_day_and_out_of_order_are_named():
    found = series_problems(doses(D(2026, 1, 9), D(2026, 1, 9), D(2026, 1, 7)), route="iv-ketamine", start=D(2026, 1, 5))
    # by day: dose 3 (7th), then doses 1 and 2 both on the 9th; dose 3 also precedes dose 2
    assert rules(found) == [("same-day", 2), ("order", 3)]


def test_a_wider_protocol_gap_is_enforced():
    found = series_problems(doses(D(2026, 1, 5), D(2026, 1, 7)), route="iv-ketamine", start=D(2026, 1, 5), min_gap_days=3)
    assert rules(found) == [("min-gap", 2)]


def test_an_induction_past_21_days_is_a_warning_not_a_block():
    # 5 Jan … 26 Jan is day 22 counting 5 Jan as day 1
    found = series_problems(doses(D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 26)), route="iv-ketamine", start=D(2026, 1, 5))
    assert [(p.rule, p.blocking) for p in found] == [("induction-window", False)]
    ok = series_problems(doses(D(2026, 1, 5), D(2026, 1, 12), D(2026, 1, 25)), route="iv-ketamine", start=D(2026, 1, 5))
    assert ok == []


def test_esketamine_doses_stay_in_their_label_week():
    start = D(2026, 1, 7)  # a Wednesday: weeks are Wed–Tue
    schedule = protocols.esketamine_schedule(start)
    days = [d.date for d in schedule]
    weeks = [d.week for d in schedule]
    assert series_problems(doses(*days, weeks=weeks), route="esketamine", start=start) == []
    # dose 2 (week 1, Sat 10 Jan) moved to Wed 14 Jan, which is week 2
    moved = days[:]
    moved[1] = D(2026, 1, 14)
    found = series_problems(doses(*moved, weeks=weeks), route="esketamine", start=start)
    assert ("label-week", 2) in rules(found)
    assert "label week 1 (2026-01-07 to 2026-01-13)" in next(p.message for p in found if p.rule == "label-week")


def test_psychotherapy_preparation_before_and_integration_between_doses():
    sessions = doses(D(2026, 1, 5), D(2026, 1, 7)) + [
        SeriesSession(1, PREPARATION, D(2026, 1, 2)),
        SeriesSession(2, INTEGRATION, D(2026, 1, 6), follows_dose=1),
    ]
    assert series_problems(sessions, route="iv-ketamine", start=D(2026, 1, 5)) == []
    late = doses(D(2026, 1, 5), D(2026, 1, 7)) + [
        SeriesSession(1, PREPARATION, D(2026, 1, 5)),
        SeriesSession(2, INTEGRATION, D(2026, 1, 7), follows_dose=1),
    ]
    assert rules(series_problems(late, route="iv-ketamine", start=D(2026, 1, 5))) == [
        ("preparation-first", 1), ("integration-after-dose", 2),
    ]


def test_bad_input_raises():
    with pytest.raises(ValueError, match="kind"):
        series_problems([SeriesSession(1, "massage", D(2026, 1, 5))], route="iv-ketamine", start=D(2026, 1, 5))
    with pytest.raises(ValueError):
        series_problems([], route="oral", start=D(2026, 1, 5))
