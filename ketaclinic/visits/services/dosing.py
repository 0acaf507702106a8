"""Giving the dose. IV: calculate → second nurse confirms → start → (pause, resume, rate change) → end or stop.
Esketamine: prepare with the lot number → one device at a time, 5 minutes apart (§3.3) → observation.

Every number comes from ``ketaclinic.clinical.dosing``; nothing is re-computed here.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.access import roles_by_clinic
from ketaclinic.accounts.roles import Role
from ketaclinic.clinical import dosing as rules
from ketaclinic.clinical import session_day
from ketaclinic.visits import integrations
from ketaclinic.visits.models import ClinicalEvent, DoseAdministration, DoseOrder, EsketamineDevice, Route, Visit
from ketaclinic.visits.services.checkin import dosing_blockers
from ketaclinic.visits.services.common import field_error, lock, record, require_text, set_status

log = logging.getLogger(__name__)
S = DoseAdministration.Status
# Who may be the second check: licensed clinical staff who handle the drug (not a therapist or the front desk).
SECOND_CHECK_ROLES = frozenset({Role.NURSE_RN, Role.NURSE_CRNA, Role.PHYSICIAN})
# A time typed for something that already happened may be this far in the past; not a clinical number.
BACKDATE_LIMIT = dt.timedelta(hours=4)
CLOCK_SKEW = dt.timedelta(minutes=2)


def moment(at: dt.datetime | None, visit: Visit, field: str = "at") -> dt.datetime:
    """``at`` (or now), refused if in the future or before the visit began."""
    now = timezone.now()
    if at is None:
        return now
    if timezone.is_naive(at):
        raise ValidationError({field: "Give the time with its time zone."})
    if at > now + CLOCK_SKEW:
        raise ValidationError({field: "cannot be in the future."})
    if at < visit.checked_in_at - BACKDATE_LIMIT:
        raise ValidationError({field: "is long before this visit began."})
    return at


def _dose(dose: DoseAdministration) -> DoseAdministration:
    return DoseAdministration.objects.select_for_update().get(pk=dose.pk)


def _order(visit: Visit) -> DoseOrder:
    order = DoseOrder.objects.filter(visit=visit).first()
    if order is None:
        raise ValidationError({"__all__": "There is no order for today; a physician enters it first."})
    return order


def _require_no_active_dose(visit: Visit) -> None:
    if visit.doses.exclude(status=S.VOIDED).exists():
        raise ValidationError({"__all__": "A dose is already prepared for this visit; void it to prepare another."})


# --- IV -------------------------------------------------------------------------------------------------------
@transaction.atomic
def prepare_iv_dose(visit: Visit, *, concentration_mg_per_ml, diluent_ml, lot_number: str, acting_user) -> DoseAdministration:
    visit = lock(visit)
    if visit.route != Route.IV_KETAMINE or visit.status != Visit.Status.CHECKED_IN:
        raise ValidationError({"__all__": "An IV dose is prepared after check-in of an IV visit, before dosing."})
    _require_no_active_dose(visit)
    order = _order(visit)
    if visit.weight_kg is None:
        raise ValidationError({"weight_kg": "Record today's weight on the checklist first."})
    lot = require_text(lot_number, "lot_number", "the vial's lot number")
    try:
        weight = rules.weight_for_dosing(visit.weight_kg, visit.patient.height_cm, visit.patient.sex_at_birth,
                                         basis=order.weight_basis or "actual", cap_kg=order.weight_cap_kg)
        result = rules.iv_infusion(
            weight_kg=weight, dose_mg_per_kg=order.dose_mg_per_kg, duration_min=order.infusion_duration_min,
            concentration_mg_per_ml=concentration_mg_per_ml, diluent_ml=diluent_ml if diluent_ml is not None else 0,
            physician_override=order.physician_override, limits=visit.protocol.dose_limits(),
        )
    except rules.DoseError as error:
        raise field_error(error) from None
    dose = DoseAdministration.objects.create(
        visit=visit, drug=DoseAdministration.Drug.KETAMINE, status=S.AWAITING_CHECK, dose_mg=result.dose_mg,
        volume_ml=result.drug_volume_ml, concentration_mg_per_ml=result.concentration_mg_per_ml, lot_number=lot[:40],
        calculated_by=acting_user, weight_kg=result.weight_kg, weight_basis=order.weight_basis or "actual",
        dose_mg_per_kg=result.dose_mg_per_kg, duration_min=int(result.duration_min), diluent_ml=result.diluent_ml,
        total_volume_ml=result.total_volume_ml, rate_ml_per_h=result.rate_ml_per_h,
        rate_mg_per_kg_per_h=result.rate_mg_per_kg_per_h, physician_override=order.physician_override,
    )
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="dose", object_id=dose.pk,
           summary=f"Calculated {dose.dose_mg} mg in {dose.total_volume_ml} mL at {dose.rate_ml_per_h} mL/h",
           changes={"dose_mg": [None, str(dose.dose_mg)], "rate_ml_per_h": [None, str(dose.rate_ml_per_h)]})
    return dose


@transaction.atomic
def confirm_second_check(dose: DoseAdministration, *, checker, dose_mg, rate_ml_per_h) -> DoseAdministration:
    """A second nurse recalculates independently and enters their dose and pump rate; both must match."""
    visit = lock(dose.visit)
    dose = _dose(dose)
    if dose.status != S.AWAITING_CHECK:
        raise ValidationError({"__all__": "This dose is not waiting for a second check."})
    if checker.pk == dose.calculated_by_id:
        raise ValidationError({"checker": "The second check must be done by someone other than the nurse who calculated it."})
    if not roles_by_clinic(checker).get(visit.clinic_id, frozenset()) & SECOND_CHECK_ROLES:
        raise ValidationError({"checker": "The second check must be done by a nurse or physician of this clinic."})
    _require_match(dose_mg, dose.dose_mg, "dose_mg", "mg")
    _require_match(rate_ml_per_h, dose.rate_ml_per_h, "rate_ml_per_h", "mL/h")
    dose.status, dose.second_check_by, dose.second_check_at = S.READY, checker, timezone.now()
    dose.save(update_fields=["status", "second_check_by", "second_check_at"])
    record(audit.Action.UPDATE, visit, actor=checker, object_type="dose", object_id=dose.pk,
           summary="Second nurse confirmed the calculation", changes={"second_check_by": [None, checker.pk]})
    return dose


def _require_match(entered, expected: Decimal, field: str, unit: str) -> None:
    try:
        value = rules.to_decimal(entered if not isinstance(entered, float) else str(entered), field)
    except rules.DoseError:
        raise ValidationError({field: "Enter your own result as a number."}) from None
    if value != expected:
        raise ValidationError({field: f"Your {value} {unit} does not match the calculation; work it out together before starting."})


@transaction.atomic
def start_infusion(dose: DoseAdministration, *, acting_user, at: dt.datetime | None = None) -> DoseAdministration:
    visit = lock(dose.visit)
    dose = _dose(dose)
    if dose.status == S.AWAITING_CHECK:
        raise ValidationError({"__all__": "A second nurse must confirm the calculation before the infusion starts."})
    if dose.status != S.READY or not dose.is_iv:
        raise ValidationError({"__all__": "This dose is not ready to start."})
    _require_can_start(visit)
    at = moment(at, visit)
    dose.status, dose.started_at, dose.administered_by = S.RUNNING, at, acting_user
    dose.save(update_fields=["status", "started_at", "administered_by"])
    visit.dosing_started_at = at
    visit.save(update_fields=["dosing_started_at"])
    record(audit.Action.UPDATE, visit, actor=acting_user, object_type="dose", object_id=dose.pk,
           summary=f"Infusion started at {dose.rate_ml_per_h} mL/h", changes={"started_at": [None, at.isoformat()]})
    set_status(visit, Visit.Status.DOSING, acting_user=acting_user)
    _dosing_changed(visit)
    return dose


def _require_can_start(visit: Visit) -> None:
    blockers = dosing_blockers(visit)
    if blockers:
        raise ValidationError({"__all__": "Cannot start dosing: " + "; ".join(blockers) + "."})


@transaction.atomic
def change_infusion(dose: DoseAdministration, kind: str, *, acting_user, at=None, note: str = "",
                    new_rate_ml_per_h=None) -> ClinicalEvent:
    """Pause, resume, change the rate of, or stop a running infusion; each is an event on the time line."""
    visit = lock(dose.visit)
    dose = _dose(dose)
    at = moment(at, visit)
    allowed = {ClinicalEvent.Kind.PAUSE: (S.RUNNING,), ClinicalEvent.Kind.RESUME: (S.PAUSED,),
               ClinicalEvent.Kind.RATE_CHANGE: (S.RUNNING,), ClinicalEvent.Kind.STOP: (S.RUNNING, S.PAUSED)}
    if kind not in allowed:
        raise ValidationError({"kind": f"{kind!r} is not a change to an infusion."})
    if not dose.is_iv or dose.status not in allowed[kind]:
        raise ValidationError({"kind": f"The infusion is {dose.get_status_display().lower()}; cannot {ClinicalEvent.Kind(kind).label.lower()}."})
    rate = _new_rate(new_rate_ml_per_h) if kind == ClinicalEvent.Kind.RATE_CHANGE else None
    if kind == ClinicalEvent.Kind.STOP:
        note = require_text(note, "note", "why the infusion was stopped")
    event = ClinicalEvent.objects.create(visit=visit, occurred_at=at, kind=kind, dose=dose, note=note[:300],
                                         new_rate_ml_per_h=rate, recorded_by=acting_user)
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="event", object_id=event.pk,
           summary=event.get_kind_display() + (f" to {rate} mL/h" if rate else ""))
    if kind == ClinicalEvent.Kind.STOP:
        _end_infusion(visit, dose, at, S.STOPPED, acting_user)
    elif kind in (ClinicalEvent.Kind.PAUSE, ClinicalEvent.Kind.RESUME):
        dose.status = S.PAUSED if kind == ClinicalEvent.Kind.PAUSE else S.RUNNING
        dose.save(update_fields=["status"])
    return event


def _new_rate(value) -> Decimal:
    try:
        rate = rules.to_decimal(value if not isinstance(value, float) else str(value), "new_rate_ml_per_h")
    except rules.DoseError:
        raise ValidationError({"new_rate_ml_per_h": "Enter the new pump rate in mL/h."}) from None
    if rate <= 0:
        raise ValidationError({"new_rate_ml_per_h": "Enter the new pump rate in mL/h (more than 0); to stop, stop the infusion."})
    return rate


@transaction.atomic
def complete_infusion(dose: DoseAdministration, *, acting_user, at=None) -> DoseAdministration:
    visit = lock(dose.visit)
    dose = _dose(dose)
    if not dose.is_iv or dose.status not in (S.RUNNING, S.PAUSED):
        raise ValidationError({"__all__": "Only a running infusion can be ended."})
    at = moment(at, visit)
    if at < dose.started_at:
        raise ValidationError({"at": "cannot be before the infusion started."})
    _end_infusion(visit, dose, at, S.COMPLETED, acting_user)
    return dose


def _end_infusion(visit: Visit, dose: DoseAdministration, at, status, acting_user) -> None:
    dose.status, dose.ended_at = status, at
    dose.save(update_fields=["status", "ended_at"])
    visit.dosing_ended_at = visit.observation_started_at = at
    visit.save(update_fields=["dosing_ended_at", "observation_started_at"])
    record(audit.Action.UPDATE, visit, actor=acting_user, object_type="dose", object_id=dose.pk,
           summary=f"Infusion {'completed' if status == S.COMPLETED else 'stopped'}", changes={"ended_at": [None, at.isoformat()]})
    set_status(visit, Visit.Status.OBSERVATION, acting_user=acting_user)


# --- esketamine ------------------------------------------------------------------------------------------------
@transaction.atomic
def prepare_esketamine_dose(visit: Visit, *, lot_number: str, acting_user) -> DoseAdministration:
    visit = lock(visit)
    if visit.route != Route.ESKETAMINE or visit.status != Visit.Status.CHECKED_IN:
        raise ValidationError({"__all__": "An esketamine dose is prepared after check-in of an esketamine visit."})
    _require_no_active_dose(visit)
    order = _order(visit)
    lot = require_text(lot_number, "lot_number", "the kit's lot number")
    try:
        devices = rules.esketamine_devices(order.esketamine_dose_mg)
    except rules.DoseError as error:
        raise field_error(error) from None
    dose = DoseAdministration.objects.create(
        visit=visit, drug=DoseAdministration.Drug.ESKETAMINE, status=S.READY, dose_mg=Decimal(order.esketamine_dose_mg),
        lot_number=lot[:40], devices=devices, calculated_by=acting_user,
    )
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="dose", object_id=dose.pk,
           summary=f"Prepared {order.esketamine_dose_mg} mg esketamine ({devices} devices), lot {dose.lot_number}")
    return dose


@transaction.atomic
def record_device(dose: DoseAdministration, *, acting_user, at=None) -> EsketamineDevice:
    """One device given under observation. The first starts dosing and the 2-hour clock; the last ends dosing."""
    visit = lock(dose.visit)
    dose = _dose(dose)
    if dose.drug != DoseAdministration.Drug.ESKETAMINE or dose.status not in (S.READY, S.RUNNING):
        raise ValidationError({"__all__": "No esketamine device is due for this dose."})
    at = moment(at, visit)
    given = list(dose.device_log.order_by("number"))
    if not given:
        _require_can_start(visit)
    else:
        _require_next_device_allowed(visit, given[-1], at)
    device = EsketamineDevice.objects.create(dose=dose, number=len(given) + 1, administered_at=at, observed_by=acting_user)
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="esketamine_device", object_id=device.pk,
           summary=f"Device {device.number} of {dose.devices} given", changes={"administered_at": [None, at.isoformat()]})
    if device.number == 1:
        _start_esketamine(visit, dose, at, acting_user)
    if device.number == dose.devices:
        _finish_esketamine(visit, dose, at, acting_user)
    return device


def _require_next_device_allowed(visit: Visit, last: EsketamineDevice, at) -> None:
    wait = session_day.device_wait_remaining(last.administered_at, at)
    if wait:
        seconds = int(wait.total_seconds())
        raise ValidationError({"at": (
            f"Wait {seconds // 60} min {seconds % 60:02d} s more: the label asks for 5 minutes between devices (§3.3).")})
    if visit.alerts.filter(level="action", acknowledged_at__isnull=True).exists():
        raise ValidationError({"__all__": "An action-level alert is not acknowledged: give no further device until a clinician decides."})


def _start_esketamine(visit: Visit, dose: DoseAdministration, at, acting_user) -> None:
    dose.status, dose.started_at, dose.administered_by = S.RUNNING, at, acting_user
    dose.save(update_fields=["status", "started_at", "administered_by"])
    visit.dosing_started_at = visit.observation_started_at = at  # the 2-hour clock runs from the first device (§3.5)
    visit.save(update_fields=["dosing_started_at", "observation_started_at"])
    set_status(visit, Visit.Status.DOSING, acting_user=acting_user)
    _dosing_changed(visit)


def _finish_esketamine(visit: Visit, dose: DoseAdministration, at, acting_user) -> None:
    dose.status, dose.ended_at = S.COMPLETED, at
    dose.save(update_fields=["status", "ended_at"])
    visit.dosing_ended_at = at
    visit.save(update_fields=["dosing_ended_at"])
    set_status(visit, Visit.Status.OBSERVATION, acting_user=acting_user)


# --- both ------------------------------------------------------------------------------------------------------
@transaction.atomic
def void_dose(dose: DoseAdministration, *, reason: str, acting_user) -> DoseAdministration:
    visit = lock(dose.visit)
    dose = _dose(dose)
    if dose.status not in (S.AWAITING_CHECK, S.READY):
        raise ValidationError({"__all__": "Only a dose that has not been given can be voided."})
    dose.status, dose.void_reason = S.VOIDED, require_text(reason, "reason", "why the dose is voided")[:200]
    dose.save(update_fields=["status", "void_reason"])
    record(audit.Action.UPDATE, visit, actor=acting_user, object_type="dose", object_id=dose.pk,
           summary=f"Dose voided: {dose.void_reason}", changes={"status": [None, S.VOIDED]})
    return dose


def _dosing_changed(visit: Visit) -> None:
    visit_id = visit.pk

    def tell_outcomes():
        try:
            integrations.notify_dosing_changed(Visit.objects.select_related("clinic").get(pk=visit_id))
        except Exception:  # noqa: BLE001 — outcomes catch up on their next rebuild; dosing must not fail for it
            log.exception("outcomes: dosing_changed failed for visit %s", visit_id)

    transaction.on_commit(tell_outcomes)
