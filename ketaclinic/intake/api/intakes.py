from django.http import Http404
from ninja import Status

from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.intake import services
from ketaclinic.intake.access import get_intake, get_patient_for_intake
from ketaclinic.intake.api import router
from ketaclinic.intake.api.schemas import (
    IntakeAllergyIn,
    IntakeAllergyOut,
    IntakeOut,
    IntakePatch,
    IntakeMedicationIn,
    IntakeMedicationOut,
    AntidepressantTrialIn,
    AntidepressantTrialOut,
)
from ketaclinic.intake.models import Intake
from ketaclinic.patients.services import record_chart_opened

ITEM_PATHS = {"trials": "trial", "medications": "medication", "allergies": "allergy"}


def _intake(request, patient_id: int, perm: str) -> Intake:
    patient = get_patient_for_intake(request.user, patient_id, perm)
    intake = get_intake(patient)
    if intake is None:
        raise Http404("No intake.")
    return intake


def _fresh(intake: Intake) -> Intake:
    return Intake.objects.prefetch_related("trials", "medications", "allergies").get(pk=intake.pk)


@router.get("/patients/{patient_id}", response={200: IntakeOut, **ERRORS}, summary="A patient's intake")
def read_intake(request, patient_id: int):
    personal_only(request)
    intake = _intake(request, patient_id, Perm.CLINICAL_VIEW)
    record_chart_opened(intake.patient, acting_user=request.user, via="intake through the API")
    return _fresh(intake)


@router.post("/patients/{patient_id}", response={201: IntakeOut, **WRITE_ERRORS}, summary="Start the intake (idempotent)")
def start_intake(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    return Status(201, _fresh(services.start_intake(patient, acting_user=request.user)))


@router.patch("/patients/{patient_id}", response={200: IntakeOut, **WRITE_ERRORS},
              summary="Change the answers (a patient: only their own, before submitting, no vitals)")
def update_intake(request, patient_id: int, payload: IntakePatch):
    personal_only(request)
    intake = _intake(request, patient_id, Perm.CLINICAL_RECORD)
    services.update_intake(intake, data=payload.dict(exclude_unset=True), acting_user=request.user,
                           by_patient=request.user.is_patient)
    return _fresh(intake)


def _add(request, patient_id: int, kind: str, payload):
    personal_only(request)
    intake = _intake(request, patient_id, Perm.CLINICAL_RECORD)
    item = services.add_item(intake, kind, data=payload.dict(), acting_user=request.user,
                             by_patient=request.user.is_patient)
    return Status(201, item)


@router.post("/patients/{patient_id}/trials", response={201: AntidepressantTrialOut, **WRITE_ERRORS})
def add_trial(request, patient_id: int, payload: AntidepressantTrialIn):
    return _add(request, patient_id, "trial", payload)


@router.post("/patients/{patient_id}/medications", response={201: IntakeMedicationOut, **WRITE_ERRORS})
def add_medication(request, patient_id: int, payload: IntakeMedicationIn):
    return _add(request, patient_id, "medication", payload)


@router.post("/patients/{patient_id}/allergies", response={201: IntakeAllergyOut, **WRITE_ERRORS})
def add_allergy(request, patient_id: int, payload: IntakeAllergyIn):
    return _add(request, patient_id, "allergy", payload)


@router.delete("/patients/{patient_id}/{collection}/{item_id}", response={204: None, **WRITE_ERRORS},
               summary="Remove a trial, medication or allergy (collection: trials, medications, allergies)")
def remove_item(request, patient_id: int, collection: str, item_id: int):
    personal_only(request)
    if collection not in ITEM_PATHS:
        raise Http404("No such collection.")
    intake = _intake(request, patient_id, Perm.CLINICAL_RECORD)
    services.remove_item(intake, ITEM_PATHS[collection], item_id, acting_user=request.user,
                         by_patient=request.user.is_patient)
    return Status(204, None)


@router.post("/patients/{patient_id}/submit", response={200: IntakeOut, **WRITE_ERRORS},
             summary="Send the intake for physician review; the rules engine runs")
def submit_intake(request, patient_id: int):
    personal_only(request)
    intake = _intake(request, patient_id, Perm.CLINICAL_RECORD)
    services.submit_intake(intake, acting_user=request.user, by_patient=request.user.is_patient)
    return _fresh(intake)
