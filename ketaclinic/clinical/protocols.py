"""Treatment schedules: the SPRAVATO label calendar, IV induction series, and chair time per visit.

Everything works on calendar dates (``datetime.date``), never on datetimes, so a daylight-saving change
cannot move a planned dose: the booking layer turns a date into a local time in the clinic's time zone.
Sources are sections of ``shared/reference/clinical.md`` (§) and its numbered sources ([n]).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from ketaclinic.clinical.dosing import ESKETAMINE_US_LABEL_DOSES_MG

DAYS_PER_WEEK = 7

# --- Esketamine (SPRAVATO) label schedule; clinical.md §3.1 (TRD) [20][21][23], §3.2 (MDSI) [22] --------
ESKETAMINE_INDUCTION_LAST_WEEK = 4  # twice weekly in weeks [1, 4]; §3.1, §3.2
ESKETAMINE_TRD_WEEKLY_LAST_WEEK = 8  # once weekly in weeks [5, 8]; §3.1
ESKETAMINE_TRD_FLEXIBLE_FROM_WEEK = ESKETAMINE_TRD_WEEKLY_LAST_WEEK + 1  # every 1 or 2 weeks from week 9; §3.1
ESKETAMINE_MAINTENANCE_EVERY_WEEKS_CHOICES = (1, 2)  # §3.1 "every 2 weeks or once weekly"
ESKETAMINE_TRD_DAY1_DOSE_MG = 56  # §3.1 "Day 1 starting dose: 56 mg"
ESKETAMINE_TRD_DEFAULT_DOSE_MG = 56  # §3.1 subsequent doses 56 or 84 mg
ESKETAMINE_MDSI_DEFAULT_DOSE_MG = 84  # §3.2 84 mg, may reduce to 56 mg
# Day offsets inside each 7-day week (day 0 = the weekday of `start`). Twice weekly on days 0 and 3 gives
# gaps of 3 and 4 days (Mon/Thu for a Monday start), so two doses are never on consecutive days, even
# across week boundaries. The exact weekdays are not in the label; [UNSOURCED – common practice].
ESKETAMINE_TWICE_WEEKLY_DAY_OFFSETS = (0, 3)
ESKETAMINE_ONCE_WEEKLY_DAY_OFFSETS = (0,)
ESKETAMINE_SCHEDULE_MAX_WEEKS = 104  # a booking-horizon sanity bound (two years), not a clinical number

# --- IV ketamine induction; clinical.md §1.2 (market practice, no label) -----------------------------------
IV_INDUCTION_DEFAULT_INFUSIONS = 6  # "six infusions over two to three weeks" [2], "6 sessions in 3 weeks" [3]
IV_INDUCTION_WINDOW_DAYS = 21  # "in 3 weeks" [3]; the window counts the first infusion's day as day 1
# At least 2 calendar days from one infusion to the next (never consecutive days); twice or three times a
# week in trials and FAQs (§1.2 [4]), the exact gap is [UNSOURCED – common practice], clinic-editable.
IV_INDUCTION_MIN_GAP_DAYS = 2
IV_INDUCTION_MAX_INFUSIONS = 12  # input sanity bound, twice the usual series; not a clinical number
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)  # date.weekday(): Monday is 0, Sunday is 6

# --- Chair time -----------------------------------------------------------------------------------------
IV_OBSERVATION_MIN_MIN = 30  # patient guide: "30–60 minutes of observation afterwards"; clinical.md §0b
IV_OBSERVATION_MAX_MIN = 60  # §0b; also the default booked, so chairs are not overbooked
ESKETAMINE_OBSERVATION_MIN_MIN = 120  # "Monitor for ≥2 hours" at every session; clinical.md §3.5 [20]
ESKETAMINE_DEVICE_GAP_MIN = 5  # "Wait 5 minutes between devices"; clinical.md §3.3 [20]
# Pre-dose BP check plus up to three devices 5 min apart before the 2-hour clock (counted from the first
# device) runs out; [UNSOURCED – common practice], clinic-editable.
ESKETAMINE_DOSING_ALLOWANCE_MIN = 15


def _require_date(value, field: str) -> None:
    # datetime is a subclass of date; a datetime here would smuggle a clock time (and a DST offset) in.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValueError(f"{field}: {value!r} must be a datetime.date (not a datetime or a string)")


def _require_int(value, field: str, lo: int, hi: int | None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field}: {value!r} must be a whole number")
    if hi is None and value < lo:
        raise ValueError(f"{field}: {value} is below the minimum of {lo}")
    if hi is not None and not lo <= value <= hi:
        raise ValueError(f"{field}: {value} is outside [{lo}, {hi}]")
    return value


def _require_choice(value, choices, field: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value not in choices:
        raise ValueError(f"{field}: {value!r} is not one of {tuple(choices)}")


def _parse_choice(enum_type, value, field: str):
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise ValueError(f"{field}: {value!r} is not one of {allowed}") from None


class Indication(enum.StrEnum):
    TRD = "TRD"  # treatment-resistant depression; §3.1
    MDSI = "MDSI"  # major depression with acute suicidal ideation or behavior; §3.2


class Phase(enum.StrEnum):
    INDUCTION = "induction"
    MAINTENANCE = "maintenance"


class Route(enum.StrEnum):
    IV = "iv-ketamine"  # the same route names as candidacy and vitals
    ESKETAMINE = "esketamine"


@dataclass(frozen=True)
class PlannedDose:
    date: dt.date
    week: int  # week 1 is the seven days beginning on `start`
    phase: Phase
    dose_mg: int


@dataclass(frozen=True)
class EsketamineProtocol:
    """Clinic-tunable esketamine settings; defaults are the US label (§3.1–3.3)."""

    allowed_doses_mg: tuple[int, ...] = ESKETAMINE_US_LABEL_DOSES_MG
    trd_day1_dose_mg: int = ESKETAMINE_TRD_DAY1_DOSE_MG
    trd_default_dose_mg: int = ESKETAMINE_TRD_DEFAULT_DOSE_MG
    mdsi_default_dose_mg: int = ESKETAMINE_MDSI_DEFAULT_DOSE_MG


@dataclass(frozen=True)
class IvInductionProtocol:
    """Clinic-tunable IV induction settings; a clinic may widen the gap, never allow consecutive days."""

    min_gap_days: int = IV_INDUCTION_MIN_GAP_DAYS
    max_infusions: int = IV_INDUCTION_MAX_INFUSIONS

    def __post_init__(self):
        _require_int(self.min_gap_days, "min_gap_days", IV_INDUCTION_MIN_GAP_DAYS, DAYS_PER_WEEK)


@dataclass(frozen=True)
class ChairProtocol:
    """Clinic-tunable chair-time settings (minutes)."""

    iv_observation_min_min: int = IV_OBSERVATION_MIN_MIN
    iv_observation_default_min: int = IV_OBSERVATION_MAX_MIN
    esketamine_observation_min_min: int = ESKETAMINE_OBSERVATION_MIN_MIN
    esketamine_dosing_allowance_min: int = ESKETAMINE_DOSING_ALLOWANCE_MIN

    def __post_init__(self):
        # The 2-hour SPRAVATO observation is a label requirement (§3.5 [20]); a clinic may only lengthen it.
        _require_int(
            self.esketamine_observation_min_min, "esketamine_observation_min_min", ESKETAMINE_OBSERVATION_MIN_MIN, None
        )
        _require_int(self.iv_observation_default_min, "iv_observation_default_min", self.iv_observation_min_min, None)


DEFAULT_ESKETAMINE_PROTOCOL = EsketamineProtocol()
DEFAULT_IV_INDUCTION_PROTOCOL = IvInductionProtocol()
DEFAULT_CHAIR_PROTOCOL = ChairProtocol()


def esketamine_schedule(
    start: dt.date,
    *,
    indication: str = Indication.TRD,
    dose_mg: int | None = None,
    maintenance_every_weeks: int = 1,
    through_week: int = 8,
    protocol: EsketamineProtocol = DEFAULT_ESKETAMINE_PROTOCOL,
) -> tuple[PlannedDose, ...]:
    """Planned SPRAVATO doses in weeks [1, through_week], in date order.

    Week ``w`` is the seven days ``start + 7(w−1)`` … ``start + 7(w−1) + 6``. Twice weekly means days 0
    and 3 of the week, once weekly day 0, so a Wednesday start doses Wed/Sat, then Wednesdays.

    - TRD: twice weekly in weeks 1–4, weekly in 5–8, then every ``maintenance_every_weeks`` (1 or 2)
      weeks counted from week 9 (weeks 9, 11, 13 … for 2). Day 1 is 56 mg; later doses ``dose_mg``
      (default 56, or 84).
    - MDSI: twice weekly in weeks 1–4 at ``dose_mg`` (default 84, or 56); nothing after week 4, since
      longer use "has not been systematically evaluated" (§3.2). ``maintenance_every_weeks`` is ignored.

    The calendar ignores clinic open days: a dose on a closed day is for the booking layer to move
    (and to keep off the day after another dose).
    Raises ``ValueError`` naming the argument.
    """
    _require_date(start, "start")
    indication = _parse_choice(Indication, indication, "indication")
    _require_choice(maintenance_every_weeks, ESKETAMINE_MAINTENANCE_EVERY_WEEKS_CHOICES, "maintenance_every_weeks")
    _require_int(through_week, "through_week", 1, ESKETAMINE_SCHEDULE_MAX_WEEKS)
    if indication is Indication.MDSI:
        dose = _dose_or_default(dose_mg, protocol.mdsi_default_dose_mg, protocol)
        last_week = min(through_week, ESKETAMINE_INDUCTION_LAST_WEEK)
        return _plan(start, range(1, last_week + 1), dose, first_dose_mg=dose)
    dose = _dose_or_default(dose_mg, protocol.trd_default_dose_mg, protocol)
    weeks = [week for week in range(1, through_week + 1) if _trd_doses_in_week(week, maintenance_every_weeks)]
    return _plan(start, weeks, dose, first_dose_mg=protocol.trd_day1_dose_mg)


def _trd_doses_in_week(week: int, every_weeks: int) -> bool:
    if week < ESKETAMINE_TRD_FLEXIBLE_FROM_WEEK:
        return True
    return (week - ESKETAMINE_TRD_FLEXIBLE_FROM_WEEK) % every_weeks == 0


def _plan(start: dt.date, weeks, dose_mg: int, *, first_dose_mg: int) -> tuple[PlannedDose, ...]:
    slots = [(week, offset) for week in weeks for offset in _day_offsets(week)]
    return tuple(
        PlannedDose(
            date=start + dt.timedelta(days=DAYS_PER_WEEK * (week - 1) + offset),
            week=week,
            phase=Phase.INDUCTION if week <= ESKETAMINE_INDUCTION_LAST_WEEK else Phase.MAINTENANCE,
            dose_mg=first_dose_mg if index == 0 else dose_mg,
        )
        for index, (week, offset) in enumerate(slots)
    )


def _day_offsets(week: int) -> tuple[int, ...]:
    if week <= ESKETAMINE_INDUCTION_LAST_WEEK:
        return ESKETAMINE_TWICE_WEEKLY_DAY_OFFSETS
    return ESKETAMINE_ONCE_WEEKLY_DAY_OFFSETS


def _dose_or_default(dose_mg, default_mg: int, protocol: EsketamineProtocol) -> int:
    if dose_mg is None:
        return default_mg
    _require_choice(dose_mg, protocol.allowed_doses_mg, "dose_mg")
    return dose_mg


def iv_induction_dates(
    start: dt.date,
    *,
    infusions: int = IV_INDUCTION_DEFAULT_INFUSIONS,
    open_weekdays=MONDAY_TO_FRIDAY,
    protocol: IvInductionProtocol = DEFAULT_IV_INDUCTION_PROTOCOL,
) -> tuple[dt.date, ...]:
    """Dates of an IV induction series: the first open day on or after ``start``, then each next
    infusion on the first open day at least ``min_gap_days`` (2) after the previous one.

    ``open_weekdays`` are ``date.weekday()`` numbers (Monday 0 … Sunday 6). Taking the earliest allowed
    day each time gives the earliest possible last infusion, so if the clinic's open days allow the
    series within 21 days, this one fits. When they do not (e.g. a clinic open only Saturday and Sunday)
    the series simply runs longer: check ``fits_window`` and show an "off-schedule" warning, never a
    block (clinical.md §1.2). Raises ``ValueError`` naming the argument.
    """
    _require_date(start, "start")
    _require_int(infusions, "infusions", 1, protocol.max_infusions)
    open_days = _parse_open_weekdays(open_weekdays)
    gap = dt.timedelta(days=protocol.min_gap_days)
    dates = [_next_open_day(start, open_days)]
    while len(dates) < infusions:
        dates.append(_next_open_day(dates[-1] + gap, open_days))
    return tuple(dates)


def fits_window(dates, window_days: int = IV_INDUCTION_WINDOW_DAYS) -> bool:
    """True if every date falls within ``window_days`` calendar days, the first date being day 1
    (so 21 days allows a Monday start to finish by the Sunday two weeks later)."""
    dates = tuple(dates)
    if not dates:
        raise ValueError("dates: at least one date is required")
    for day in dates:
        _require_date(day, "dates")
    _require_int(window_days, "window_days", 1, None)
    return (max(dates) - min(dates)).days < window_days


def _next_open_day(day: dt.date, open_days: frozenset[int]) -> dt.date:
    while day.weekday() not in open_days:
        day += dt.timedelta(days=1)
    return day


def _parse_open_weekdays(open_weekdays) -> frozenset[int]:
    if isinstance(open_weekdays, (str, bytes)):
        raise ValueError(f"open_weekdays: {open_weekdays!r} must be weekday numbers 0-6, not a string")
    days = tuple(open_weekdays)
    if not days:
        raise ValueError("open_weekdays: at least one open weekday is required")
    for day in days:
        _require_int(day, "open_weekdays", 0, DAYS_PER_WEEK - 1)
    if len(set(days)) != len(days):
        raise ValueError(f"open_weekdays: {days} lists a weekday twice")
    return frozenset(days)


def chair_minutes(
    route: str,
    infusion_min: int | None = None,
    observation_min: int | None = None,
    *,
    protocol: ChairProtocol = DEFAULT_CHAIR_PROTOCOL,
) -> int:
    """Minutes a visit holds a treatment chair, for booking.

    - ``iv-ketamine``: ``infusion_min`` (required) + ``observation_min`` (default 60, at least 30; §0b).
    - ``esketamine``: a 15-minute dosing allowance + ``observation_min`` (default and minimum 120,
      counted from the first device; §3.5). ``infusion_min`` must be None.

    Observation shorter than the minimum raises ``ValueError``; a clinic may observe longer.
    """
    route = _parse_choice(Route, route, "route")
    if route is Route.IV:
        _require_int(infusion_min, "infusion_min", 1, None)
        if observation_min is None:
            observation_min = protocol.iv_observation_default_min
        _require_int(observation_min, "observation_min", protocol.iv_observation_min_min, None)
        return infusion_min + observation_min
    if infusion_min is not None:
        raise ValueError(f"infusion_min: {infusion_min!r} given, but esketamine is not infused; pass None")
    if observation_min is None:
        observation_min = protocol.esketamine_observation_min_min
    _require_int(observation_min, "observation_min", protocol.esketamine_observation_min_min, None)
    return protocol.esketamine_dosing_allowance_min + observation_min
