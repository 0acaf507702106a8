"""Consultation requests: sent by the public, worked by the front desk, turned into a patient with an intake."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.intake.models import ConsultationNote, ConsultationRequest, ScreenOutcome, SelfScreenTally
from ketaclinic.patients import services as patient_services
from ketaclinic.patients.models import Patient

Status = ConsultationRequest.Status
PUBLIC_FIELDS = (
    "first_name", "last_name", "phone", "email", "contact_method", "best_time", "language", "message",
    "self_screen_outcome", "self_screen_phq9_total",
)
OBJECT_TYPE = "consultation_request"


@transaction.atomic
def submit_consultation_request(*, clinic: Clinic, data: dict[str, Any]) -> ConsultationRequest:
    """A member of the public asks for a consultation. No account: the audit row's actor is "public"."""
    unknown = set(data) - set(PUBLIC_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a field of a consultation request." for name in sorted(unknown)})
    request = ConsultationRequest(clinic=clinic, **{k: ("" if v is None and k != "self_screen_phq9_total" else v)
                                                   for k, v in data.items()})
    request.full_clean()
    request.save()
    audit.record(
        audit.Action.CREATE, actor=None, object_type=OBJECT_TYPE, object_id=request.pk, clinic=clinic,
        summary="Consultation requested through the public site",
    )
    return request


def _locked(request: ConsultationRequest) -> ConsultationRequest:
    return ConsultationRequest.objects.select_for_update().get(pk=request.pk)


def _change_status(request: ConsultationRequest, status: str, *, acting_user: User, note: str, summary: str,
                   **fields) -> ConsultationRequest:
    before = audit.snapshot(request, ("status", "close_reason", "patient"))
    request.status = status
    request.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(request, name, value)
    request.save()
    ConsultationNote.objects.create(request=request, by=acting_user, status=status, text=note)
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type=OBJECT_TYPE, object_id=request.pk,
        clinic=request.clinic_id, patient=request.patient_id, summary=summary,
        changes=audit.changed(before, audit.snapshot(request, ("status", "close_reason", "patient"))),
    )
    return request


def _require_open(request: ConsultationRequest) -> None:
    if not request.is_open:
        raise ValidationError({"status": f"This request is already {request.get_status_display().lower()}."})


@transaction.atomic
def record_contact(request: ConsultationRequest, *, note: str, acting_user: User) -> ConsultationRequest:
    """A call made, a message left: the request stays open, marked contacted, with the note."""
    request = _locked(request)
    _require_open(request)
    if not note.strip():
        raise ValidationError({"note": "Say what happened (called, left a message, emailed…)."})
    return _change_status(request, Status.CONTACTED, acting_user=acting_user, note=note.strip(),
                          summary="Recorded contact with a consultation request")


@transaction.atomic
def close_request(request: ConsultationRequest, *, reason: str, note: str = "", acting_user: User) -> ConsultationRequest:
    request = _locked(request)
    _require_open(request)
    if reason not in ConsultationRequest.CloseReason.values:
        raise ValidationError({"reason": "Choose why the request is closed."})
    return _change_status(request, Status.CLOSED, acting_user=acting_user, note=note.strip(), close_reason=reason,
                          summary="Closed a consultation request")


@transaction.atomic
def register_patient(request: ConsultationRequest, *, data: dict[str, Any], acting_user: User) -> Patient:
    """Register the person as a patient of the request's clinic and open their intake, in one transaction.

    ``data`` holds what the request lacks (date of birth, sex at birth) and may correct the rest.
    """
    request = _locked(request)
    _require_open(request)
    details = {
        "legal_first_name": request.first_name, "legal_last_name": request.last_name, "phone": request.phone,
        "email": request.email, "preferred_language": request.language, **data,
    }
    patient = patient_services.create_patient(clinic=request.clinic, data=details, acting_user=acting_user)
    _change_status(request, Status.REGISTERED, acting_user=acting_user, patient=patient,
                   note=f"Registered as patient {patient.mrn}.", summary="Registered a consultation request as a patient")
    from ketaclinic.intake.services.intakes import start_intake

    start_intake(patient, acting_user=acting_user, consultation_request=request)
    return patient


def count_self_screen(outcome: str, *, language: str, today=None) -> None:
    """Add one to today's anonymous count for ``outcome``; nothing else about the visitor is kept."""
    if outcome not in ScreenOutcome.values:
        raise ValueError(f"outcome: unknown value {outcome!r}")
    day = today or timezone.localdate()
    row, created = SelfScreenTally.objects.get_or_create(day=day, outcome=outcome, language=language[:2],
                                                         defaults={"count": 1})
    if not created:
        SelfScreenTally.objects.filter(pk=row.pk).update(count=F("count") + 1)


def record_request_opened(request: ConsultationRequest, *, acting_user: User) -> None:
    audit.record(
        audit.Action.VIEW, actor=acting_user, object_type=OBJECT_TYPE, object_id=request.pk,
        clinic=request.clinic_id, patient=request.patient_id, summary="Opened a consultation request",
    )
