from ninja import Status

from ketaclinic.accounts import access as clinic_access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.billing import access
from ketaclinic.billing.api import router
from ketaclinic.billing.api.schemas import (
    BenefitsCheckIn,
    BenefitsCheckOut,
    CoverageIn,
    CoverageOut,
    PayerIn,
    PayerOut,
    InsurancePlanIn,
    InsurancePlanOut,
    PriorAuthIn,
    PriorAuthOut,
    PriorAuthStepIn,
)
from ketaclinic.billing.models import Coverage, InsurancePlan, Payer, PriorAuthorization
from ketaclinic.billing.services import insurance, prior_auth


@router.get("/payers", response={200: list[PayerOut], **ERRORS}, summary="A clinic's payers")
def list_payers(request, clinic_id: int):
    personal_only(request)
    clinic = clinic_access.get_clinic_for_user(request.user, clinic_id, Perm.BILLING_VIEW)
    return Payer.objects.filter(clinic=clinic)


@router.post("/payers", response={201: PayerOut, **WRITE_ERRORS})
def create_payer(request, payload: PayerIn):
    personal_only(request)
    clinic = clinic_access.get_clinic_for_user(request.user, payload.clinic_id, Perm.BILLING_EDIT)
    return Status(201, insurance.create_payer(clinic, data=payload.dict(exclude={"clinic_id"}), acting_user=request.user))


@router.post("/payers/{payer_id}/plans", response={201: InsurancePlanOut, **WRITE_ERRORS})
def create_plan(request, payer_id: int, payload: InsurancePlanIn):
    personal_only(request)
    payer = access.get_payer(request.user, payer_id, Perm.BILLING_EDIT)
    return Status(201, insurance.create_plan(payer, data=payload.dict(), acting_user=request.user))


@router.get("/patients/{patient_id}/coverages", response={200: list[CoverageOut], **ERRORS})
def list_coverages(request, patient_id: int):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id)
    return Coverage.objects.filter(patient=patient)


def _plan_for(patient, plan_id: int) -> InsurancePlan:
    from django.core.exceptions import ValidationError

    plan = InsurancePlan.objects.select_related("payer").filter(pk=plan_id, payer__clinic_id=patient.clinic_id).first()
    if plan is None:
        raise ValidationError({"plan_id": "No such plan at the patient's clinic."})
    return plan


@router.post("/patients/{patient_id}/coverages", response={201: CoverageOut, **WRITE_ERRORS})
def add_coverage(request, patient_id: int, payload: CoverageIn):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    data = {**payload.dict(exclude={"plan_id"}), "plan": _plan_for(patient, payload.plan_id)}
    return Status(201, insurance.add_coverage(patient, data=data, acting_user=request.user))


@router.post("/coverages/{coverage_id}/benefits-checks", response={201: BenefitsCheckOut, **WRITE_ERRORS})
def record_benefits_check(request, coverage_id: int, payload: BenefitsCheckIn):
    personal_only(request)
    coverage = access.get_coverage(request.user, coverage_id, Perm.BILLING_EDIT)
    return Status(201, insurance.record_benefits_check(coverage, data=payload.dict(), acting_user=request.user))


@router.get("/patients/{patient_id}/prior-authorizations", response={200: list[PriorAuthOut], **ERRORS})
def list_prior_auths(request, patient_id: int):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.CLINICAL_VIEW)
    return PriorAuthorization.objects.filter(patient=patient)


@router.post("/coverages/{coverage_id}/prior-authorizations", response={201: PriorAuthOut, **WRITE_ERRORS},
             summary="Start a prior authorisation, pre-filled from the record")
def start_prior_auth(request, coverage_id: int, payload: PriorAuthIn):
    personal_only(request)
    coverage = access.get_coverage(request.user, coverage_id, Perm.BILLING_EDIT)
    data = payload.dict(exclude_none=True)
    return Status(201, prior_auth.start_prior_authorization(coverage, data=data, acting_user=request.user))


@router.post("/prior-authorizations/{pa_id}/steps", response={200: PriorAuthOut, **WRITE_ERRORS},
             summary="Submit, approve, deny, appeal or withdraw")
def prior_auth_step(request, pa_id: int, payload: PriorAuthStepIn):
    personal_only(request)
    pa = access.get_prior_authorization(request.user, pa_id, Perm.BILLING_EDIT)
    return _step(pa, payload, request.user)


def _step(pa, p: PriorAuthStepIn, user):
    from django.core.exceptions import ValidationError

    if p.action in ("submit", "approve", "deny") and p.on is None:
        raise ValidationError({"on": "Give the date of the step."})
    if p.action == "submit":
        return prior_auth.submit_prior_authorization(pa, submitted_on=p.on, acting_user=user)
    if p.action == "approve":
        if p.valid_from is None or p.valid_to is None:
            raise ValidationError({"valid_to": "Give the dates the approval is valid."})
        return prior_auth.record_approval(pa, decided_on=p.on, units_approved=p.units_approved or 0,
                                          valid_from=p.valid_from, valid_to=p.valid_to,
                                          payer_reference=p.payer_reference, acting_user=user)
    if p.action == "deny":
        return prior_auth.record_denial(pa, decided_on=p.on, reason=p.reason, acting_user=user)
    if p.action == "appeal":
        return prior_auth.appeal_prior_authorization(pa, note=p.reason, acting_user=user)
    if p.action == "withdraw":
        return prior_auth.withdraw_prior_authorization(pa, acting_user=user)
    raise ValidationError({"action": "Use submit, approve, deny, appeal or withdraw."})
