"""When a patient in a treatment course is due which rating scale. Pure Python.

The issue's schedule: at intake, before each dosing session, 24 hours after the first, weekly during
induction, monthly in maintenance; every part configurable per clinic. clinical.md §1.2 says only that the
response is "commonly [checked] after infusion 3–4 and at the end of induction" [UNSOURCED – common practice],
and §6 asks for a baseline before dose #1; the default scales and intervals below are therefore
[UNSOURCED – common practice] clinic-editable defaults.

Every due scale has a stable ``key`` ("pre-dose:3:PHQ-9"), so making assignments from it is idempotent.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_INTAKE_SCALES = ("PHQ-9", "GAD-7")  # baseline before dose #1; clinical.md §6
DEFAULT_PRE_DOSE_SCALES = ("PHQ-9",)
DEFAULT_AFTER_FIRST_DOSE_SCALES = ("PHQ-9",)  # "improvement often within hours to 24 hours"; clinical.md §0b
DEFAULT_INDUCTION_WEEKLY_SCALES = ("PHQ-9", "GAD-7")
DEFAULT_MAINTENANCE_MONTHLY_SCALES = ("PHQ-9", "GAD-7")
AFTER_FIRST_DOSE_HOURS = 24  # the issue
INDUCTION_INTERVAL_DAYS = 7  # "weekly" (the issue)
MAINTENANCE_INTERVAL_DAYS = 28  # "monthly" as every four weeks [UNSOURCED], so it falls on the same weekday
INTERVAL_DAYS_RANGE = (1, 120)
AFTER_FIRST_DOSE_HOURS_RANGE = (1, 168)


class Trigger(enum.StrEnum):
    INTAKE = "intake"
    PRE_DOSE = "pre-dose"
    AFTER_FIRST_DOSE = "after-first-dose"
    INDUCTION_WEEKLY = "induction-weekly"
    MAINTENANCE_MONTHLY = "maintenance-monthly"


class ScheduleError(ValueError):
    """A schedule or course that cannot be planned; the message names the field."""


def _field(trigger: Trigger) -> str:
    return trigger.value.replace("-", "_")


def _check_range(name: str, value: object, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise ScheduleError(f"{name}: {value!r} is outside {lo}–{hi}")


@dataclass(frozen=True)
class ScaleSchedule:
    intake: tuple[str, ...] = DEFAULT_INTAKE_SCALES
    pre_dose: tuple[str, ...] = DEFAULT_PRE_DOSE_SCALES
    after_first_dose: tuple[str, ...] = DEFAULT_AFTER_FIRST_DOSE_SCALES
    induction_weekly: tuple[str, ...] = DEFAULT_INDUCTION_WEEKLY_SCALES
    maintenance_monthly: tuple[str, ...] = DEFAULT_MAINTENANCE_MONTHLY_SCALES
    after_first_dose_hours: int = AFTER_FIRST_DOSE_HOURS
    induction_interval_days: int = INDUCTION_INTERVAL_DAYS
    maintenance_interval_days: int = MAINTENANCE_INTERVAL_DAYS

    def __post_init__(self) -> None:
        _check_range("after_first_dose_hours", self.after_first_dose_hours, *AFTER_FIRST_DOSE_HOURS_RANGE)
        _check_range("induction_interval_days", self.induction_interval_days, *INTERVAL_DAYS_RANGE)
        _check_range("maintenance_interval_days", self.maintenance_interval_days, *INTERVAL_DAYS_RANGE)
        for trigger in Trigger:
            codes = self.scales_for(trigger)
            if not isinstance(codes, tuple) or not all(isinstance(c, str) and c for c in codes):
                raise ScheduleError(f"{_field(trigger)}: expected a tuple of scale codes, got {codes!r}")

    def scales_for(self, trigger: Trigger) -> tuple[str, ...]:
        return getattr(self, _field(trigger))


DEFAULT_SCHEDULE = ScaleSchedule()


@dataclass(frozen=True)
class CourseTimeline:
    """What the schedule needs to know about a course. Dates are the clinic's local dates."""

    started_on: dt.date
    induction_ended_on: dt.date | None  # None while induction is under way
    ended_on: dt.date | None  # the course is over (completed or stopped)
    dosing_times: tuple[dt.datetime, ...] = ()  # aware datetimes, booked or given


@dataclass(frozen=True)
class DueScale:
    key: str
    trigger: Trigger
    instrument: str
    due_at: dt.datetime
    session_number: int | None = None


def due_scales(
    schedule: ScaleSchedule, course: CourseTimeline, *, until: dt.datetime, tz: zoneinfo.ZoneInfo
) -> list[DueScale]:
    """Every scale due from the course's start up to ``until`` (inclusive), oldest first."""
    if until.tzinfo is None:
        raise ScheduleError("until: expected an aware datetime")
    if any(t.tzinfo is None for t in course.dosing_times):
        raise ScheduleError("dosing_times: expected aware datetimes")
    last_day = min(d for d in (course.ended_on, until.astimezone(tz).date()) if d is not None)
    found = [
        *_at_intake(schedule, course, tz),
        *_around_doses(schedule, course, last_day, tz),
        *_every(schedule, Trigger.INDUCTION_WEEKLY, course.started_on, _induction_last_day(course, last_day), tz),
        *_maintenance(schedule, course, last_day, tz),
    ]
    return sorted((d for d in found if d.due_at <= until), key=lambda d: (d.due_at, d.key))


def _at_intake(schedule: ScaleSchedule, course: CourseTimeline, tz) -> list[DueScale]:
    due_at = _local_midnight(course.started_on, tz)
    return [_due(Trigger.INTAKE, code, due_at, "0") for code in schedule.intake]


def _around_doses(schedule: ScaleSchedule, course: CourseTimeline, last_day: dt.date, tz) -> list[DueScale]:
    doses = sorted(course.dosing_times)
    found = []
    for number, dose_at in enumerate(doses, start=1):
        if dose_at.astimezone(tz).date() > last_day:
            break
        found += [_due(Trigger.PRE_DOSE, code, dose_at, str(number), number) for code in schedule.pre_dose]
    if doses and doses[0].astimezone(tz).date() <= last_day:
        after = doses[0] + dt.timedelta(hours=schedule.after_first_dose_hours)
        found += [_due(Trigger.AFTER_FIRST_DOSE, code, after, "1", 1) for code in schedule.after_first_dose]
    return found


def _induction_last_day(course: CourseTimeline, last_day: dt.date) -> dt.date:
    if course.induction_ended_on is None:
        return last_day
    return min(last_day, course.induction_ended_on - dt.timedelta(days=1))


def _maintenance(schedule: ScaleSchedule, course: CourseTimeline, last_day: dt.date, tz) -> list[DueScale]:
    if course.induction_ended_on is None:
        return []
    return _every(schedule, Trigger.MAINTENANCE_MONTHLY, course.induction_ended_on, last_day, tz)


def _every(schedule: ScaleSchedule, trigger: Trigger, first: dt.date, last: dt.date, tz) -> list[DueScale]:
    """Occurrences ``first + k × interval`` for k ≥ 1 up to ``last`` (inclusive)."""
    step = dt.timedelta(
        days=schedule.induction_interval_days
        if trigger is Trigger.INDUCTION_WEEKLY
        else schedule.maintenance_interval_days
    )
    found, day, k = [], first + step, 1
    while day <= last:
        due_at = _local_midnight(day, tz)
        found += [_due(trigger, code, due_at, day.isoformat()) for code in schedule.scales_for(trigger)]
        day, k = day + step, k + 1
    return found


def _due(trigger: Trigger, code: str, due_at: dt.datetime, slot: str, session_number: int | None = None) -> DueScale:
    return DueScale(f"{trigger.value}:{slot}:{code}", trigger, code, due_at, session_number)


def _local_midnight(day: dt.date, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=tz)


def session_number_at(moment: dt.datetime, dosing_times: Sequence[dt.datetime]) -> int:
    """Dosing sessions that began strictly before ``moment`` (a pre-dose questionnaire counts the ones before it)."""
    return sum(1 for t in dosing_times if t < moment)
