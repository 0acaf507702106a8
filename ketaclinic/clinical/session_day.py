"""Session-day rules that are plain arithmetic: which vitals phase a moment belongs to, the esketamine device
wait, whether a weight is recent enough, the esketamine BP checks, and "ready but for the 2-hour rule".

Pure standard library; "now" is always passed in. Sources are sections of ``shared/reference/clinical.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ketaclinic.clinical.protocols import ESKETAMINE_DEVICE_GAP_MIN, ESKETAMINE_OBSERVATION_MIN_MIN
from ketaclinic.clinical.vitals import Phase

# How old a measured weight may be before a weight-based dose needs a new one. Not in clinical.md:
# [UNSOURCED – common practice]; a clinic-editable default (SessionProtocol.weight_max_age_days).
WEIGHT_MAX_AGE_DAYS = 30
WEIGHT_MAX_AGE_DAYS_LIMIT = 365  # input sanity bound, not a clinical number

# SPRAVATO: reassess BP "at ~40 minutes" after dosing (about Cmax); clinical.md §3.4 [20].
ESKETAMINE_BP_RECHECK_AFTER_MIN = 40
# A reading counts as the "~40 minute" BP when taken within this many minutes either side of it. The label says
# "approximately"; the window is [UNSOURCED – common practice].
ESKETAMINE_BP_RECHECK_WINDOW_MIN = 10

# The monitoring form is due within 7 days of each session; clinical.md §3.6 item 6 [26][30][33].
PMF_DUE_WITHIN_DAYS = 7

# CADSS at baseline, ~40 min after dosing and before discharge: clinical.md §5.9 [UNSOURCED – common practice].
CADSS_AFTER_DOSE_MIN = 40


def phase_at(moment: dt.datetime, dosing_started_at: dt.datetime | None, dosing_ended_at: dt.datetime | None) -> Phase:
    """The vitals phase a reading taken at ``moment`` belongs to.

    Before the first drug reaches the patient it is pre-dose; from then until the infusion ends (or the last
    esketamine device) it is dosing; afterwards recovery. ``dosing_started_at`` None means no dose yet, so
    a reading that arrives late is placed by when it was measured, not when it arrived.
    """
    _require_aware(moment, "moment")
    if dosing_started_at is None or moment < dosing_started_at:
        return Phase.PRE_DOSE
    if dosing_ended_at is None or moment < dosing_ended_at:
        return Phase.DOSING
    return Phase.RECOVERY


def device_wait_remaining(
    last_device_at: dt.datetime | None, now: dt.datetime, *, gap_min: int = ESKETAMINE_DEVICE_GAP_MIN
) -> dt.timedelta:
    """How long until the next esketamine device may be given; zero when it may be given now.

    "Wait 5 minutes between devices" (clinical.md §3.3 [20]): a device at exactly 5:00 after the last is allowed.
    """
    _require_aware(now, "now")
    if last_device_at is None:
        return dt.timedelta(0)
    _require_aware(last_device_at, "last_device_at")
    return max(dt.timedelta(0), last_device_at + dt.timedelta(minutes=gap_min) - now)


def weight_is_current(measured_on: dt.date | None, today: dt.date, *, max_age_days: int = WEIGHT_MAX_AGE_DAYS) -> bool:
    """True when a weight measured on ``measured_on`` may still be used today ([0, max_age_days] days old)."""
    if isinstance(max_age_days, bool) or not isinstance(max_age_days, int):
        raise ValueError(f"max_age_days: {max_age_days!r} must be a whole number")
    if not 0 <= max_age_days <= WEIGHT_MAX_AGE_DAYS_LIMIT:
        raise ValueError(f"max_age_days: {max_age_days} is outside [0, {WEIGHT_MAX_AGE_DAYS_LIMIT}]")
    if measured_on is None:
        return False
    age_days = (today - measured_on).days
    return 0 <= age_days <= max_age_days


def pregnancy_status_relevant(sex_at_birth: str) -> bool:
    """Ask about pregnancy unless the patient was assigned male at birth. Pregnancy is a relative
    contraindication (clinical.md §1.4) and SPRAVATO warns of embryo-fetal toxicity (§2.3); the nurse may
    still record "not applicable" with a reason (e.g. after menopause)."""
    return sex_at_birth != "male"


def esketamine_bp_recheck_due_at(first_device_at: dt.datetime) -> dt.datetime:
    """When the label's "~40 minute" blood-pressure check falls (clinical.md §3.4 [20])."""
    _require_aware(first_device_at, "first_device_at")
    return first_device_at + dt.timedelta(minutes=ESKETAMINE_BP_RECHECK_AFTER_MIN)


def is_forty_minute_reading(first_device_at: dt.datetime, measured_at: dt.datetime) -> bool:
    """True when ``measured_at`` is within ±10 min (inclusive) of 40 min after the first device."""
    due = esketamine_bp_recheck_due_at(first_device_at)
    return abs(measured_at - due) <= dt.timedelta(minutes=ESKETAMINE_BP_RECHECK_WINDOW_MIN)


@dataclass(frozen=True)
class ObservationClock:
    """Where a patient stands on the observation timer at ``now``."""

    started_at: dt.datetime
    ends_at: dt.datetime
    elapsed_min: int  # whole minutes, rounded down
    remaining_min: int  # whole minutes, rounded up; 0 once over

    @property
    def over(self) -> bool:
        return self.remaining_min == 0


def observation_clock(started_at: dt.datetime, now: dt.datetime, required_min: int) -> ObservationClock:
    """The observation timer: IV counts from the end of the infusion, esketamine from the first device (§3.5)."""
    _require_aware(started_at, "started_at")
    _require_aware(now, "now")
    if isinstance(required_min, bool) or not isinstance(required_min, int) or required_min < 0:
        raise ValueError(f"required_min: {required_min!r} must be a whole number of minutes, 0 or more")
    ends_at = started_at + dt.timedelta(minutes=required_min)
    elapsed = max(dt.timedelta(0), now - started_at)
    remaining = max(dt.timedelta(0), ends_at - now)
    return ObservationClock(
        started_at, ends_at, elapsed // dt.timedelta(minutes=1), -(-remaining // dt.timedelta(minutes=1))
    )


def minutes_between(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from ``start`` to ``end``, rounded down: the PMF's minutes monitored must never overstate (≥ 120)."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end < start:
        raise ValueError(f"end: {end.isoformat()} is before start {start.isoformat()}")
    return (end - start) // dt.timedelta(minutes=1)


def nearest_minutes(start: dt.datetime, end: dt.datetime) -> int:
    """Whole minutes from ``start`` to ``end``, to the nearest minute (half up): a time typed to the minute
    against a device stamped to the second ("ready at 10:40" after a first device at 09:40:07 is 60)."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end < start:
        raise ValueError(f"end: {end.isoformat()} is before start {start.isoformat()}")
    return (end - start + dt.timedelta(seconds=30)) // dt.timedelta(minutes=1)


def esketamine_monitoring_long_enough(first_device_at: dt.datetime, end_at: dt.datetime) -> bool:
    """The PMF's "total time monitored" must be at least 120 minutes from the first device (§3.5, §3.7)."""
    return minutes_between(first_device_at, end_at) >= ESKETAMINE_OBSERVATION_MIN_MIN


def _require_aware(value, field: str) -> None:
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{field}: expected a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field}: {value.isoformat()} has no time zone; pass an aware datetime")
