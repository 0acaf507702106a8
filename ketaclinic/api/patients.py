from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import MAX_ID, Pagination

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS, PatientIn, PatientOut, PatientPatch
from ketaclinic.patients import search, services
from ketaclinic.patients.access import get_patient_for_user, patients_visible_to

router = Router(tags=["patients"])


class SearchIn(Schema):
    q: str = Field("", max_length=100, examples=["garcia"], description=(
        "The start of a name, a whole date of birth (YYYY-MM-DD or MM/DD/YYYY), an MRN or a phone number."))
    clinic_id: int | None = Field(None, ge=1, le=MAX_ID)


@router.get("", response={200: list[PatientOut], **ERRORS}, summary="Patients you may see")
@paginate(Pagination)
def list_patients(request, clinic_id: int | None = Query(None, ge=1, le=MAX_ID)):
    personal_only(request)
    patients = patients_visible_to(request.user)
    return patients.filter(clinic_id=clinic_id) if clinic_id is not None else patients


@router.post("/search", response={200: list[PatientOut], **ERRORS}, summary="Search patients")
@paginate(Pagination)
def search_patients(request, payload: SearchIn):
    """A POST so that names and birth dates never appear in URLs or server logs."""
    personal_only(request)
    patients = patients_visible_to(request.user)
    if payload.clinic_id is not None:
        patients = patients.filter(clinic_id=payload.clinic_id)
    return search.search(patients, payload.q)


@router.get("/{patient_id}", response={200: PatientOut, **ERRORS})
def read_patient(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_user(request.user, patient_id)
    services.record_chart_opened(patient, acting_user=request.user, via="record through the API")
    return patient


@router.post("", response={201: PatientOut, **WRITE_ERRORS})
def create_patient(request, payload: PatientIn):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, payload.clinic_id, Perm.PATIENT_CREATE)
    data = payload.dict(exclude_unset=True, exclude={"clinic_id"})
    return Status(201, services.create_patient(clinic=clinic, data=data, acting_user=request.user))


@router.patch("/{patient_id}", response={200: PatientOut, **WRITE_ERRORS})
def update_patient(request, patient_id: int, payload: PatientPatch):
    personal_only(request)
    patient = get_patient_for_user(request.user, patient_id, Perm.PATIENT_EDIT)
    return services.update_patient(patient, data=payload.dict(exclude_unset=True), acting_user=request.user)
