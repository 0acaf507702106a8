"""Read-side helpers: the day's visits with what is due, the time line, the floor-board annotations.

Each answers in a fixed number of queries, whatever the number of visits (the board is polled).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from ketaclinic.visits.models import (
    DissociationScore,
    EsketamineDevice,
    Hold,
    Visit,
    VitalAlert,
    VitalReading,
)
from ketaclinic.visits.services.vitals import vitals_next_due


def day_start(clinic, now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now(), clinic.tz)
    return dt.datetime.combine(local.date(), dt.time.min, tzinfo=clinic.tz)


def annotated(queryset):
    """Visits with ``last_reading_at``, ``open_alerts``, ``open_action_alerts`` and ``open_holds``."""
    last = VitalReading.objects.filter(visit=OuterRef("pk")).order_by("-measured_at").values("measured_at")[:1]
    alerts = VitalAlert.objects.filter(visit=OuterRef("pk"), acknowledged_at__isnull=True).values("visit")
    return queryset.annotate(
        last_reading_at=Subquery(last),
        open_alerts=Subquery(alerts.annotate(n=Count("pk")).values("n")[:1]),
        open_action_alerts=Subquery(alerts.filter(level="action").annotate(n=Count("pk")).values("n")[:1]),
        open_holds=Subquery(Hold.objects.filter(visit=OuterRef("pk"), cleared_at__isnull=True).values("visit")
                            .annotate(n=Count("pk")).values("n")[:1]),
    )


def todays_visits(clinic, now: dt.datetime | None = None):
    start = day_start(clinic, now)
    return annotated(
        Visit.objects.filter(clinic=clinic).filter(Q(status__in=Visit.OPEN_STATUSES) | Q(checked_in_at__gte=start))
        .select_related("patient", "protocol")
    ).order_by("discharged_at", "checked_in_at", "id")


@dataclass(frozen=True)
class Due:
    vitals_due_at: dt.datetime | None
    overdue: bool
    ready_at: dt.datetime | None


def due_for(visit: Visit, now: dt.datetime | None = None) -> Due:
    """From an annotated visit: when vitals are next due and when observation ends."""
    now = now or timezone.now()
    due = vitals_next_due(visit, visit.last_reading_at)
    ready_at = (visit.observation_started_at + dt.timedelta(minutes=visit.observation_min_required)
                if visit.observation_started_at else None)
    return Due(due, due is not None and due < now, ready_at)


def floor_notes(visit: Visit, tz, now: dt.datetime | None = None) -> list[str]:
    """Short strings for the floor board: what needs doing at this chair (times in the clinic's zone ``tz``)."""
    now = now or timezone.now()
    due = due_for(visit, now)
    notes = []
    if visit.open_alerts:
        kind = "action alert" if visit.open_action_alerts else "alert"
        notes.append(f"{visit.open_alerts} {kind}{'s' if visit.open_alerts > 1 else ''} to acknowledge")
    if visit.open_holds:
        notes.append("dose on hold")
    if due.vitals_due_at:
        notes.append(("vitals overdue since " if due.overdue else "vitals due ") + _hm(due.vitals_due_at, tz))
    if due.ready_at and visit.status == Visit.Status.OBSERVATION and due.ready_at > now:
        notes.append("observation ends " + _hm(due.ready_at, tz))
    return notes


def _hm(moment: dt.datetime, tz) -> str:
    return timezone.localtime(moment, tz).strftime("%H:%M")


def floor_annotations(appointments) -> dict[int, list[str]]:
    """For plans' floor board: {appointment_id: [notes]} in a fixed number of queries."""
    ids = [a.pk for a in appointments]
    if not ids or not hasattr(Visit, "appointment"):
        return {}
    visits = annotated(Visit.objects.filter(appointment_id__in=ids, status__in=Visit.OPEN_STATUSES)
                       .select_related("clinic", "protocol"))
    return {v.appointment_id: floor_notes(v, v.clinic.tz) for v in visits}


# --- the time line ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str  # reading, alert, event, device, dose, cadss, hold
    text: str
    level: str = ""


def timeline(visit: Visit) -> list[Entry]:
    """Everything on the visit in the order it happened (by measured or occurred time, not arrival)."""
    entries: list[Entry] = []
    readings = list(visit.readings.prefetch_related("alerts"))
    for r in readings:
        entries.append(Entry(r.measured_at, "reading", _reading_text(r)))
        for alert in r.alerts.all():
            entries.append(Entry(r.measured_at, "alert", alert.message, alert.level))
    for event in visit.events.select_related("recorded_by"):
        text = event.get_kind_display() + (f": {event.medication} {event.medication_dose}" if event.medication else "")
        text += f" to {event.new_rate_ml_per_h} mL/h" if event.new_rate_ml_per_h else ""
        entries.append(Entry(event.occurred_at, "event", text + (f" — {event.note}" if event.note else "")))
    for dose in visit.doses.exclude(status="voided"):
        if dose.started_at and dose.is_iv:
            entries.append(Entry(dose.started_at, "dose", f"Infusion started: {dose.dose_mg} mg at {dose.rate_ml_per_h} mL/h"))
        if dose.ended_at and dose.is_iv:
            entries.append(Entry(dose.ended_at, "dose", f"Infusion {dose.get_status_display().lower()}"))
    for device in EsketamineDevice.objects.filter(dose__visit=visit):
        entries.append(Entry(device.administered_at, "device", f"Esketamine device {device.number} (28 mg)"))
    for score in DissociationScore.objects.filter(visit=visit):
        entries.append(Entry(score.measured_at, "cadss", f"CADSS {score.total}"))
    for hold in Hold.objects.filter(visit=visit):
        entries.append(Entry(hold.opened_at, "hold", f"Hold: {hold.message}", "hold"))
        if hold.cleared_at:
            entries.append(Entry(hold.cleared_at, "hold", f"Hold cleared: {hold.get_clearance_display().lower()}"
                                 + (f" — {hold.override_reason}" if hold.override_reason else "")))
    return sorted(entries, key=lambda e: e.at)


def _reading_text(r: VitalReading) -> str:
    parts = []
    if r.blood_pressure:
        parts.append(f"BP {r.blood_pressure}")
    for label, value in (("HR", r.heart_rate_bpm), ("SpO2", r.spo2_pct), ("RR", r.respiratory_rate_per_min), ("MOAA/S", r.moaa_s)):
        if value is not None:
            parts.append(f"{label} {value}")
    return ", ".join(parts) + (" (monitor)" if r.source == "device" else "")

