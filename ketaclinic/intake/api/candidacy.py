from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Status

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.clinical import candidacy
from ketaclinic.intake import consent_texts, services
from ketaclinic.intake.access import get_consent_for_user, get_patient_for_intake
from ketaclinic.intake.api import router
from ketaclinic.intake.api.schemas import (
    CandidacyOut,
    InformedConsentIn,
    InformedConsentOut,
    IntakeConsentTextOut,
    CandidacyDecisionIn,
    CandidacyDecisionOut,
    CandidacyProtocolOut,
    ConsentWithdrawIn,
)
from ketaclinic.intake.models import CandidacyDecision, CandidacyEvaluation, InformedConsent, Route
from ketaclinic.patients.services import record_chart_opened


@router.get("/patients/{patient_id}/candidacy", response={200: CandidacyOut, **ERRORS},
            summary="The engine's latest verdict, the signed decisions, and the routes a plan may be made for")
def read_candidacy(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_VIEW)
    record_chart_opened(patient, acting_user=request.user, via="candidacy through the API")
    return {
        "evaluation": services.latest_evaluation(patient), "decision": services.current_decision(patient),
        "decisions": list(CandidacyDecision.objects.filter(patient=patient)),
        "approved_routes": sorted(services.approved_routes(patient)),
    }


@router.post("/patients/{patient_id}/candidacy/decisions", response={201: CandidacyDecisionOut, **WRITE_ERRORS},
             summary="Sign a decision (physicians); a second signature amends the current one")
def sign_decision(request, patient_id: int, payload: CandidacyDecisionIn):
    personal_only(request)
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_SIGN)
    evaluation = CandidacyEvaluation.objects.filter(patient=patient, pk=payload.evaluation_id).first()
    if evaluation is None:
        raise ValidationError({"evaluation_id": "No such evaluation for this patient."})
    supersedes = None
    if payload.supersedes_id is not None:
        supersedes = CandidacyDecision.objects.filter(patient=patient, pk=payload.supersedes_id).first()
        if supersedes is None:
            raise ValidationError({"supersedes_id": "No such decision for this patient."})
    decision = services.sign_decision(
        patient, evaluation=evaluation, decision=payload.decision, note=payload.note,
        override_reason=payload.override_reason, amendment_reason=payload.amendment_reason, supersedes=supersedes,
        acting_user=request.user)
    return Status(201, decision)


@router.get("/patients/{patient_id}/consents", response={200: list[InformedConsentOut], **ERRORS})
def list_consents(request, patient_id: int):
    personal_only(request)
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_VIEW)
    return list(InformedConsent.objects.filter(patient=patient).select_related("withdrawal"))


@router.post("/patients/{patient_id}/consents", response={201: InformedConsentOut, **WRITE_ERRORS},
             summary="Sign consent: the patient themselves, or staff recording a signature made at the clinic")
def sign_consent(request, patient_id: int, payload: InformedConsentIn):
    personal_only(request)
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    where = InformedConsent.Where.PORTAL if request.user.is_patient else InformedConsent.Where.CLINIC
    return Status(201, services.sign_consent(patient, where=where, acting_user=request.user, **payload.dict()))


@router.post("/consents/{consent_id}/withdraw", response={200: InformedConsentOut, **WRITE_ERRORS})
def withdraw_consent(request, consent_id: int, payload: ConsentWithdrawIn):
    personal_only(request)
    consent = get_consent_for_user(request.user, consent_id, Perm.CLINICAL_RECORD)
    services.withdraw_consent(consent, reason=payload.reason, acting_user=request.user)
    return InformedConsent.objects.select_related("withdrawal").get(pk=consent.pk)


@router.get("/consent-texts/{route}", response={200: IntakeConsentTextOut, **ERRORS},
            summary="The current consent text for a route (iv-ketamine or esketamine)")
def read_consent_text(request, route: str):
    personal_only(request)
    if route not in Route.values:
        raise Http404("No such route.")
    text = consent_texts.current(route)
    return {"route": text.route, "version": text.version, "title": text.title, "sha256": text.sha256,
            "sections": [{"heading": heading, "paragraphs": list(paragraphs)} for heading, paragraphs in text.sections]}


@router.get("/clinics/{clinic_id}/protocol", response={200: CandidacyProtocolOut, **ERRORS},
            summary="The clinic's candidacy thresholds (the shipped defaults unless it set stricter ones)")
def read_protocol(request, clinic_id: int):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, clinic_id, Perm.CLINICAL_VIEW)
    setting = services.current_protocol_setting(clinic)
    protocol = setting.as_protocol() if setting else candidacy.DEFAULT_PROTOCOL
    return {**protocol.to_dict(), "is_default": setting is None, "reason": getattr(setting, "reason", "")}
