"""Helpers every session-day service shares: the audit row, errors named by field, phase changes."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.visits import integrations
from ketaclinic.visits.models import SessionProtocol, Visit

_FIELD_MESSAGE = re.compile(r"^([a-z_0-9]+(?: [a-z_0-9]+)?): (.+)$")


def record(action: str, visit: Visit, *, actor, object_type: str, object_id, summary: str, changes=None) -> None:
    audit.record(
        action, actor=actor, object_type=object_type, object_id=object_id, clinic=visit.clinic_id,
        patient=visit.patient_id, summary=summary, changes=changes or {},
    )


def field_error(error: ValueError, default_field: str = "__all__") -> ValidationError:
    """The pure core says "field: message"; turn that into a ValidationError keyed by the field."""
    match = _FIELD_MESSAGE.match(str(error))
    if match:
        return ValidationError({match.group(1).split(" ")[-1]: match.group(2)})
    return ValidationError({default_field: str(error)})


def lock(visit: Visit) -> Visit:
    """The visit's row, held until the transaction ends, so two tablets cannot both move its phase."""
    # of=("self",): on PostgreSQL lock the visit's row only, not the clinic, patient and protocol joined to it.
    return Visit.objects.select_related("patient", "clinic", "protocol").select_for_update(of=("self",)).get(pk=visit.pk)


# The appointment follows the visit; plans validates each step (ready → discharged only through "ready").
_APPOINTMENT_PATH = {
    Visit.Status.DOSING: ["dosing"],
    Visit.Status.OBSERVATION: ["observation"],
    Visit.Status.READY_FOR_DISCHARGE: ["ready_for_discharge"],
    Visit.Status.DISCHARGED: ["ready_for_discharge", "discharged"],
    Visit.Status.CANCELLED: ["cancelled"],
}


def set_status(visit: Visit, status: str, *, acting_user, at=None, summary: str = "") -> None:
    before = visit.status
    if before == status:
        return
    visit.status = status
    visit.save(update_fields=["status"])
    record(
        audit.Action.UPDATE, visit, actor=acting_user, object_type="visit", object_id=visit.pk,
        summary=summary or f"Visit {Visit.Status(before).label.lower()} → {Visit.Status(status).label.lower()}",
        changes={"status": [before, status]},
    )
    appointment = getattr(visit, "appointment", None) if hasattr(Visit, "appointment") else None
    if appointment is not None:
        for step in _APPOINTMENT_PATH.get(status, []):
            if appointment.status != step:
                integrations.set_appointment_status(appointment, step, acting_user=acting_user)
                appointment.refresh_from_db(fields=["status"])


def current_protocol(clinic) -> SessionProtocol:
    """The clinic's protocol in force now; the shipped defaults are saved as the first row on first use."""
    protocol = SessionProtocol.objects.filter(clinic=clinic, effective_from__lte=timezone.now()).first()
    if protocol is None:
        protocol = SessionProtocol.objects.create(clinic=clinic, effective_from=timezone.now())
    return protocol


def require_open(visit: Visit, doing: str) -> None:
    if not visit.is_open:
        raise ValidationError({"__all__": f"This visit is {visit.get_status_display().lower()}; cannot {doing}."})


def require_text(value: str, field: str, what: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Say {what}."})
    return value
