"""Payers and plans, a patient's coverage, benefits checks, savings enrolment and billed diagnoses."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Clinic
from ketaclinic.billing import codes
from ketaclinic.billing.models import (
    BenefitsCheck,
    Coverage,
    InsurancePlan,
    PatientBillingInfo,
    Payer,
    SavingsEnrollment,
)
from ketaclinic.billing.services._common import (
    apply_fields,
    record_create,
    record_update,
    require_same_clinic,
    save_checked,
)
from ketaclinic.patients.models import Patient


def _user(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None


def _save_unique(obj, field: str, message: str) -> None:
    try:
        with transaction.atomic():
            save_checked(obj)
    except IntegrityError:
        raise ValidationError({field: message}) from None


# --- payers and plans ------------------------------------------------------------------------------

@transaction.atomic
def create_payer(clinic: Clinic, *, data: dict[str, Any], acting_user) -> Payer:
    payer = Payer(clinic=clinic)
    apply_fields(payer, data, Payer.AUDITED_FIELDS)
    if Payer.objects.filter(clinic=clinic, name__iexact=payer.name).exists():
        raise ValidationError({"name": "This clinic already has a payer of that name."})
    _save_unique(payer, "name", "This clinic already has a payer of that name.")
    record_create(payer, actor=acting_user, object_type="payer", clinic=clinic, summary=f"Added payer {payer.name}")
    return payer


@transaction.atomic
def update_payer(payer: Payer, *, data: dict[str, Any], acting_user) -> Payer:
    payer = Payer.objects.select_for_update().get(pk=payer.pk)
    before = audit.snapshot(payer, Payer.AUDITED_FIELDS)
    apply_fields(payer, data, Payer.AUDITED_FIELDS)
    _save_unique(payer, "name", "This clinic already has a payer of that name.")
    record_update(payer, before, actor=acting_user, object_type="payer", clinic=payer.clinic_id,
                  summary=f"Changed payer {payer.name}")
    return payer


@transaction.atomic
def create_plan(payer: Payer, *, data: dict[str, Any], acting_user) -> InsurancePlan:
    plan = InsurancePlan(payer=payer)
    apply_fields(plan, data, set(InsurancePlan.AUDITED_FIELDS) - {"payer"})
    _save_unique(plan, "name", "This payer already has a plan of that name.")
    record_create(plan, actor=acting_user, object_type="insurance_plan", clinic=payer.clinic_id,
                  summary=f"Added plan {plan.name} of {payer.name}")
    return plan


# --- coverage --------------------------------------------------------------------------------------

COVERAGE_FIELDS = tuple(f for f in Coverage.AUDITED_FIELDS if f != "active")


def _check_coverage(coverage: Coverage) -> None:
    require_same_clinic("plan", coverage.plan.payer, coverage.patient.clinic_id, "plan")
    if not coverage.plan.active or not coverage.plan.payer.active:
        raise ValidationError({"plan": "That plan is no longer offered; pick an active one."})
    if coverage.subscriber_relationship != Coverage.Relationship.SELF and not (
        coverage.subscriber_first_name and coverage.subscriber_last_name
    ):
        raise ValidationError({"subscriber_last_name": "Give the subscriber's name when the patient is not the subscriber."})
    if coverage.effective_from and coverage.effective_to and coverage.effective_to < coverage.effective_from:
        raise ValidationError({"effective_to": "Coverage cannot end before it starts."})
    duplicate = Coverage.objects.filter(patient=coverage.patient, priority=coverage.priority, active=True).exclude(pk=coverage.pk)
    if coverage.active and duplicate.exists():
        raise ValidationError({"priority": f"The patient already has active {coverage.get_priority_display().lower()} "
                                           "coverage; end it first."})


@transaction.atomic
def add_coverage(patient: Patient, *, data: dict[str, Any], acting_user) -> Coverage:
    coverage = Coverage(patient=patient)
    apply_fields(coverage, data, COVERAGE_FIELDS)
    if coverage.plan_id is None:
        raise ValidationError({"plan": "Pick the patient's plan."})
    _check_coverage(coverage)
    save_checked(coverage)
    record_create(coverage, actor=acting_user, object_type="coverage", clinic=patient.clinic_id, patient=patient,
                  summary=f"Added {coverage.get_priority_display().lower()} coverage")
    return coverage


@transaction.atomic
def end_coverage(coverage: Coverage, *, ended_on, acting_user) -> Coverage:
    coverage = Coverage.objects.select_for_update().select_related("patient").get(pk=coverage.pk)
    if not coverage.active:
        raise ValidationError({"active": "This coverage has already ended."})
    before = audit.snapshot(coverage, ("active", "effective_to"))
    coverage.active = False
    coverage.effective_to = ended_on
    if coverage.effective_from and ended_on < coverage.effective_from:
        raise ValidationError({"effective_to": "Coverage cannot end before it starts."})
    coverage.save(update_fields=["active", "effective_to"])
    record_update(coverage, before, actor=acting_user, object_type="coverage", clinic=coverage.patient.clinic_id,
                  patient=coverage.patient_id, summary="Ended coverage")
    return coverage


def primary_coverage(patient: Patient) -> Coverage | None:
    return (Coverage.objects.filter(patient=patient, active=True, priority=Coverage.Priority.PRIMARY)
            .select_related("plan__payer").first())


# --- benefits checks -------------------------------------------------------------------------------

@transaction.atomic
def record_benefits_check(coverage: Coverage, *, data: dict[str, Any], acting_user) -> BenefitsCheck:
    check = BenefitsCheck(coverage=coverage, checked_by=_user(acting_user))
    apply_fields(check, data, BenefitsCheck.AUDITED_FIELDS)
    if check.deductible_met_cents and check.deductible_met_cents > check.deductible_cents:
        raise ValidationError({"deductible_met_cents": "Cannot be more than the deductible."})
    if check.oop_max_cents is not None and check.oop_met_cents > check.oop_max_cents:
        raise ValidationError({"oop_met_cents": "Cannot be more than the out-of-pocket maximum."})
    if check.checked_on and check.checked_on > timezone.localdate(timezone=coverage.patient.clinic.tz):
        raise ValidationError({"checked_on": "must not be in the future."})
    save_checked(check)
    record_create(check, actor=acting_user, object_type="benefits_check", clinic=coverage.patient.clinic_id,
                  patient=coverage.patient_id, summary="Recorded a benefits check")
    return check


def latest_benefits_check(coverage: Coverage | None) -> BenefitsCheck | None:
    if coverage is None:
        return None
    return coverage.benefits_checks.order_by("-checked_on", "-id").first()


# --- manufacturer savings --------------------------------------------------------------------------

SAVINGS_FIELDS = tuple(f for f in SavingsEnrollment.AUDITED_FIELDS if f != "active")


@transaction.atomic
def enroll_in_savings(patient: Patient, *, data: dict[str, Any], acting_user) -> SavingsEnrollment:
    enrollment = SavingsEnrollment(patient=patient, created_by=_user(acting_user))
    apply_fields(enrollment, data, SAVINGS_FIELDS)
    if enrollment.enrolled_on and not enrollment.benefit_year:
        enrollment.benefit_year = enrollment.enrolled_on.year
    _save_unique(enrollment, "benefit_year", "The patient is already enrolled in this programme for that year.")
    record_create(enrollment, actor=acting_user, object_type="savings_enrollment", clinic=patient.clinic_id,
                  patient=patient, summary=f"Noted enrolment in {enrollment.program}")
    return enrollment


def savings_for_year(patient: Patient, year: int) -> SavingsEnrollment | None:
    return SavingsEnrollment.objects.filter(patient=patient, benefit_year=year, active=True).first()


# --- diagnoses billed ------------------------------------------------------------------------------

@transaction.atomic
def set_diagnoses(patient: Patient, *, codes_list, acting_user) -> PatientBillingInfo:
    try:
        cleaned = codes.clean_icd10(codes_list)
    except ValueError as error:
        raise ValidationError({"diagnosis_codes": str(error)}) from None
    info, _ = PatientBillingInfo.objects.select_for_update().get_or_create(patient=patient)
    before = audit.snapshot(info, PatientBillingInfo.AUDITED_FIELDS)
    info.diagnosis_codes = cleaned
    info.updated_by = _user(acting_user)
    info.updated_at = timezone.now()
    info.save()
    record_update(info, before, actor=acting_user, object_type="billing_diagnoses", clinic=patient.clinic_id,
                  patient=patient, summary="Changed the diagnoses billed")
    return info


def diagnoses_for(patient: Patient) -> list[str]:
    info = PatientBillingInfo.objects.filter(patient=patient).first()
    return list(info.diagnosis_codes) if info else []
