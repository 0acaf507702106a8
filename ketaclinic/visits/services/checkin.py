"""Check-in: open the visit, work the checklist (each item with who and when), the order, holds.

Dosing cannot start until every required item is done and no hold is open (``dosing_blockers``).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import phone_validator
from ketaclinic.accounts.roles import Perm
from ketaclinic.accounts.access import can
from ketaclinic.clinical import dosing as dose_rules
from ketaclinic.clinical import session_day
from ketaclinic.clinical.vitals import Level
from ketaclinic.patients.models import WEIGHT_MAX_KG, WEIGHT_MIN_KG
from ketaclinic.visits import integrations
from ketaclinic.visits.models import ChecklistItem, DoseOrder, Hold, RemsEnrollment, Route, Visit, VitalReading
from ketaclinic.visits.services.common import current_protocol, lock, record, require_open, require_text, set_status

Item = ChecklistItem.Item
MEDICATION_KEYS = (
    "benzodiazepines", "non_benzodiazepine_sedative_hypnotics", "psychostimulants", "maois", "opioids",
    "other_sedating_medications",
)  # the PMF's concomitant-medication questions, clinical.md §2.4, §3.7
PREGNANCY_STATUSES = {
    "not_pregnant_reported": "Patient reports not pregnant",
    "negative_test": "Negative pregnancy test today",
    "pregnant": "Pregnant or possibly pregnant",
}
AUTO_ITEMS = (Item.PREDOSE_VITALS, Item.REMS)


@dataclass(frozen=True)
class ChecklistLine:
    item: str
    label: str
    required: bool
    done: bool
    detail: str
    entry: ChecklistItem | None
    auto: bool  # decided by the record (vitals, REMS), not typed


# --- opening a visit -------------------------------------------------------------------------------------------
@transaction.atomic
def check_in(patient, *, route: str, acting_user, appointment=None, chair: str = "", at: dt.datetime | None = None) -> Visit:
    if route not in Route.values:
        raise ValidationError({"route": f"{route!r} is not one of {', '.join(Route.values)}."})
    if appointment is not None:
        _check_appointment(appointment, patient, route)
    protocol = current_protocol(patient.clinic)
    planned = integrations.planned_order(appointment)
    visit = Visit(
        clinic=patient.clinic, patient=patient, route=route, protocol=protocol, checked_in_by=acting_user,
        chair=chair or _chair_name(appointment), observation_min_required=_observation_min(protocol, route, planned),
        checked_in_at=at or timezone.now(),
    )
    if hasattr(Visit, "appointment"):
        visit.appointment = appointment
    _copy_current_weight(visit, patient, protocol, visit.checked_in_at)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        raise ValidationError({"patient": "This patient already has an open visit; finish or cancel it first."}) from None
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="visit", object_id=visit.pk,
           summary=f"Checked in for {visit.get_route_display()}", changes={"route": [None, route]})
    if planned is not None:
        _order_from_plan(visit, planned, acting_user)
    if appointment is not None:
        integrations.set_appointment_status(appointment, "checked_in", acting_user=acting_user)
    return visit


def _check_appointment(appointment, patient, route: str) -> None:
    if appointment.patient_id != patient.pk:
        raise ValidationError({"appointment_id": "That appointment is another patient's."})
    if appointment.route != route:
        raise ValidationError({"route": f"The appointment is for {appointment.get_route_display()}."})
    if appointment.status != "booked":
        raise ValidationError({"appointment_id": f"The appointment is {appointment.get_status_display().lower()}, not booked."})


def _chair_name(appointment) -> str:
    return str(appointment.chair) if appointment is not None and getattr(appointment, "chair_id", None) else ""


def _observation_min(protocol, route: str, planned) -> int:
    # The plan may observe longer than the clinic's protocol, never shorter.
    base = protocol.observation_min(route)
    return max(base, planned.observation_min or 0) if planned is not None else base


def _copy_current_weight(visit: Visit, patient, protocol, at: dt.datetime) -> None:
    today = timezone.localtime(at, patient.clinic.tz).date()
    if patient.weight_kg and session_day.weight_is_current(
        patient.measured_on, today, max_age_days=protocol.weight_max_age_days
    ):
        visit.weight_kg, visit.weight_measured_on = patient.weight_kg, patient.measured_on


def _order_from_plan(visit: Visit, planned, acting_user) -> None:
    order = DoseOrder.objects.create(
        visit=visit, source=DoseOrder.Source.PLAN, plan_reference=planned.reference,
        dose_mg_per_kg=planned.dose_mg_per_kg if visit.route == Route.IV_KETAMINE else None,
        weight_basis=planned.weight_basis if visit.route == Route.IV_KETAMINE else "",
        weight_cap_kg=planned.weight_cap_kg, infusion_duration_min=planned.infusion_duration_min,
        esketamine_dose_mg=planned.esketamine_dose_mg if visit.is_esketamine else None, ordered_by=None,
    )
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="dose_order", object_id=order.pk,
           summary=f"Order copied from {planned.reference}")


@transaction.atomic
def cancel_visit(visit: Visit, *, reason: str, acting_user) -> Visit:
    visit = lock(visit)
    if visit.status != Visit.Status.CHECKED_IN:
        raise ValidationError({"__all__": "Only a visit that has not started dosing can be cancelled."})
    visit.cancelled_at, visit.cancel_reason = timezone.now(), require_text(reason, "reason", "why the visit is cancelled")
    visit.save(update_fields=["cancelled_at", "cancel_reason"])
    set_status(visit, Visit.Status.CANCELLED, acting_user=acting_user, summary=f"Visit cancelled: {visit.cancel_reason}")
    return visit


# --- the physician's order ----------------------------------------------------------------------------------
@transaction.atomic
def enter_order(visit: Visit, *, data: dict, acting_user) -> DoseOrder:
    """A physician enters (or replaces, before any dose) today's order on the visit."""
    visit = lock(visit)
    require_open(visit, "change the order")
    if not can(acting_user, Perm.CLINICAL_SIGN, visit.clinic_id):
        raise ValidationError({"__all__": "Only a physician may enter the order."})
    if visit.doses.exclude(status="voided").exists():
        raise ValidationError({"__all__": "A dose is already prepared; void it before changing the order."})
    fields = _iv_order(visit, data) if visit.route == Route.IV_KETAMINE else _esketamine_order(data)
    before = DoseOrder.objects.filter(visit=visit).first()
    DoseOrder.objects.filter(visit=visit).delete()
    order = DoseOrder.objects.create(visit=visit, source=DoseOrder.Source.PHYSICIAN, ordered_by=acting_user, **fields)
    record(audit.Action.UPDATE if before else audit.Action.CREATE, visit, actor=acting_user, object_type="dose_order",
           object_id=order.pk, summary="Physician entered today's order",
           changes={k: [None, str(v)] for k, v in fields.items() if v not in (None, "")})
    return order


def _iv_order(visit: Visit, data: dict) -> dict:
    per_kg = _decimal(data.get("dose_mg_per_kg"), "dose_mg_per_kg")
    minutes = data.get("infusion_duration_min")
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 240:
        raise ValidationError({"infusion_duration_min": "Enter the infusion time in whole minutes (1–240)."})
    basis = data.get("weight_basis") or dose_rules.WeightBasis.ACTUAL
    if basis not in dose_rules.WeightBasis.__members__.values():
        raise ValidationError({"weight_basis": f"{basis!r} is not one of actual, ideal, adjusted, capped."})
    cap = _decimal(data.get("weight_cap_kg"), "weight_cap_kg") if basis == "capped" else None
    override, reason = bool(data.get("physician_override")), (data.get("override_reason") or "").strip()
    limit = visit.protocol.max_dose_mg_per_kg_without_override
    if per_kg > limit and not (override and reason):
        raise ValidationError({"override_reason": (
            f"{per_kg} mg/kg is above the clinic's {limit} mg/kg limit: tick the override and give the reason.")})
    return dict(dose_mg_per_kg=per_kg, weight_basis=basis, weight_cap_kg=cap, infusion_duration_min=minutes,
                physician_override=per_kg > limit, override_reason=reason if per_kg > limit else "")


def _esketamine_order(data: dict) -> dict:
    dose = data.get("esketamine_dose_mg")
    try:
        dose_rules.esketamine_devices(dose)
    except dose_rules.DoseError as error:
        raise ValidationError({"esketamine_dose_mg": str(error).split(": ", 1)[-1]}) from None
    return dict(esketamine_dose_mg=dose, weight_basis="")


def _decimal(value, field: str) -> Decimal:
    try:
        number = dose_rules.to_decimal(value if not isinstance(value, float) else str(value), field)
    except dose_rules.DoseError:
        raise ValidationError({field: "Enter a number."}) from None
    except InvalidOperation:
        raise ValidationError({field: "Enter a number."}) from None
    if number <= 0:
        raise ValidationError({field: "Must be more than 0."})
    return number


# --- checklist -------------------------------------------------------------------------------------------------
@transaction.atomic
def record_check(visit: Visit, item: str, *, data: dict, acting_user, now: dt.datetime | None = None) -> ChecklistItem:
    """Record (or re-record) one checklist item. Raises ValidationError naming the field."""
    visit = lock(visit)
    require_open(visit, "change the checklist")
    if visit.status != Visit.Status.CHECKED_IN:
        raise ValidationError({"__all__": "The checklist is closed once dosing has started."})
    if item not in Item.values or item in AUTO_ITEMS:
        raise ValidationError({"item": f"{item!r} is not a checklist item that can be recorded by hand."})
    status, value, note = _RECORDERS[item](visit, data, acting_user)
    entry, created = ChecklistItem.objects.update_or_create(
        visit=visit, item=item,
        defaults=dict(status=status, value=value, note=note, recorded_by=acting_user, recorded_at=now or timezone.now()),
    )
    record(audit.Action.CREATE if created else audit.Action.UPDATE, visit, actor=acting_user,
           object_type="checklist_item", object_id=entry.pk, summary=f"Checklist: {Item(item).label}",
           changes={"status": [None, status], "value": [None, value]})
    return entry


def _confirmed(field: str, what: str):
    def recorder(visit, data, user):
        if data.get("confirmed") is not True:
            raise ValidationError({"confirmed": f"Tick to confirm {what}."})
        return ChecklistItem.Status.DONE, {"confirmed": True}, (data.get("note") or "").strip()[:200]

    return recorder


def _record_consent_plan(visit: Visit, data: dict, user):
    if not DoseOrder.objects.filter(visit=visit).exists():
        raise ValidationError({"__all__": "There is no order for today yet: the plan is not current. A physician enters it on this page."})
    routes = integrations.approved_routes(visit.patient)
    note = (data.get("note") or "").strip()[:200]
    if routes is None:
        if data.get("confirmed") is not True or not note:
            raise ValidationError({"note": "The intake records cannot be read: confirm and say where consent is filed."})
        return ChecklistItem.Status.DONE, {"confirmed": True, "source": "attested"}, note
    if visit.route not in routes:
        raise ValidationError({"__all__": (
            f"No current signed consent and candidacy decision for {visit.get_route_display()}. "
            "Intake must record them before dosing.")})
    return ChecklistItem.Status.DONE, {"confirmed": True, "source": "intake", "routes": sorted(routes)}, note


def _record_ride(visit: Visit, data: dict, user):
    name = require_text(data.get("ride_name"), "ride_name", "who is driving the patient home")
    phone = require_text(data.get("ride_phone"), "ride_phone", "the ride's phone number")
    try:
        phone_validator(phone)
    except ValidationError as error:
        raise ValidationError({"ride_phone": error.messages}) from None
    visit.ride_name, visit.ride_phone = name[:120], phone[:30]
    visit.save(update_fields=["ride_name", "ride_phone"])
    return ChecklistItem.Status.DONE, {"ride_name": visit.ride_name, "ride_phone": visit.ride_phone}, ""


def _record_pregnancy(visit: Visit, data: dict, user):
    status = data.get("pregnancy_status") or ""
    note = (data.get("note") or "").strip()[:200]
    if status == "not_applicable":
        if not note:
            raise ValidationError({"note": "Say why pregnancy status does not apply."})
        return ChecklistItem.Status.NOT_APPLICABLE, {"pregnancy_status": status}, note
    if status not in PREGNANCY_STATUSES:
        raise ValidationError({"pregnancy_status": "Choose the patient's pregnancy status."})
    if status == "pregnant" and not visit.holds.filter(kind=Hold.Kind.PREGNANCY, cleared_at__isnull=True).exists():
        # Pregnancy is a relative contraindication (§1.4) and SPRAVATO warns of fetal harm (§2.3): a physician decides.
        hold = Hold.objects.create(visit=visit, kind=Hold.Kind.PREGNANCY, message="Pregnant or possibly pregnant: physician to decide")
        record(audit.Action.CREATE, visit, actor=user, object_type="hold", object_id=hold.pk, summary=hold.message)
    return ChecklistItem.Status.DONE, {"pregnancy_status": status}, note


def _record_medications(visit: Visit, data: dict, user):
    missing = [key for key in MEDICATION_KEYS if not isinstance(data.get(key), bool)]
    if missing:
        raise ValidationError({key: "Answer yes or no." for key in missing})
    value = {key: data[key] for key in MEDICATION_KEYS}
    details = (data.get("details") or "").strip()[:200]
    if any(value.values()) and not details:
        raise ValidationError({"details": "Name the medications and when they were last taken."})
    return ChecklistItem.Status.DONE, {**value, "details": details}, ""


def _record_scale(visit: Visit, data: dict, user):
    day = timezone.localdate(timezone=visit.clinic.tz)
    found = integrations.scales_answered_on(visit.patient, day) or []
    note = (data.get("note") or "").strip()[:200]
    if not found and not note:
        raise ValidationError({"note": "No scale answered today is on file: say which scale was done and where."})
    return ChecklistItem.Status.DONE, {"instruments": found}, note


def _record_weight(visit: Visit, data: dict, user):
    weight = _decimal(data.get("weight_kg"), "weight_kg")
    if not WEIGHT_MIN_KG <= weight <= WEIGHT_MAX_KG:
        raise ValidationError({"weight_kg": f"Enter a weight from {WEIGHT_MIN_KG} to {WEIGHT_MAX_KG} kg."})
    if visit.doses.exclude(status="voided").exists():
        raise ValidationError({"weight_kg": "A dose was already calculated on the old weight; void it first."})
    visit.weight_kg = weight.quantize(Decimal("0.1"))
    visit.weight_measured_on = timezone.localdate(timezone=visit.clinic.tz)
    visit.save(update_fields=["weight_kg", "weight_measured_on"])
    _update_chart_weight(visit, user)
    return ChecklistItem.Status.DONE, {"weight_kg": str(visit.weight_kg)}, ""


def _update_chart_weight(visit: Visit, user) -> None:
    from ketaclinic.patients.services import update_patient

    update_patient(visit.patient, data={"weight_kg": visit.weight_kg, "measured_on": visit.weight_measured_on}, acting_user=user)


_RECORDERS = {
    Item.IDENTITY: _confirmed("identity", "you checked two identifiers (name and date of birth)"),
    Item.CONSENT_PLAN: _record_consent_plan,
    Item.FASTING: _confirmed("fasting", "the patient fasted as instructed"),
    Item.RIDE: _record_ride,
    Item.PREGNANCY: _record_pregnancy,
    Item.MEDICATIONS: _record_medications,
    Item.PRE_SESSION_SCALE: _record_scale,
    Item.WEIGHT: _record_weight,
}


def checklist(visit: Visit, *, now: dt.datetime | None = None) -> list[ChecklistLine]:
    """Every item with whether it is required for this patient and route and whether it is done."""
    entries = {entry.item: entry for entry in visit.checklist.select_related("recorded_by")}
    lines = [_typed_line(visit, item, entries.get(item), now) for item in Item.values if item not in AUTO_ITEMS]
    lines.append(_vitals_line(visit))
    if visit.is_esketamine:
        lines.append(_rems_line(visit))
    return lines


def _typed_line(visit: Visit, item: str, entry, now) -> ChecklistLine:
    required = _is_required(visit, item)
    done, detail = entry is not None, _detail(entry)
    if item == Item.WEIGHT and entry is None and visit.weight_kg is not None:
        done, detail = True, f"{visit.weight_kg} kg, measured {visit.weight_measured_on:%m/%d/%Y} (within the protocol's {visit.protocol.weight_max_age_days} days)"
    elif item == Item.WEIGHT and entry is None and required:
        detail = f"Weigh the patient: no weight within the protocol's {visit.protocol.weight_max_age_days} days."
    return ChecklistLine(item, Item(item).label, required, done, detail, entry, False)


def _is_required(visit: Visit, item: str) -> bool:
    if item == Item.PREGNANCY:
        return session_day.pregnancy_status_relevant(visit.patient.sex_at_birth)
    if item == Item.WEIGHT:
        return visit.route == Route.IV_KETAMINE  # esketamine is a fixed dose (§3.1)
    return True


def _detail(entry) -> str:
    if entry is None:
        return ""
    value = entry.value
    if entry.item == Item.RIDE:
        return f"{value.get('ride_name')}, {value.get('ride_phone')}"
    if entry.item == Item.PREGNANCY:
        return PREGNANCY_STATUSES.get(value.get("pregnancy_status"), "Not applicable") + (f" — {entry.note}" if entry.note else "")
    if entry.item == Item.MEDICATIONS:
        taken = [key.replace("_", " ") for key in MEDICATION_KEYS if value.get(key)]
        return ("Takes " + ", ".join(taken) + f" ({value.get('details')})") if taken else "None of the listed classes"
    if entry.item == Item.PRE_SESSION_SCALE:
        return ", ".join(value.get("instruments") or []) or entry.note
    if entry.item == Item.WEIGHT:
        return f"{value.get('weight_kg')} kg, measured today"
    return entry.note


def _vitals_line(visit: Visit) -> ChecklistLine:
    reading = latest_predose_reading(visit)
    open_hold = any(h.kind == Hold.Kind.VITALS and h.is_open for h in visit.holds.all())
    done = reading is not None and not open_hold
    if reading is None:
        detail = "Take blood pressure, heart rate and SpO2 before dosing."
    else:
        detail = f"BP {reading.blood_pressure}, HR {reading.heart_rate_bpm}, SpO2 {reading.spo2_pct} %" + (
            " — on hold: recheck" if open_hold else "")
    return ChecklistLine(Item.PREDOSE_VITALS, Item.PREDOSE_VITALS.label, True, done, detail, None, True)


def latest_predose_reading(visit: Visit) -> VitalReading | None:
    """The latest complete pre-dose reading (BP, heart rate and SpO2): the baseline for discharge too."""
    return (
        visit.readings.filter(phase="pre-dose", systolic_mmhg__isnull=False, diastolic_mmhg__isnull=False,
                              heart_rate_bpm__isnull=False, spo2_pct__isnull=False)
        .order_by("-measured_at", "-id").first()
    )


def _rems_line(visit: Visit) -> ChecklistLine:
    enrolled = RemsEnrollment.objects.filter(patient_id=visit.patient_id, ended_on__isnull=True).first()
    problems = []
    if not visit.clinic.rems_certified:
        problems.append("the clinic's REMS certification is not on file")
    if enrolled is None:
        problems.append("the patient is not enrolled in the SPRAVATO REMS")
    detail = ("Clinic certified " + visit.clinic.rems_certification_number + f"; patient enrolled {enrolled.enrolled_on:%m/%d/%Y}"
              if not problems else "Cannot start: " + " and ".join(problems) + ".")
    return ChecklistLine(Item.REMS, Item.REMS.label, True, not problems, detail, None, True)


def dosing_blockers(visit: Visit) -> list[str]:
    """Why dosing may not start yet; empty when it may."""
    blockers = [f"Checklist: {line.label.lower()}" for line in checklist(visit) if line.required and not line.done]
    blockers += [f"On hold: {hold.message}" for hold in visit.holds.all() if hold.is_open]
    if not DoseOrder.objects.filter(visit=visit).exists():
        blockers.append("No order for today")
    return blockers


# --- holds -----------------------------------------------------------------------------------------------------
def update_holds_for(visit: Visit, reading: VitalReading, alerts, *, acting_user) -> None:
    """Open a hold for a failing pre-dose reading, or clear open ones when a later recheck passes (§1.6)."""
    if reading.phase != "pre-dose" or visit.dosing_started_at is not None:
        return
    newer = visit.readings.filter(phase="pre-dose", measured_at__gt=reading.measured_at).exists()
    if newer:
        return  # a late-arriving older reading neither opens nor clears a hold: the newer one decides
    failing = [a for a in alerts if a.level in (Level.HOLD, Level.ACTION)]
    open_holds = list(visit.holds.filter(kind=Hold.Kind.VITALS, cleared_at__isnull=True))
    if failing and not open_holds:
        hold = Hold.objects.create(visit=visit, kind=Hold.Kind.VITALS, reading=reading, opened_at=reading.measured_at,
                                   message="; ".join(a.message for a in failing)[:300])
        record(audit.Action.CREATE, visit, actor=acting_user, object_type="hold", object_id=hold.pk, summary="Dose on hold")
    elif not failing and _is_complete(reading):
        for hold in open_holds:
            _clear(hold, visit, clearance=Hold.Clearance.RECHECK, by=acting_user, at=reading.measured_at, reading=reading)


def _is_complete(reading: VitalReading) -> bool:
    return None not in (reading.systolic_mmhg, reading.diastolic_mmhg, reading.heart_rate_bpm, reading.spo2_pct)


@transaction.atomic
def override_hold(hold: Hold, *, reason: str, acting_user) -> Hold:
    """A physician lets dosing start despite the hold, with a reason."""
    visit = lock(hold.visit)
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if not hold.is_open:
        raise ValidationError({"__all__": "This hold is already cleared."})
    if not can(acting_user, Perm.CLINICAL_SIGN, visit.clinic_id):
        raise ValidationError({"__all__": "Only a physician may override a hold."})
    reason = require_text(reason, "reason", "why dosing may go ahead")
    _clear(hold, visit, clearance=Hold.Clearance.OVERRIDE, by=acting_user, at=timezone.now(), reason=reason)
    return hold


def _clear(hold: Hold, visit: Visit, *, clearance, by, at, reading=None, reason: str = "") -> None:
    hold.cleared_at, hold.cleared_by, hold.clearance = at, by, clearance
    hold.clearing_reading, hold.override_reason = reading, reason[:300]
    hold.save(update_fields=["cleared_at", "cleared_by", "clearance", "clearing_reading", "override_reason"])
    record(audit.Action.UPDATE, visit, actor=by, object_type="hold", object_id=hold.pk,
           summary=f"Hold cleared: {Hold.Clearance(clearance).label.lower()}",
           changes={"clearance": [None, clearance], **({"override_reason": [None, reason]} if reason else {})})
