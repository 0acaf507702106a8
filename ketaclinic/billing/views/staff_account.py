"""Staff pages: the billing desk, a patient's account, charges, invoices and induction packages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access as clinic_access, audit
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm, Role
from ketaclinic.billing import access
from ketaclinic.billing.forms import ChargeForm
from ketaclinic.billing.models import Coverage, PaymentPlan, PriorAuthorization, Refund
from ketaclinic.billing.services import account, charges, estimates, payment_plans, prior_auth
from ketaclinic.billing.services._common import clinic_today
from ketaclinic.billing.services.insurance import diagnoses_for, latest_benefits_check
from ketaclinic.billing.views._helpers import form_page, post_action, record_opened
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.pagination import paginate
from ketaclinic.patients.models import Patient


def account_url(patient_id: int) -> str:
    return reverse("billing:account", args=[patient_id])


@staff_required
def home(request):
    """The billing desk of the active clinic: who owes what, visits to charge, authorisations to watch."""
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_VIEW, clinic.pk)
    balances = account.with_balances(Patient.objects.filter(clinic=clinic)).exclude(balance_cents=0)
    page = paginate(request, balances.only("id", "mrn", "legal_first_name", "legal_last_name", "preferred_name",
                                           "clinic_id").order_by("-balance_cents", "id"))
    open_pas = (PriorAuthorization.objects.filter(patient__clinic=clinic)
                .exclude(status__in=["denied", "withdrawn"]).select_related("patient").order_by("valid_to", "id")[:20])
    today = clinic_today(clinic)
    context = {
        "page": page, "visits": list(charges.visits_not_charged(clinic.pk)[:20]),
        "prior_auths": [(pa, prior_auth.warnings_for(pa, today)) for pa in open_pas],
        "can_edit": clinic_access.can(request.user, Perm.BILLING_EDIT, clinic.pk),
    }
    return render(request, "billing/home.html", context)


@staff_required
def account_page(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id)
    audit.record(audit.Action.VIEW, actor=request.user, object_type="billing_account", object_id=patient.pk,
                 clinic=patient.clinic_id, patient=patient, summary="Opened billing account")
    return render(request, "billing/account.html", _account_context(request, patient))


def _account_context(request, patient) -> dict:
    today = clinic_today(patient.clinic)
    coverages = list(Coverage.objects.filter(patient=patient).select_related("plan__payer").order_by("-active", "priority"))
    pas = PriorAuthorization.objects.filter(patient=patient).select_related("coverage__plan__payer")
    plans = patient.payment_plans.prefetch_related("instalments").order_by("-created_at")
    return {
        "patient": patient, "totals": account.account_totals(patient), "today": today,
        "uninvoiced": account.uninvoiced_charges(patient).select_related("rendering_provider"),
        "invoices": account.with_invoice_totals(patient.invoices.all()),
        "payments": patient.payments.select_related("invoice", "payer").prefetch_related(
            Prefetch("refunds", queryset=Refund.objects.order_by("refunded_on"))),
        "adjustments": patient.adjustments.select_related("invoice"),
        "plans": [(plan, payment_plans.instalment_statuses(plan, today) if plan.status == PaymentPlan.Status.ACTIVE else ())
                  for plan in plans],
        "statements": patient.statements.all()[:12],
        "coverages": [(c, latest_benefits_check(c)) for c in coverages],
        "prior_auths": [(pa, prior_auth.units_left(pa), prior_auth.warnings_for(pa, today)) for pa in pas],
        "savings": patient.savings_enrollments.all(), "diagnoses": diagnoses_for(patient),
        "packages": patient.package_purchases.all(), "estimate": estimates.patient_estimate(patient, today=today),
        "visits": [v for v in charges.visits_not_charged(patient.clinic_id).filter(patient=patient)],
        "can_edit": access.can(request.user, Perm.BILLING_EDIT, patient.clinic_id),
    }


def _providers(clinic_id: int):
    clinical_roles = [Role.PHYSICIAN, Role.NURSE_RN, Role.NURSE_CRNA, Role.THERAPIST]
    return User.objects.filter(memberships__clinic_id=clinic_id, memberships__role__in=clinical_roles).distinct().order_by(
        "display_name", "username")


@staff_required
@require_http_methods(["GET", "POST"])
def charge_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    form = ChargeForm(request.POST or None, providers=_providers(patient.clinic_id),
                      initial={"service_date": clinic_today(patient.clinic), "units": 1})
    return form_page(request, form, title=f"New charge for {patient.display_name}", back_url=account_url(patient.pk),
                     save=lambda data: charges.create_charge(patient, data=data, acting_user=request.user),
                     message="Charge added.", submit="Add charge",
                     intro="For consultations, psychotherapy, fees and corrections. Visits are charged when they end.")


@staff_required
@require_POST
def charge_void(request, charge_id: int):
    charge = access.get_charge(request.user, charge_id, Perm.BILLING_EDIT)
    reason = request.POST.get("reason", "")
    return post_action(request, action=lambda: charges.void_charge(charge, reason=reason, acting_user=request.user),
                       done_url=account_url(charge.patient_id), message=f"Charge {charge.code} voided.")


@staff_required
@require_POST
def invoice_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    try:
        invoice = account.create_invoice(patient, charge_ids=request.POST.getlist("charge_ids"),
                                         note=request.POST.get("note", ""), acting_user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(account_url(patient.pk))
    messages.success(request, f"Invoice {invoice.number} issued.")
    return redirect("billing:invoice", invoice_id=invoice.pk)


@staff_required
def invoice_page(request, invoice_id: int):
    invoice = access.get_invoice(request.user, invoice_id)
    record_opened(request, "invoice", invoice, f"Opened invoice {invoice.number}")
    context = {
        "invoice": invoice, "patient": invoice.patient, "totals": account.invoice_totals(invoice),
        "charges": invoice.charges.select_related("rendering_provider").order_by("service_date", "id"),
        "payments": invoice.payments.prefetch_related("refunds"), "adjustments": invoice.adjustments.all(),
        "can_edit": access.can(request.user, Perm.BILLING_EDIT, invoice.clinic_id),
    }
    return render(request, "billing/invoice.html", context)


@staff_required
@require_POST
def invoice_void(request, invoice_id: int):
    invoice = access.get_invoice(request.user, invoice_id, Perm.BILLING_EDIT)
    reason = request.POST.get("reason", "")
    return post_action(request, action=lambda: account.void_invoice(invoice, reason=reason, acting_user=request.user),
                       done_url=reverse("billing:invoice", args=[invoice.pk]), message=f"Invoice {invoice.number} voided.")


@staff_required
@require_POST
def visit_charge(request, visit_id: int):
    visit = access.get_visit(request.user, visit_id, Perm.BILLING_EDIT)
    return post_action(request, action=lambda: charges.create_charges_for_visit(visit, acting_user=request.user),
                       done_url=account_url(visit.patient_id), message="Visit charged.")


@staff_required
@require_POST
def package_sell(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    today = clinic_today(patient.clinic)
    return post_action(request, action=lambda: charges.sell_package(patient, purchased_on=today, acting_user=request.user),
                       done_url=account_url(patient.pk),
                       message="Induction package sold; its infusions will be charged at the package share.")


@staff_required
@require_POST
def package_cancel(request, package_id: int):
    package = access.get_package(request.user, package_id, Perm.BILLING_EDIT)
    return post_action(request, action=lambda: charges.cancel_package(package, acting_user=request.user),
                       done_url=account_url(package.patient_id), message="Package cancelled.")
