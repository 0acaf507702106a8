"""Vital signs: one reading at a time, typed by a nurse or posted by a monitor, judged at once.

The delivery contract for monitors (also in the OpenAPI description): every reading carries an idempotency
key the device makes up (a UUID) and keeps until the server answers 201 or 200 with the stored id. Sending
the same key again returns the stored reading (200), never a second row; the same key with other values is
refused (409). Readings are placed by the time they were measured, so a retry that arrives late still lands
in the right place on the flowsheet and in the right phase. A reading for a visit already discharged is
stored and flagged, not refused: a measurement is never silently lost.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.clinical import session_day
from ketaclinic.clinical import vitals as rules
from ketaclinic.clinical.instruments import InstrumentError
from ketaclinic.clinical.instruments import score as score_instrument
from ketaclinic.clinical.instruments.cadss import RULE_VERSION as CADSS_RULE_VERSION
from ketaclinic.visits.models import VITAL_FIELDS, ClinicalEvent, DissociationScore, Visit, VitalAlert, VitalReading
from ketaclinic.visits.services.checkin import update_holds_for
from ketaclinic.visits.services.common import field_error, record, require_open
from ketaclinic.visits.services.dosing import CLOCK_SKEW, change_infusion, moment

IDEMPOTENCY_KEY_MAX = 80


class IdempotencyConflict(ValidationError):
    """The key was used before for a reading with other values."""


@dataclass(frozen=True)
class Stored:
    reading: VitalReading
    created: bool  # False: the same key was seen before and this is the stored reading


def _digest(measured_at: dt.datetime, values: dict) -> str:
    payload = {"measured_at": measured_at.astimezone(dt.UTC).isoformat(), **{k: values.get(k) for k in VITAL_FIELDS}}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _clean_values(values: dict) -> dict:
    unknown = set(values) - set(VITAL_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a vital sign this flowsheet records." for name in sorted(unknown)})
    clean = {k: v for k, v in values.items() if v is not None}
    if not clean:
        raise ValidationError({"__all__": "Enter at least one vital sign."})
    return clean


def _measured_at(visit: Visit, measured_at: dt.datetime | None, source: str) -> dt.datetime:
    if measured_at is None:
        if source == VitalReading.Source.DEVICE:
            raise ValidationError({"measured_at": "A monitor must say when it measured the reading."})
        return timezone.now()
    if timezone.is_naive(measured_at):
        raise ValidationError({"measured_at": "Give the time with its time zone, e.g. 2026-11-28T10:40:00-08:00."})
    if measured_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"measured_at": "is in the future; check the monitor's clock."})
    return measured_at


def _existing(visit: Visit, key: str, values: dict, measured_at: dt.datetime | None) -> Stored | None:
    """The reading stored under ``key``, if any. A resend without a time ("now", a double tap on the tablet)
    matches on the values alone; with a time, on the time and the values."""
    row = VitalReading.objects.filter(visit=visit, idempotency_key=key).values_list("pk", "payload_digest", "measured_at").first()
    if row is None:
        return None
    pk, digest, stored_at = row
    if digest != _digest(measured_at or stored_at, values):
        raise IdempotencyConflict({"idempotency_key": f"was already used for a different reading (#{pk}); send a new key for a new reading."})
    return Stored(VitalReading.objects.get(pk=pk), False)


@transaction.atomic
def record_reading(
    visit: Visit, *, values: dict, idempotency_key: str, acting_user, measured_at: dt.datetime | None = None,
    source: str = VitalReading.Source.MANUAL, device_token=None, device_label: str = "",
) -> Stored:
    key = (idempotency_key or "").strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationError({"idempotency_key": f"Send a key of 1 to {IDEMPOTENCY_KEY_MAX} characters, new for each reading."})
    values = _clean_values(values)
    stored = _existing(visit, key, values, measured_at)
    if stored is not None:
        return stored
    given_at = measured_at
    measured_at = _measured_at(visit, measured_at, source)
    digest = _digest(measured_at, values)
    # Lock the visit only now: retries answer without queueing for the lock. Lock only the visit's row (of=self):
    # the protocol row is shared by every visit of the clinic and must not serialise them.
    visit = Visit.objects.select_related("protocol").select_for_update(of=("self",)).get(pk=visit.pk)
    phase = session_day.phase_at(measured_at, visit.dosing_started_at, visit.dosing_ended_at)
    alerts = _assess(visit, phase, values)
    reading = VitalReading(
        visit=visit, measured_at=measured_at, phase=phase.value, source=source, idempotency_key=key, payload_digest=digest,
        recorded_by=acting_user, device_token=device_token, device_label=device_label[:80],
        received_after_discharge=not visit.is_open, **values,
    )
    try:
        with transaction.atomic():
            reading.save()
    except IntegrityError:  # the same key raced in from a parallel retry and won
        return _existing(visit, key, values, given_at) or _reraise()
    VitalAlert.objects.bulk_create(
        [VitalAlert(visit=visit, reading=reading, parameter=a.parameter, level=a.level.value, message=a.message) for a in alerts]
    )
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="vital_reading", object_id=reading.pk,
           summary=f"Vitals ({reading.get_source_display().lower()}), {len(alerts)} alert(s)",
           changes={k: [None, v] for k, v in values.items()})
    update_holds_for(visit, reading, alerts, acting_user=acting_user)
    return Stored(reading, True)


def _reraise():
    raise ValidationError({"idempotency_key": "could not be stored; send the reading again."})


def _assess(visit: Visit, phase, values: dict):
    try:
        return rules.assess_vitals(phase=phase.value, route=visit.route, limits=visit.protocol.limits(), **values)
    except ValueError as error:
        raise field_error(error) from None


@transaction.atomic
def acknowledge_alert(alert: VitalAlert, *, action: str, note: str = "", acting_user) -> VitalAlert:
    """Every out-of-range value is acknowledged with what was done (clinical.md §10.3 design rule 2)."""
    alert = VitalAlert.objects.select_for_update(of=("self",)).select_related("visit").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise ValidationError({"__all__": f"Already acknowledged by {alert.acknowledged_by} ({alert.get_action_display().lower()})."})
    if action not in VitalAlert.Action.values:
        raise ValidationError({"action": "Choose what was done."})
    note = (note or "").strip()
    if action in (VitalAlert.Action.OTHER, VitalAlert.Action.MEDICATION) and not note:
        raise ValidationError({"note": "Say what was done" + (" (drug, dose, route)." if action == VitalAlert.Action.MEDICATION else ".")})
    alert.acknowledged_at, alert.acknowledged_by, alert.action, alert.action_note = timezone.now(), acting_user, action, note[:300]
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "action", "action_note"])
    record(audit.Action.UPDATE, alert.visit, actor=acting_user, object_type="vital_alert", object_id=alert.pk,
           summary=f"Alert acknowledged: {alert.get_action_display().lower()}", changes={"action": [None, action]})
    _act_on_infusion(alert, action, note, acting_user)
    return alert


def _act_on_infusion(alert: VitalAlert, action: str, note: str, acting_user) -> None:
    """Stopping or slowing from the alert also records it on the infusion, so the time line tells one story."""
    if action not in (VitalAlert.Action.STOPPED, VitalAlert.Action.SLOWED):
        return
    dose = alert.visit.doses.filter(drug="ketamine", status__in=["running", "paused"]).first()
    if dose is None:
        return
    if action == VitalAlert.Action.STOPPED:
        change_infusion(dose, ClinicalEvent.Kind.STOP, acting_user=acting_user, note=note or alert.message)
    else:
        ClinicalEvent.objects.create(visit=alert.visit, occurred_at=timezone.now(), kind=ClinicalEvent.Kind.RATE_CHANGE,
                                     dose=dose, note=(note or f"Slowed for: {alert.message}")[:300], recorded_by=acting_user)


@transaction.atomic
def record_cadss(visit: Visit, *, total, acting_user, measured_at=None) -> DissociationScore:
    require_open(visit, "record a CADSS score")
    measured_at = moment(measured_at, visit, "measured_at")
    try:
        result = score_instrument("CADSS", [total])
    except InstrumentError as error:
        raise ValidationError({"total": str(error).split(": ", 1)[-1]}) from None
    score = DissociationScore.objects.create(visit=visit, measured_at=measured_at, total=result.total,
                                             rule_version=CADSS_RULE_VERSION, recorded_by=acting_user)
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="cadss", object_id=score.pk,
           summary=f"CADSS {score.total}", changes={"total": [None, score.total]})
    return score


# --- cadence ---------------------------------------------------------------------------------------------------
def vitals_next_due(visit: Visit, last_measured_at: dt.datetime | None) -> dt.datetime | None:
    """When the next set of vitals is due on the protocol's cadence; None before dosing or after discharge."""
    if visit.status not in (Visit.Status.DOSING, Visit.Status.OBSERVATION, Visit.Status.READY_FOR_DISCHARGE):
        return None
    phase = "dosing" if visit.status == Visit.Status.DOSING else "recovery"
    since = max(filter(None, [last_measured_at, visit.dosing_started_at if phase == "dosing" else visit.dosing_ended_at]))
    due = rules.next_due(phase, since, visit.protocol.cadence())
    if visit.is_esketamine and visit.dosing_started_at:
        forty = session_day.esketamine_bp_recheck_due_at(visit.dosing_started_at)
        if since < forty - dt.timedelta(minutes=session_day.ESKETAMINE_BP_RECHECK_WINDOW_MIN):
            due = min(due, forty)  # the label's ~40-minute BP check (§3.4) comes first if it is sooner
    return due
