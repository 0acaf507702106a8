"""When each rating scale is due in a course (clinical.scale_schedule)."""

import datetime as dt
import zoneinfo

import pytest

from ketaclinic.clinical.scale_schedule import (
    DEFAULT_SCHEDULE,
    CourseTimeline,
    ScaleSchedule,
    ScheduleError,
    Trigger,
    due_scales,
    session_number_at,
)

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
START = dt.date(2026, 3, 2)  # a Monday


def at(day_offset: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=day_offset), dt.time(hour), tzinfo=LA)


def keys(dues):
    return [d.key for d in dues]


def test_at_intake_the_baseline_scales_are_due_on_the_first_day():
    dues = due_scales(DEFAULT_SCHEDULE, CourseTimeline(START, None, None), until=at(0, 12), tz=LA)
    assert keys(dues) == ["intake:0:GAD-7", "intake:0:PHQ-9"]
    assert dues[0].due_at == dt.datetime(2026, 3, 2, 0, 0, tzinfo=LA)


def test_before_each_session_and_24_hours_after_the_first():
    timeline = CourseTimeline(START, None, None, (at(0), at(2), at(4)))
    dues = [d for d in due_scales(DEFAULT_SCHEDULE, timeline, until=at(4, 10), tz=LA) if d.trigger != Trigger.INTAKE]
    assert keys(dues) == ["pre-dose:1:PHQ-9", "after-first-dose:1:PHQ-9", "pre-dose:2:PHQ-9", "pre-dose:3:PHQ-9"]
    assert dues[1].due_at == at(1)  # 9:00 + 24 h
    assert [d.session_number for d in dues] == [1, 1, 2, 3]


def test_weekly_in_induction_until_it_ends_then_monthly_in_maintenance():
    # Induction ended on day 16 (03-18): weekly on days 7 and 14; maintenance every 28 days from day 16: day 44
    # (04-15) and day 72 (05-13); day 100 is past ``until`` (day 80).
    timeline = CourseTimeline(START, START + dt.timedelta(days=16), None)
    dues = due_scales(ScaleSchedule(intake=(), induction_weekly=("PHQ-9",), maintenance_monthly=("GAD-7",)),
                      timeline, until=at(80), tz=LA)
    assert keys(dues) == ["induction-weekly:2026-03-09:PHQ-9", "induction-weekly:2026-03-16:PHQ-9",
                          "maintenance-monthly:2026-04-15:GAD-7", "maintenance-monthly:2026-05-13:GAD-7"]


def test_nothing_is_due_after_the_course_ended():
    timeline = CourseTimeline(START, None, START + dt.timedelta(days=10), (at(0), at(30)))
    dues = due_scales(DEFAULT_SCHEDULE, timeline, until=at(60), tz=LA)
    assert all(d.due_at.date() <= START + dt.timedelta(days=10) for d in dues)
    assert "pre-dose:2:PHQ-9" not in keys(dues)


def test_a_clinic_schedule_changes_intervals_and_scales():
    schedule = ScaleSchedule(intake=("PCL-5",), pre_dose=(), after_first_dose=(), induction_weekly=("GAD-7",),
                             induction_interval_days=3)
    dues = due_scales(schedule, CourseTimeline(START, None, None, (at(0),)), until=at(7), tz=LA)
    # Every 3 days from 03-02: 03-05 and 03-08 (day 6 ≤ day 7); day 9 is past ``until``.
    assert keys(dues) == ["intake:0:PCL-5", "induction-weekly:2026-03-05:GAD-7", "induction-weekly:2026-03-08:GAD-7"]


def test_local_midnight_follows_the_clinics_daylight_saving_change():
    # 2026-03-08 is the US spring-forward Sunday; day 7 of a course from 03-01 is 03-08, still 00:00 local (PST, −8).
    timeline = CourseTimeline(dt.date(2026, 3, 1), None, None)
    due = due_scales(ScaleSchedule(intake=()), timeline, until=dt.datetime(2026, 3, 9, tzinfo=LA), tz=LA)[0]
    assert due.due_at.utcoffset() == dt.timedelta(hours=-8) and due.due_at.hour == 0


def test_session_number_counts_sessions_that_began_before():
    assert session_number_at(at(2, 8), [at(0), at(2), at(4)]) == 1  # before the 9:00 dose on day 2
    assert session_number_at(at(2, 10), [at(0), at(2), at(4)]) == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("induction_interval_days", 0, "induction_interval_days: 0 is outside 1–120"),
    ("after_first_dose_hours", 200, "after_first_dose_hours: 200 is outside 1–168"),
    ("pre_dose", ["PHQ-9"], "pre_dose: expected a tuple of scale codes"),
])
def test_a_bad_schedule_names_the_field(field, value, message):
    with pytest.raises(ScheduleError, match=message):
        ScaleSchedule(**{field: value})


def test_it_wants_aware_times():
    with pytest.raises(ScheduleError, match="until: expected an aware datetime"):
        due_scales(DEFAULT_SCHEDULE, CourseTimeline(START, None, None), until=dt.datetime(2026, 3, 3), tz=LA)
