"""FHIR reads under /api/v1/fhir/: Patient/{id}/$everything and single resources by type and id."""

import re

from django.http import Http404, JsonResponse
from ninja import Router

from ketaclinic.accounts import audit
from ketaclinic.api.auth import personal_only
from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.bundle import everything as everything_bundle
from ketaclinic.api.fhir.build import as_json
from ketaclinic.api.schemas import ERRORS
from ketaclinic.patients import services as patient_services
from ketaclinic.patients.access import get_patient_for_user

router = Router(tags=["fhir"])
FHIR_JSON = "application/fhir+json"
_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _fhir_response(resource) -> JsonResponse:
    response = JsonResponse({}, content_type=FHIR_JSON)
    response.content = as_json(resource)
    return response


@router.get("/Patient/{patient_id}/$everything", response={200: dict, **ERRORS}, summary="Everything about one patient (FHIR Bundle)")
def patient_everything(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_user(request.user, patient_id)
    patient_services.record_chart_opened(patient, acting_user=request.user, via="FHIR $everything")
    base_url = request.build_absolute_uri("/api/v1/fhir").rstrip("/")
    return _fhir_response(everything_bundle(patient, base_url=base_url))


@router.get("/{resource_type}/{resource_id}", response={200: dict, **ERRORS}, summary="Read one FHIR resource")
def read_resource(request, resource_type: str, resource_id: str):
    personal_only(request)
    found = registry.reader_for(resource_type, resource_id) if _ID.match(resource_id) else None
    if found is None:
        raise Http404("No such resource.")
    reader, local_id = found
    if not local_id.isdigit():
        raise Http404("No such resource.")
    resource = reader(request.user, local_id)
    audit.record(audit.Action.VIEW, actor=request.user, object_type=f"fhir:{resource_type}", object_id=resource_id,
                 summary=f"Read FHIR {resource_type}/{resource_id}")
    return _fhir_response(resource)
