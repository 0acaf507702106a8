"""The phase of an appointment on the day: booked → checked in → dosing → observation → ready → discharged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.plans.models import Appointment, ChairSlot, NurseSlot

S = Appointment.Status

# Which phase may follow which. A dose goes through dosing and observation; a consultation or
# psychotherapy session is checked in and then finished (discharged). Observation may resume from
# "ready" when a late check is not yet normal.
DOSE_TRANSITIONS = {
    S.BOOKED: {S.CHECKED_IN, S.CANCELLED, S.NO_SHOW},
    S.CHECKED_IN: {S.DOSING, S.CANCELLED},
    S.DOSING: {S.OBSERVATION},
    S.OBSERVATION: {S.READY_FOR_DISCHARGE},
    S.READY_FOR_DISCHARGE: {S.DISCHARGED, S.OBSERVATION},
}
SESSION_TRANSITIONS = {
    S.BOOKED: {S.CHECKED_IN, S.CANCELLED, S.NO_SHOW},
    S.CHECKED_IN: {S.DISCHARGED, S.CANCELLED},
}
# Statuses that give the chair and the nurse's seat back.
RELEASES_SLOTS = frozenset({S.CANCELLED, S.NO_SHOW})


def allowed_next(appointment: Appointment) -> list[str]:
    table = DOSE_TRANSITIONS if appointment.is_dose else SESSION_TRANSITIONS
    return [s for s in S.values if s in table.get(appointment.status, set())]


def check_appointment_status(appointment: Appointment, status: str) -> None:
    if status not in S.values:
        raise ValidationError({"status": f"{status!r} is not a phase; use one of {', '.join(S.values)}."})
    if status not in allowed_next(appointment):
        current = S(appointment.status).label.lower()
        allowed = ", ".join(S(s).label.lower() for s in allowed_next(appointment)) or "nothing (it is finished)"
        raise ValidationError({"status": f"A {current} appointment cannot become {S(status).label.lower()}; next may be: {allowed}."})


@transaction.atomic
def set_appointment_status(appointment: Appointment, status: str, *, acting_user, reason: str = "") -> Appointment:
    """Move an appointment to its next phase (validated against the table above), audited.

    Called by the floor board, the visits area (check-in, start dose, observation, discharge) and the API.
    Holds the appointment row so two nurses pressing at once cannot skip a phase.
    """
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    check_appointment_status(appointment, status)
    before = appointment.status
    appointment.status = status
    appointment.status_changed_at = timezone.now()
    if status in RELEASES_SLOTS:
        appointment.cancel_reason = reason[:200]
        ChairSlot.objects.filter(appointment=appointment).delete()
        NurseSlot.objects.filter(appointment=appointment).delete()
    appointment.save(update_fields=["status", "status_changed_at", "cancel_reason"])
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type="appointment", object_id=appointment.pk,
        clinic=appointment.clinic_id, patient=appointment.patient_id,
        summary=f"Appointment {S(before).label.lower()} → {S(status).label.lower()}",
        changes={"status": [before, status], **({"cancel_reason": ["", reason]} if reason else {})},
    )
    return appointment
