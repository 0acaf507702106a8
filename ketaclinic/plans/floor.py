"""Today's floor: one row per chair, who is in it, the phase, and what is due next.

Other areas add to the board without editing it:

    register_floor_annotation(fn)   # fn(appointments) -> {appointment_id: ["vitals due 10:40", ...]}
    register_floor_warning(fn)      # fn(clinic) -> ["Ketamine 50 mg/mL: 2 vials left", ...]

Register from your AppConfig.ready(). An annotation function gets the whole day's appointments at once
and must answer with a fixed number of queries, whatever the number of appointments (the board is polled).
A function that raises is left out of the board and logged, so one area's bug cannot blank the floor.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Callable

from django.utils import timezone

from ketaclinic.plans.models import Appointment, Chair

log = logging.getLogger(__name__)

_ANNOTATIONS: list[Callable] = []
_WARNINGS: list[Callable] = []

# What the front desk or nurse does next, by phase (the visits area adds the timed details).
NEXT_STEP = {
    Appointment.Status.BOOKED: "check in",
    Appointment.Status.CHECKED_IN: "pre-dose checks",
    Appointment.Status.DOSING: "monitor the dose",
    Appointment.Status.OBSERVATION: "observe",
    Appointment.Status.READY_FOR_DISCHARGE: "discharge to ride",
}
ON_FLOOR = (
    Appointment.Status.CHECKED_IN, Appointment.Status.DOSING, Appointment.Status.OBSERVATION,
    Appointment.Status.READY_FOR_DISCHARGE,
)


def register_floor_annotation(fn: Callable) -> None:
    if fn not in _ANNOTATIONS:
        _ANNOTATIONS.append(fn)


def register_floor_warning(fn: Callable) -> None:
    if fn not in _WARNINGS:
        _WARNINGS.append(fn)


def unregister(fn: Callable) -> None:
    """For tests."""
    for registry in (_ANNOTATIONS, _WARNINGS):
        if fn in registry:
            registry.remove(fn)


@dataclass
class ChairRow:
    chair: Chair
    current: Appointment | None = None
    upcoming: list[Appointment] = field(default_factory=list)
    done: list[Appointment] = field(default_factory=list)
    due: list[str] = field(default_factory=list)


@dataclass
class Board:
    day: dt.date
    rows: list[ChairRow]
    warnings: list[str]
    counts: dict[str, int]


def day_bounds(clinic, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The clinic's local calendar day as a UTC range (23 or 25 hours long on a DST change)."""
    start = dt.datetime.combine(day, dt.time.min, tzinfo=clinic.tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=clinic.tz)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def build_board(clinic, day: dt.date | None = None, *, now: dt.datetime | None = None) -> Board:
    now = now or timezone.now()
    day = day or now.astimezone(clinic.tz).date()
    start, end = day_bounds(clinic, day)
    appointments = list(
        Appointment.objects.filter(clinic=clinic, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=Appointment.Status.CANCELLED)
        .select_related("patient", "nurse", "chair")
        .order_by("starts_at", "id")
    )
    due = _annotations(appointments)
    rows = {chair.pk: ChairRow(chair) for chair in Chair.objects.filter(clinic=clinic, is_active=True)}
    for appointment in appointments:
        row = rows.setdefault(appointment.chair_id, ChairRow(appointment.chair))
        _place(row, appointment, due.get(appointment.pk, []))
    counts = {status: sum(1 for a in appointments if a.status == status) for status in Appointment.Status.values}
    return Board(day, list(rows.values()), _warnings(clinic), counts)


def _place(row: ChairRow, appointment: Appointment, extra: list[str]) -> None:
    if appointment.status in ON_FLOOR and row.current is None:
        row.current = appointment
        row.due = [NEXT_STEP[appointment.status], *extra]
    elif appointment.status == Appointment.Status.BOOKED or appointment.status in ON_FLOOR:
        # The next patient, or one already checked in and waiting while the chair's last one finishes.
        row.upcoming.append(appointment)
        appointment.floor_notes = extra
    else:
        row.done.append(appointment)


def _annotations(appointments: list[Appointment]) -> dict[int, list[str]]:
    merged: dict[int, list[str]] = {}
    if not appointments:
        return merged
    for fn in list(_ANNOTATIONS):
        try:
            result = fn(appointments) or {}
        except Exception:  # one area's bug must not blank the floor board
            log.exception("floor annotation %s failed", getattr(fn, "__qualname__", fn))
            continue
        for appointment_id, notes in result.items():
            merged.setdefault(appointment_id, []).extend(str(n) for n in notes)
    return merged


def _warnings(clinic) -> list[str]:
    warnings: list[str] = []
    for fn in list(_WARNINGS):
        try:
            warnings.extend(str(w) for w in (fn(clinic) or []))
        except Exception:  # as above
            log.exception("floor warning %s failed", getattr(fn, "__qualname__", fn))
    return warnings
