"""Estimates from the clinic's price list, a course and (for esketamine) the patient's coverage.

The arithmetic is the pure ``ketaclinic.clinical.pricing.estimate``; this module only gathers its inputs:
the price list in force, the course (picked by a member of the public, or counted from the patient's
treatment plan) and the coverage (typed in by the public, or the patient's latest benefits check and
manufacturer savings enrolment).
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Sum

from ketaclinic.billing.models import BenefitsCheck, InsurancePlan, Payment, PriceList, SavingsEnrollment
from ketaclinic.billing.services._common import clinic_today
from ketaclinic.billing.services.insurance import latest_benefits_check, primary_coverage, savings_for_year
from ketaclinic.billing.services.prices import current_price_list, to_pricing
from ketaclinic.clinical import pricing, protocols
from ketaclinic.patients.models import Patient

# The label's TRD schedule through week 8 (twice weekly weeks 1–4, weekly weeks 5–8: 12 sessions),
# counted by the pure protocol module rather than typed here. clinical.md §3.1.
ESKETAMINE_DEFAULT_SESSIONS = len(protocols.esketamine_schedule(dt.date(2026, 1, 5), through_week=8))
IV_DEFAULT_INFUSIONS = protocols.IV_INDUCTION_DEFAULT_INFUSIONS  # clinical.md §1.2
# Planned-session kinds (plans area) to the estimator's session types, per route.
PLAN_KIND_TYPES = {
    "booster": pricing.BOOSTER,
    "psychotherapy-preparation": pricing.PSYCHOTHERAPY_PREPARATION,
    "psychotherapy-integration": pricing.PSYCHOTHERAPY_INTEGRATION,
}
ROUTE_DOSE_TYPES = {"iv-ketamine": pricing.IV_INFUSION, "esketamine": pricing.ESKETAMINE_SESSION}
MEDICATION_SEPARATE_ASSUMPTION = (
    "The esketamine medication itself is not in this estimate: it is billed through your pharmacy benefit "
    "or separately by the clinic."
)


@dataclass(frozen=True)
class PatientEstimate:
    estimate: pricing.Estimate | None
    price_list: PriceList | None
    plan: object | None
    course: dict
    benefits_check: BenefitsCheck | None
    savings: SavingsEnrollment | None
    extra_assumptions: tuple[str, ...] = field(default_factory=tuple)
    problem: str = ""


def coverage_from(check: BenefitsCheck | None, savings: SavingsEnrollment | None,
                  savings_used_cents: int = 0) -> pricing.Coverage | None:
    """The estimator's coverage from a benefits check and a savings enrolment (None: uninsured)."""
    if check is None:
        return None
    savings_terms = {}
    if savings is not None:
        savings_terms = dict(
            savings_per_session_cents=None,  # CarePath pays all but the floor, up to the yearly cap (§3.9)
            savings_patient_floor_cents=savings.patient_pays_per_treatment_cents,
            savings_yearly_cap_cents=max(0, savings.yearly_max_benefit_cents - savings_used_cents),
        )
    return pricing.Coverage(
        deductible_remaining_cents=check.deductible_remaining_cents,
        coinsurance_pct=Decimal(check.coinsurance_pct),
        copay_per_session_cents=check.copay_cents,
        oop_max_remaining_cents=check.oop_remaining_cents,
        **savings_terms,
    )


def savings_used_cents(patient: Patient, year: int) -> int:
    rows = Payment.objects.filter(patient=patient, method=Payment.Method.SAVINGS, received_on__year=year)
    return rows.aggregate(t=Sum("amount_cents"))["t"] or 0


def current_plan(patient: Patient):
    """The patient's signed treatment plan in force (the newest), or None (or when plans are absent)."""
    try:
        plan_model = apps.get_model("plans", "TreatmentPlan")
    except LookupError:
        return None
    return plan_model.objects.filter(patient=patient, status="signed").order_by("-signed_at", "-id").first()


def course_from_plan(plan) -> dict[str, int]:
    """Planned sessions counted by the estimator's session types, doses first."""
    counts = Counter()
    for kind in plan.sessions.values_list("kind", flat=True):
        session_type = ROUTE_DOSE_TYPES.get(plan.route) if kind == "dosing" else PLAN_KIND_TYPES.get(kind)
        if session_type:
            counts[session_type] += 1
    order = {t: n for n, t in enumerate(pricing.SESSION_TYPES)}
    return dict(sorted(counts.items(), key=lambda kv: order[kv[0]]))


def build_course(sessions: dict[str, int], price_list: PriceList, *, as_package: bool | None = None) -> pricing.Course:
    """The induction as a package when the price list offers one and the course has enough infusions for it,
    unless ``as_package`` is False (None: use it, a package is never dearer than its infusions one by one)."""
    sessions = {t: n for t, n in sessions.items() if n}
    enough = sessions.get(pricing.IV_INFUSION, 0) >= price_list.induction_package_infusions
    use_package = price_list.has_package and enough and as_package is not False
    return pricing.Course(sessions, induction_as_package=bool(use_package))


def extra_assumptions(course: pricing.Course, plan: InsurancePlan | None, price_list: PriceList) -> tuple[str, ...]:
    if not course.sessions.get(pricing.ESKETAMINE_SESSION):
        return ()
    drug_in_visit = plan is not None and plan.esketamine_billing == InsurancePlan.EsketamineBilling.VISIT_INCLUDES_DRUG
    return () if drug_in_visit else (MEDICATION_SEPARATE_ASSUMPTION,)


def run(price_list: PriceList, course: pricing.Course, coverage: pricing.Coverage | None) -> pricing.Estimate:
    try:
        return pricing.estimate(to_pricing(price_list), course, coverage)
    except ValueError as error:
        raise ValidationError({"__all__": str(error)}) from None


def patient_estimate(patient: Patient, *, today: dt.date | None = None) -> PatientEstimate:
    """The patient's own estimate: their plan's sessions, today's prices, their latest benefits and savings."""
    today = today or clinic_today(patient.clinic)
    price_list = current_price_list(patient.clinic, on=today)
    plan = current_plan(patient)
    coverage = primary_coverage(patient)
    check = latest_benefits_check(coverage)
    savings = savings_for_year(patient, today.year)
    empty = dict(price_list=price_list, plan=plan, course={}, benefits_check=check, savings=savings, estimate=None)
    if price_list is None:
        return PatientEstimate(**empty, problem="The clinic has not set its prices yet.")
    if plan is None:
        return PatientEstimate(**empty, problem="There is no signed treatment plan yet, so there is nothing to estimate.")
    sessions = course_from_plan(plan)
    course = build_course(sessions, price_list)
    priced = coverage_from(check, savings, savings_used_cents(patient, today.year) if savings else 0)
    try:
        result = pricing.estimate(to_pricing(price_list), course, priced)
    except ValueError:
        return PatientEstimate(**{**empty, "course": sessions},
                               problem="The clinic's price list does not price every session in the plan yet.")
    return PatientEstimate(result, price_list, plan, sessions, check, savings,
                           extra_assumptions(course, coverage.plan if coverage else None, price_list))
