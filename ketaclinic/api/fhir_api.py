"""FHIR under /api/v1/fhir/: Patient/{id}/$everything, single resources by type and id, and the import of a
scale result from a QuestionnaireResponse."""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from ninja import Router
from ninja.errors import HttpError

from ketaclinic.accounts import audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.fhir import imports, registry
from ketaclinic.api.fhir.build import as_json
from ketaclinic.api.fhir.bundle import everything as everything_bundle
from ketaclinic.api.fhir.foundation import StaffRefs
from ketaclinic.api.fhir.outcomes import questionnaire_response
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.outcomes.access import get_patient_for_recording
from ketaclinic.patients import services as patient_services
from ketaclinic.patients.access import get_patient_for_user

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json"
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _fhir_response(resource, status: int = 200) -> JsonResponse:
    response = JsonResponse({}, content_type=FHIR_JSON, status=status)
    response.content = as_json(resource)
    return response


@router.get("/Patient/{patient_id}/$everything", response={200: dict, **ERRORS}, summary="Everything about one patient (FHIR Bundle)")
def patient_everything(request, patient_id: int):
    personal_only(request)
    # The Bundle holds the clinical record (scales, vital signs, doses), so it needs clinical.view; a patient has it
    # for their own record.
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW)
    patient_services.record_chart_opened(patient, acting_user=request.user, via="FHIR $everything")
    base_url = request.build_absolute_uri("/api/v1/fhir").rstrip("/")
    return _fhir_response(everything_bundle(patient, base_url=base_url, for_patient=request.user.is_patient))


@router.get("/{resource_type}/{resource_id}", response={200: dict, **ERRORS}, summary="Read one FHIR resource")
def read_resource(request, resource_type: str, resource_id: str):
    personal_only(request)
    found = registry.reader_for(resource_type, resource_id) if _ID.match(resource_id) else None
    if found is None:
        raise Http404("No such resource.")
    reader, local_id = found
    resource = reader(request.user, local_id)
    audit.record(audit.Action.VIEW, actor=request.user, object_type=f"fhir:{resource_type}", object_id=resource_id,
                 summary=f"Read FHIR {resource_type}/{resource_id}")
    return _fhir_response(resource)


_IMPORT_EXAMPLE = {
    "resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "http://loinc.org/q/44249-1",
    "subject": {"reference": "Patient/1"}, "authored": "2026-11-01T09:30:00-08:00",
    "item": [{"linkId": f"/{code}", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6569-3"}}]}
             for code in ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3")]
    + [{"linkId": "/44260-8", "answer": [{"valueInteger": 0}]}],
}


@router.post(
    "/QuestionnaireResponse", response={201: dict, **WRITE_ERRORS}, summary="Import a scale result (FHIR QuestionnaireResponse)",
    description=imports.__doc__,
    openapi_extra={"requestBody": {"required": True, "content": {
        FHIR_JSON: {"schema": {"type": "object"}, "example": _IMPORT_EXAMPLE},
        "application/json": {"schema": {"type": "object"}, "example": _IMPORT_EXAMPLE}}}},
)
def import_questionnaire_response(request):
    personal_only(request)
    try:
        resource = imports.check_resource(request.body)
    except imports.NotJson as error:
        raise HttpError(400, str(error)) from None
    patient, by_patient = get_patient_for_recording(request.user, imports.subject_id(resource))
    if by_patient:
        raise PermissionDenied("Importing is for staff; a patient answers in the portal.")
    response = imports.do_import(patient, imports.check_response(resource), acting_user=request.user)
    created = _fhir_response(questionnaire_response(response, StaffRefs([patient.clinic_id])), status=201)
    created["Location"] = request.build_absolute_uri(f"/api/v1/fhir/QuestionnaireResponse/{response.pk}")
    return created
