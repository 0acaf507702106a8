from ninja import Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.intake import services
from ketaclinic.intake.access import get_consultation_request_for_user
from ketaclinic.intake.api import router
from ketaclinic.intake.api.schemas import ConsultationCloseIn, ConsultationRequestOut, ConsultationContactIn, ConsultationRegisteredOut, ConsultationRegisterIn
from ketaclinic.intake.models import ConsultationRequest


@router.get("/consultation-requests", response={200: list[ConsultationRequestOut], **ERRORS},
            summary="Consultation requests of the clinics whose queue you work")
@paginate(Pagination)
def list_requests(request, status: str | None = None, clinic_id: int | None = None):
    personal_only(request)
    requests = ConsultationRequest.objects.filter(clinic_id__in=access.clinic_ids(request.user, Perm.INTAKE_QUEUE))
    if clinic_id is not None:
        requests = requests.filter(clinic_id=clinic_id)
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("created_at", "id")


@router.get("/consultation-requests/{request_id}", response={200: ConsultationRequestOut, **ERRORS})
def read_request(request, request_id: int):
    personal_only(request)
    consultation = get_consultation_request_for_user(request.user, request_id)
    services.record_request_opened(consultation, acting_user=request.user)
    return consultation


@router.post("/consultation-requests/{request_id}/contact", response={200: ConsultationRequestOut, **WRITE_ERRORS},
             summary="Record a call or message; the request stays open")
def contact_request(request, request_id: int, payload: ConsultationContactIn):
    personal_only(request)
    consultation = get_consultation_request_for_user(request.user, request_id)
    return services.record_contact(consultation, note=payload.note, acting_user=request.user)


@router.post("/consultation-requests/{request_id}/close", response={200: ConsultationRequestOut, **WRITE_ERRORS})
def close_request(request, request_id: int, payload: ConsultationCloseIn):
    personal_only(request)
    consultation = get_consultation_request_for_user(request.user, request_id)
    return services.close_request(consultation, reason=payload.reason, note=payload.note, acting_user=request.user)


@router.post("/consultation-requests/{request_id}/register", response={201: ConsultationRegisteredOut, **WRITE_ERRORS},
             summary="Register the person as a patient and open their intake")
def register_request(request, request_id: int, payload: ConsultationRegisterIn):
    personal_only(request)
    consultation = get_consultation_request_for_user(request.user, request_id, Perm.PATIENT_CREATE)
    data = payload.dict(exclude_none=True)
    patient = services.register_patient(consultation, data=data, acting_user=request.user)
    return Status(201, {"patient_id": patient.pk, "mrn": patient.mrn})
