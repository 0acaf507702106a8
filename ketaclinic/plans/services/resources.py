"""The clinic's calendar: chairs and rooms, opening hours, closed days, staff shifts, scheduling limits."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Membership
from ketaclinic.plans.models import Appointment, Chair, ClinicScheduling, ClosedDay, OpeningHours, StaffShift
from ketaclinic.plans.scheduling import MONITORING_ROLES, is_aligned, local_to_utc

SHIFT_MAX_HOURS = 16  # input sanity bound, not a labour rule


def _record(action, acting_user, clinic, object_type, object_id, summary, changes=None):
    audit.record(action, actor=acting_user, object_type=object_type, object_id=object_id, clinic=clinic,
                 summary=summary, changes=changes or {})


@transaction.atomic
def add_chair(*, clinic, name: str, kind: str = Chair.Kind.CHAIR, acting_user) -> Chair:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Give the chair or room a name."})
    if kind not in Chair.Kind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(Chair.Kind.values)}."})
    if Chair.objects.filter(clinic=clinic, name__iexact=name).exists():
        raise ValidationError({"name": f"{name} already exists here."})
    chair = Chair.objects.create(clinic=clinic, name=name, kind=kind, sort_order=Chair.objects.filter(clinic=clinic).count())
    _record(audit.Action.CREATE, acting_user, clinic, "chair", chair.pk, f"Added {chair.get_kind_display().lower()} {name}",
            {"name": [None, name], "kind": [None, kind]})
    return chair


@transaction.atomic
def set_chair_active(chair: Chair, active: bool, *, acting_user) -> Chair:
    if not active and Appointment.objects.filter(
        chair=chair, starts_at__gte=timezone.now(), status=Appointment.Status.BOOKED
    ).exists():
        raise ValidationError({"is_active": f"{chair.name} has booked visits ahead; move them first."})
    Chair.objects.filter(pk=chair.pk).update(is_active=active)
    _record(audit.Action.UPDATE, acting_user, chair.clinic_id, "chair", chair.pk,
            f"{'Reopened' if active else 'Retired'} {chair.name}", {"is_active": [chair.is_active, active]})
    chair.is_active = active
    return chair


@transaction.atomic
def set_opening_hours(*, clinic, hours: dict[int, tuple[dt.time, dt.time] | None], acting_user) -> None:
    """``hours`` maps weekday (Monday 0) to (opens, closes) local wall-clock times, or None for closed."""
    errors = {}
    for weekday, span in hours.items():
        if weekday not in range(7):
            errors[f"weekday_{weekday}"] = "Weekdays are 0 (Monday) to 6 (Sunday)."
        elif span is not None and not (span[0] < span[1]):
            errors[f"closes_{weekday}"] = "Closing time must be after opening time."
        elif span is not None and not all(t.minute % 15 == 0 and t.second == 0 for t in span):
            errors[f"opens_{weekday}"] = "Use quarter hours (for example 08:00, 08:15)."
    if errors:
        raise ValidationError(errors)
    before = {h.weekday: (h.opens_at.isoformat(), h.closes_at.isoformat()) for h in OpeningHours.objects.filter(clinic=clinic)}
    for weekday, span in hours.items():
        OpeningHours.objects.filter(clinic=clinic, weekday=weekday).delete()
        if span is not None:
            OpeningHours.objects.create(clinic=clinic, weekday=weekday, opens_at=span[0], closes_at=span[1])
    after = {h.weekday: (h.opens_at.isoformat(), h.closes_at.isoformat()) for h in OpeningHours.objects.filter(clinic=clinic)}
    changes = {str(d): [before.get(d), after.get(d)] for d in range(7) if before.get(d) != after.get(d)}
    if changes:
        _record(audit.Action.UPDATE, acting_user, clinic, "opening_hours", clinic.pk, "Changed opening hours", changes)


@transaction.atomic
def add_closed_day(*, clinic, date: dt.date, reason: str = "", acting_user) -> ClosedDay:
    if ClosedDay.objects.filter(clinic=clinic, date=date).exists():
        raise ValidationError({"date": f"{date:%d %b %Y} is already closed."})
    booked = Appointment.objects.filter(
        clinic=clinic, status=Appointment.Status.BOOKED,
        starts_at__gte=local_to_utc(date, dt.time.min, clinic.tz),
        starts_at__lt=local_to_utc(date + dt.timedelta(days=1), dt.time.min, clinic.tz),
    ).count()
    if booked:
        raise ValidationError({"date": f"{booked} visit(s) are booked on {date:%d %b %Y}; move them first."})
    closed = ClosedDay.objects.create(clinic=clinic, date=date, reason=reason[:120])
    _record(audit.Action.CREATE, acting_user, clinic, "closed_day", closed.pk, f"Closed on {date.isoformat()}",
            {"date": [None, date.isoformat()], "reason": [None, reason]})
    return closed


def _check_shift_person(clinic, user) -> None:
    if not Membership.objects.filter(clinic=clinic, user=user, role__in=MONITORING_ROLES).exists():
        raise ValidationError({"user": f"{user} is not a nurse or physician at this clinic."})


@transaction.atomic
def add_shift(*, clinic, user, day: dt.date, starts: dt.time, ends: dt.time, acting_user) -> StaffShift:
    """A monitoring shift on ``day`` from ``starts`` to ``ends``, wall-clock times in the clinic's zone."""
    _check_shift_person(clinic, user)
    starts_at, ends_at = local_to_utc(day, starts, clinic.tz), local_to_utc(day, ends, clinic.tz)
    if ends_at <= starts_at:
        raise ValidationError({"ends": "A shift ends after it starts."})
    if not (is_aligned(starts_at) and is_aligned(ends_at)):
        raise ValidationError({"starts": "Use quarter hours (for example 07:30)."})
    if ends_at - starts_at > dt.timedelta(hours=SHIFT_MAX_HOURS):
        raise ValidationError({"ends": f"A shift is at most {SHIFT_MAX_HOURS} hours."})
    if StaffShift.objects.filter(clinic=clinic, user=user, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError({"starts": f"{user} already has a shift then."})
    shift = StaffShift.objects.create(clinic=clinic, user=user, starts_at=starts_at, ends_at=ends_at)
    _record(audit.Action.CREATE, acting_user, clinic, "shift", shift.pk, f"Shift for {user} on {day.isoformat()}",
            {"starts_at": [None, starts_at.isoformat()], "ends_at": [None, ends_at.isoformat()]})
    return shift


@transaction.atomic
def remove_shift(shift: StaffShift, *, acting_user) -> None:
    if Appointment.objects.filter(
        nurse_id=shift.user_id, status=Appointment.Status.BOOKED, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at
    ).exists():
        raise ValidationError({"shift": "Visits are booked with this nurse during the shift; move them first."})
    _record(audit.Action.DELETE, acting_user, shift.clinic_id, "shift", shift.pk, f"Removed a shift of {shift.user}",
            {"starts_at": [shift.starts_at.isoformat(), None]})
    shift.delete()


SCHEDULING_FIELDS = ("nurse_ratio", "iv_fasting_food_h", "iv_fasting_liquids_h")


@transaction.atomic
def update_scheduling(*, clinic, data: dict, acting_user) -> ClinicScheduling:
    settings_row, _ = ClinicScheduling.objects.select_for_update().get_or_create(clinic=clinic)
    before = audit.snapshot(settings_row, SCHEDULING_FIELDS)
    for name in set(data) - set(SCHEDULING_FIELDS):
        raise ValidationError({name: "is not a scheduling setting."})
    for name, value in data.items():
        setattr(settings_row, name, value)
    settings_row.approved_by, settings_row.approved_at = acting_user, timezone.now()
    settings_row.full_clean(exclude=["clinic", "approved_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            settings_row.save()
    except IntegrityError:
        raise ValidationError({"nurse_ratio": "Out of range."}) from None
    changes = audit.changed(before, audit.snapshot(settings_row, SCHEDULING_FIELDS))
    if changes:
        _record(audit.Action.UPDATE, acting_user, clinic, "scheduling", settings_row.pk, "Changed scheduling limits", changes)
    return settings_row
