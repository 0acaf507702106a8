"""What billing adds to shared pages: chart sections (money for billing staff, coverage status without
money for clinicians), the portal home section and the navigation. Registered from BillingConfig.ready()."""

from ketaclinic.accounts import access as clinic_access
from ketaclinic.accounts.roles import Perm
from ketaclinic.billing.models import Coverage, PriorAuthorization
from ketaclinic.billing.services import account, payment_plans, prior_auth
from ketaclinic.billing.services._common import clinic_today


def _coverage_facts(patient) -> dict:
    today = clinic_today(patient.clinic)
    coverages = list(Coverage.objects.filter(patient=patient, active=True).select_related("plan__payer"))
    pas = PriorAuthorization.objects.filter(patient=patient).exclude(status__in=["withdrawn"]).order_by("-requested_on", "-id")[:3]
    return {
        "patient": patient, "coverages": coverages,
        "prior_auths": [(pa, prior_auth.units_left(pa), prior_auth.warnings_for(pa, today)) for pa in pas],
    }


def chart_billing(request, patient):
    """For staff who may see money: balance, what is left to invoice, coverage and authorisation."""
    totals = account.account_totals(patient)
    return {**_coverage_facts(patient), "totals": totals,
            "uninvoiced": account.uninvoiced_charges(patient).count()}


def chart_coverage(request, patient):
    """For clinicians: is esketamine authorised, how many sessions are left, until when. No money."""
    if clinic_access.can(request.user, Perm.BILLING_VIEW, patient.clinic_id):
        return None  # the billing section already shows it
    facts = _coverage_facts(patient)
    return facts if facts["coverages"] or facts["prior_auths"] else None


def portal_billing(request, patient):
    plans = patient.payment_plans.filter(status="active").prefetch_related("instalments")
    next_due = [d for d in (payment_plans.next_due(plan) for plan in plans) if d is not None]
    return {"patient": patient, "totals": account.account_totals(patient),
            "next_due": min(next_due, key=lambda s: s.due_on) if next_due else None}


def register() -> None:
    from ketaclinic.core import nav, sections

    nav.register("Billing", "billing:home", perm=Perm.BILLING_VIEW, order=70)
    sections.chart.register("billing", "billing/_chart_billing.html", chart_billing, order=80, perm=Perm.BILLING_VIEW)
    sections.chart.register("billing-coverage", "billing/_chart_coverage.html", chart_coverage, order=81,
                            perm=Perm.CLINICAL_VIEW)
    sections.portal.register("billing", "billing/_portal_section.html", portal_billing, order=70)
    sections.register_portal_nav("Bills and costs", "billing:portal_home", order=60)
