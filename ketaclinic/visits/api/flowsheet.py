"""Readings (the one endpoint a monitor's device token may call), alerts, events, CADSS, time line, discharge."""

from django.http import Http404
from ninja import Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts.models import ApiToken
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS, ErrorOut
from ketaclinic.visits import queries
from ketaclinic.visits.access import get_visit_for_user
from ketaclinic.visits.api import schemas as s
from ketaclinic.visits.api.base import router
from ketaclinic.visits.models import VitalAlert, VitalReading
from ketaclinic.visits.services import discharge, events, vitals

RECORD = Perm.CLINICAL_RECORD
READING_CONTRACT = """Store one set of vital signs for a visit. A monitor calls this with a **device token**
(`manage.py create_api_token USERNAME --device`; it may call nothing else); staff may call it with a personal token.

**Delivery contract — a reading is never silently lost:**
1. The monitor makes up an `idempotency_key` (a UUID) for each reading and keeps the reading, with its key, in its
   own outbox until this endpoint answers **201** (stored now) or **200** (stored before: `duplicate` is true).
   Both return the stored reading with its `id`. Anything else (timeout, 5xx, no network) means: send it again,
   with the same key, later.
2. The same key with the same values is stored once, however often it is sent (also when two retries race).
   The same key with *different* values answers **409**: that is a bug in the sender, not a retry.
3. `measured_at` is when the monitor measured, not when it sends: late or out-of-order readings are placed by it,
   and judged in the phase (pre-dose, dosing, recovery) of that moment. A reading from more than 2 minutes in the
   future is refused (422: check the monitor's clock).
4. A reading for a visit already discharged is stored and flagged `received_after_discharge`, not refused.
5. 422 names the field (e.g. an implausible systolic); fix the reading — retrying it unchanged will not help.

Alerts raised by the reading come back in `alerts` and show at once on the flowsheet and the floor board."""


@router.post("/{int:visit_id}/readings", response={201: s.ReadingOut, 200: s.ReadingOut, 409: ErrorOut, **WRITE_ERRORS},
             summary="Post a vital-sign reading (device tokens welcome)", description=READING_CONTRACT)
def post_reading(request, visit_id: int, payload: s.ReadingIn):
    visit = get_visit_for_user(request.user, visit_id, RECORD, light=True)
    token = getattr(request, "api_token", None)
    from_device = token is not None and token.kind == ApiToken.Kind.DEVICE
    values = payload.dict(include={"systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "spo2_pct",
                                   "respiratory_rate_per_min", "moaa_s"})
    try:
        stored = vitals.record_reading(
            visit, values=values, idempotency_key=payload.idempotency_key, measured_at=payload.measured_at,
            acting_user=request.user, device_token=token if from_device else None, device_label=payload.device_label,
            source=VitalReading.Source.DEVICE if from_device else VitalReading.Source.MANUAL,
        )
    except vitals.IdempotencyConflict as conflict:
        return Status(409, {"detail": " ".join(conflict.messages)})
    reading = stored.reading
    reading.duplicate = not stored.created
    return Status(201 if stored.created else 200, reading)


@router.get("/{int:visit_id}/readings", response={200: list[s.ReadingOut], **ERRORS}, summary="The flowsheet, by measured time")
@paginate(Pagination)
def list_readings(request, visit_id: int):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id)
    return VitalReading.objects.filter(visit=visit).prefetch_related("alerts").order_by("measured_at", "id")


@router.get("/{int:visit_id}/alerts", response={200: list[s.AlertOut], **ERRORS})
@paginate(Pagination)
def list_alerts(request, visit_id: int, open_only: bool = False):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id)
    alerts = VitalAlert.objects.filter(visit=visit).order_by("reading__measured_at", "id")
    return alerts.filter(acknowledged_at__isnull=True) if open_only else alerts


@router.post("/alerts/{int:alert_id}/acknowledge", response={200: s.AlertOut, **WRITE_ERRORS}, summary="Acknowledge with an action")
def acknowledge(request, alert_id: int, payload: s.AlertAcknowledgeIn):
    personal_only(request)
    alert = VitalAlert.objects.filter(pk=alert_id).first()
    if alert is None:
        raise Http404("No such alert.")
    get_visit_for_user(request.user, alert.visit_id, Perm.SAFETY_ACKNOWLEDGE)
    return vitals.acknowledge_alert(alert, action=payload.action, note=payload.note, acting_user=request.user)


@router.post("/{int:visit_id}/events", response={201: s.EventOut, **WRITE_ERRORS}, summary="An event or intervention")
def record_event(request, visit_id: int, payload: s.EventIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    event = events.record_event(visit, kind=payload.kind, occurred_at=payload.occurred_at, medication=payload.medication,
                                medication_dose=payload.medication_dose, note=payload.note,
                                new_rate_ml_per_h=payload.new_rate_ml_per_h, acting_user=request.user)
    return Status(201, event)


@router.post("/{int:visit_id}/cadss", response={201: s.CadssOut, **WRITE_ERRORS}, summary="A CADSS total")
def record_cadss(request, visit_id: int, payload: s.CadssIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    return Status(201, vitals.record_cadss(visit, total=payload.total, measured_at=payload.measured_at, acting_user=request.user))


@router.get("/{int:visit_id}/timeline", response={200: list[s.TimelineOut], **ERRORS},
            summary="Readings, alerts, events, doses, devices, CADSS and holds in the order they happened")
def timeline(request, visit_id: int):
    personal_only(request)
    return queries.timeline(get_visit_for_user(request.user, visit_id))


@router.post("/{int:visit_id}/discharge-assessments", response={201: s.AssessmentOut, **WRITE_ERRORS},
             summary="Assess readiness for discharge")
def assess(request, visit_id: int, payload: s.AssessmentIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    return Status(201, discharge.assess_discharge(visit, data=payload.dict(), acting_user=request.user))


@router.post("/{int:visit_id}/discharge", response={200: s.VisitOut, **WRITE_ERRORS}, summary="Discharge to the named ride")
def discharge_visit(request, visit_id: int):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    return discharge.discharge(visit, acting_user=request.user)
