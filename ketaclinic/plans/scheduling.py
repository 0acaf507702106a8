"""Finding free time: chairs, nurses' seats, opening hours, the patient's own calendar.

``load_calendar`` reads everything a proposal needs for a date range in a fixed handful of queries; the
``Calendar`` then answers "where can this visit go on this day?" in memory, so proposing a whole series
costs the same few queries however full the clinic is. ``hold`` marks a found place as taken, so the
sessions of one series never collide with each other.

Every time here is an aware UTC datetime, except opening hours and the patient's availability, which are
wall-clock times in the clinic's time zone, turned into UTC per date (so a DST change moves nothing).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection

from ketaclinic.accounts.roles import Role
from ketaclinic.plans.models import (
    SLOT,
    SLOT_MINUTES,
    Appointment,
    Chair,
    ClinicScheduling,
    ClosedDay,
    OpeningHours,
    StaffShift,
)

# Who may monitor a dosed patient and so hold a "nurse seat" (clinical.md §0b: anesthesiologists or
# nurse anesthetists staff these clinics; RNs monitor under a physician).
MONITORING_ROLES = (Role.NURSE_RN, Role.NURSE_CRNA, Role.PHYSICIAN)
ALL_WEEKDAYS = frozenset(range(7))
MAX_VISIT = dt.timedelta(days=1)  # no visit holds a chair longer; bounds the calendar's index scans
RELEASED = (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW)


@dataclass(frozen=True)
class Availability:
    """When the patient can come: weekdays (Monday 0) and a local time window the visit must fit in."""

    weekdays: frozenset[int] = ALL_WEEKDAYS
    earliest: dt.time = dt.time(0, 0)
    latest: dt.time = dt.time(23, 59)


@dataclass(frozen=True)
class Place:
    """A found place for one visit: when, which chair, which nurse and the seat they hold per slot."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    chair_id: int
    nurse_id: int | None
    seats: tuple[tuple[dt.datetime, int], ...] = ()


def slot_minutes(minutes: int) -> int:
    """Minutes rounded up to whole 15-minute slots: a chair is held in whole slots."""
    return -(-minutes // SLOT_MINUTES) * SLOT_MINUTES


def slots_of(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.datetime]:
    out, t = [], starts_at
    while t < ends_at:
        out.append(t)
        t += SLOT
    return out


SLOT_SECONDS = SLOT_MINUTES * 60


def slot_indexes(starts_at: dt.datetime, ends_at: dt.datetime) -> range:
    """The 15-minute slots a visit covers, as integers (slots since 1970 UTC): cheap to hash and compare
    when a month of a busy clinic is held in memory. A partly covered slot counts as covered."""
    return range(int(starts_at.timestamp()) // SLOT_SECONDS, -(-int(ends_at.timestamp()) // SLOT_SECONDS))


def slot_start(index: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(index * SLOT_SECONDS, tz=dt.UTC)


def local_to_utc(day: dt.date, wall: dt.time, tz) -> dt.datetime:
    # fold=0: an ambiguous wall time (the repeated hour when DST ends) means its first occurrence.
    return dt.datetime.combine(day, wall, tzinfo=tz).astimezone(dt.UTC)


def is_aligned(moment: dt.datetime) -> bool:
    return moment.second == 0 and moment.microsecond == 0 and moment.minute % SLOT_MINUTES == 0


@dataclass
class Calendar:
    clinic: object
    ratio: int
    hours: dict[int, tuple[dt.time, dt.time]]
    closed: set[dt.date]
    chairs: list[tuple[int, str]]  # (id, kind), in the clinic's order
    chair_taken: set[tuple[int, int]] = field(default_factory=set)  # (chair id, slot index)
    seats_taken: dict[tuple[int, int], set[int]] = field(default_factory=lambda: defaultdict(set))  # (nurse, slot) → seats
    shifts: list[tuple[int, dt.datetime, dt.datetime]] = field(default_factory=list)
    patient_busy: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    loaded: tuple[dt.date, dt.date] | None = None

    # --- questions ----------------------------------------------------------------------------------
    def open_window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        if day in self.closed or day.weekday() not in self.hours:
            return None
        opens, closes = self.hours[day.weekday()]
        return local_to_utc(day, opens, self.clinic.tz), local_to_utc(day, closes, self.clinic.tz)

    def open_weekdays(self) -> tuple[int, ...]:
        return tuple(sorted(self.hours))

    def why_not(self, starts_at, ends_at, *, chair_id, needs_nurse: bool, nurse_id=None) -> str | None:
        """None if the visit fits exactly there, else the reason (for the front desk)."""
        local = starts_at.astimezone(self.clinic.tz)
        window = self.open_window(local.date())
        if window is None:
            return f"the clinic is closed on {local:%a %d %b}"
        if starts_at < window[0] or ends_at > window[1]:
            return f"{local:%H:%M}–{ends_at.astimezone(self.clinic.tz):%H:%M} is outside opening hours"
        if any(s < ends_at and starts_at < e for s, e in self.patient_busy):
            return "the patient has another visit then"
        if any((chair_id, t) in self.chair_taken for t in slot_indexes(starts_at, ends_at)):
            return "the chair is taken then"
        if needs_nurse and self._nurse_seats(starts_at, ends_at, nurse_id) is None:
            return "no nurse on shift has a free seat for the whole visit"
        return None

    def place_at(self, starts_at, ends_at, *, chair_id, needs_nurse: bool, nurse_id=None) -> Place | None:
        if self.why_not(starts_at, ends_at, chair_id=chair_id, needs_nurse=needs_nurse, nurse_id=nurse_id):
            return None
        nurse = self._nurse_seats(starts_at, ends_at, nurse_id) if needs_nurse else (None, ())
        return Place(starts_at, ends_at, chair_id, nurse[0], nurse[1])

    def find(self, day, minutes, *, kinds, needs_nurse, availability: Availability, not_before=None) -> Place | None:
        """The earliest place on ``day`` in a chair of one of ``kinds``, within the patient's availability.

        Days outside the loaded range have no known occupancy: nothing is proposed there. The scan works on
        slot numbers (this runs for every 15 minutes of every candidate day of every session of a series).
        """
        if self.loaded and not self.loaded[0] <= day <= self.loaded[1]:
            return None
        window = self.open_window(day)
        if window is None or day.weekday() not in availability.weekdays:
            return None
        tz = self.clinic.tz
        first = max(window[0], local_to_utc(day, availability.earliest, tz), not_before or window[0])
        last_end = min(window[1], local_to_utc(day, availability.latest, tz))
        length = slot_minutes(minutes) // SLOT_MINUTES
        first_slot, end_slot = -(-int(first.timestamp()) // SLOT_SECONDS), int(last_end.timestamp()) // SLOT_SECONDS
        chairs = [cid for cid, kind in self.chairs if kind in kinds]
        busy = [slot_indexes(s, e) for s, e in self.patient_busy]
        for begin in range(first_slot, end_slot - length + 1):
            span = range(begin, begin + length)
            if any(b.start < span.stop and span.start < b.stop for b in busy):
                continue
            chair = next((c for c in chairs if not any((c, t) in self.chair_taken for t in span)), None)
            if chair is None:
                continue
            nurse = self._nurse_seats_for(span) if needs_nurse else (None, ())
            if nurse is not None:
                return Place(slot_start(span.start), slot_start(span.stop), chair, nurse[0], nurse[1])
        return None

    # --- marking ------------------------------------------------------------------------------------
    def hold(self, place: Place) -> None:
        for t in slot_indexes(place.starts_at, place.ends_at):
            self.chair_taken.add((place.chair_id, t))
        for t, seat in place.seats:
            self.seats_taken[(place.nurse_id, int(t.timestamp()) // SLOT_SECONDS)].add(seat)
        self.patient_busy.append((place.starts_at, place.ends_at))

    def _nurse_seats(self, starts_at, ends_at, nurse_id=None):
        return self._nurse_seats_for(slot_indexes(starts_at, ends_at), nurse_id)

    def _nurse_seats_for(self, slots: range, nurse_id=None):
        """(nurse_id, ((slot start, seat), ...)) for the on-shift nurse with the fewest patients then, or None.

        A visit keeps one seat for its whole length (``Appointment.nurse_seat``), the lowest free in every slot.
        """
        best = None
        first, last = slots.start * SLOT_SECONDS, slots.stop * SLOT_SECONDS
        for nurse, shift_start, shift_end in self.shifts:
            if (nurse_id is not None and nurse != nurse_id) or shift_start.timestamp() > first or shift_end.timestamp() < last:
                continue
            taken = [self.seats_taken.get((nurse, t), ()) for t in slots]
            free = set(range(self.ratio)).difference(*taken)
            if not free:
                continue
            load = sum(len(s) for s in taken)
            if best is None or load < best[0]:
                best = (load, nurse, min(free))
        if best is None:
            return None
        return best[1], tuple((slot_start(t), best[2]) for t in slots)


def scheduling_for(clinic) -> ClinicScheduling:
    found = ClinicScheduling.objects.filter(clinic=clinic).first()
    return found or ClinicScheduling(clinic=clinic)


def load_calendar(clinic, first_day: dt.date, last_day: dt.date, *, patient=None, ignore_appointment_ids=()) -> Calendar:
    """Everything about ``clinic`` between two local days, in eight queries whatever the volume.

    Occupancy is read from the appointments (one row per visit, a few thousand a month at most) rather
    than from the slot tables (one row per 15 minutes): the slot tables are the database's guarantee, the
    appointments the quick way to read the same facts. Cancelled and no-show visits hold nothing.
    """
    start = local_to_utc(first_day, dt.time.min, clinic.tz)
    end = local_to_utc(last_day + dt.timedelta(days=1), dt.time.min, clinic.tz)
    chairs = list(Chair.objects.filter(clinic=clinic, is_active=True).order_by("sort_order", "name").values_list("id", "kind"))
    calendar = Calendar(
        clinic=clinic,
        ratio=scheduling_for(clinic).nurse_ratio,
        hours={h.weekday: (h.opens_at, h.closes_at) for h in OpeningHours.objects.filter(clinic=clinic)},
        closed=set(ClosedDay.objects.filter(clinic=clinic, date__range=(first_day, last_day)).values_list("date", flat=True)),
        chairs=chairs,
        loaded=(first_day, last_day),
    )
    calendar.shifts = list(
        StaffShift.objects.filter(clinic=clinic, starts_at__lt=end, ends_at__gt=start).order_by("user_id", "starts_at")
        .values_list("user_id", "starts_at", "ends_at")
    )
    nurse_ids = sorted({s[0] for s in calendar.shifts})
    chair_ids = {c for c, _ in chairs}
    # Index-friendly: each query is bounded on both sides of starts_at (no visit is longer than a day).
    window = dict(starts_at__gt=start - MAX_VISIT, starts_at__lt=end, ends_at__gt=start)
    ignore = list(ignore_appointment_ids)
    columns = ("chair_id", "nurse_id", "nurse_seat", "starts_at", "ends_at")
    held = Appointment.objects.exclude(status__in=RELEASED).exclude(pk__in=ignore)
    for chair_id, nurse_id, seat, first, stop in _slot_rows(held.filter(clinic=clinic, **window), columns):
        _occupy(calendar, chair_id if chair_id in chair_ids else None, nurse_id if seat is not None else None, seat, first, stop)
    others = held.filter(nurse_id__in=nurse_ids, **window).exclude(clinic=clinic)  # the same nurses at another clinic
    for _, nurse_id, seat, first, stop in _slot_rows(others, columns):
        _occupy(calendar, None, nurse_id if seat is not None else None, seat, first, stop)
    if patient is not None:
        calendar.patient_busy = list(held.filter(patient=patient, **window).values_list("starts_at", "ends_at"))
    return calendar


def _slot_rows(queryset, columns):
    """Rows of ``columns`` whose last two (starts_at, ends_at) come back as slot numbers.

    Read through the cursor, not the ORM: turning thousands of SQLite datetime strings into aware datetimes
    is most of the cost of a proposal, and a slot number needs none of it. PostgreSQL's driver already
    returns aware datetimes; SQLite returns the UTC text Django stored.
    """
    try:
        sql, params = queryset.values_list(*columns).query.sql_with_params()
    except EmptyResultSet:  # e.g. no nurse on shift: nothing to read
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for *head, starts_at, ends_at in cursor.fetchall():
            yield (*head, _to_slot(starts_at), -(-_seconds(ends_at) // SLOT_SECONDS))


def _seconds(value) -> int:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return int(value.timestamp())


def _to_slot(value) -> int:
    return _seconds(value) // SLOT_SECONDS


def _occupy(calendar: Calendar, chair_id, nurse_id, seat, first: int, stop: int) -> None:
    slots = range(first, stop)
    if chair_id:
        calendar.chair_taken.update((chair_id, t) for t in slots)
    if nurse_id is not None:
        for t in slots:
            calendar.seats_taken[(nurse_id, t)].add(seat)
