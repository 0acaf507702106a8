"""Staff pages: payments, refunds, adjustments, payment plans, statements, superbills and the claim CSV."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access as clinic_access
from ketaclinic.accounts.roles import Perm
from ketaclinic.billing import access, documents
from ketaclinic.billing.forms import AdjustmentForm, ClaimExportForm, PaymentForm, PaymentPlanForm, PeriodForm, RefundForm
from ketaclinic.billing.services import account, payment_plans, statements
from ketaclinic.billing.services._common import clinic_today
from ketaclinic.billing.views._helpers import form_page, post_action, record_opened
from ketaclinic.billing.views.portal import pdf_response
from ketaclinic.billing.views.staff_account import account_url
from ketaclinic.core.decorators import staff_required


@staff_required
@require_http_methods(["GET", "POST"])
def payment_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    initial = {"received_on": clinic_today(patient.clinic), "invoice": request.GET.get("invoice")}
    form = PaymentForm(request.POST or None, patient=patient, initial=initial)
    back = reverse("billing:invoice", args=[initial["invoice"]]) if str(initial["invoice"]).isdigit() else account_url(patient.pk)
    return form_page(request, form, title=f"Record a payment from {patient.display_name}", back_url=back,
                     save=lambda data: account.record_payment(patient, data=data, acting_user=request.user),
                     done_url=lambda p: reverse("billing:invoice", args=[p.invoice_id]) if p.invoice_id else account_url(patient.pk),
                     message="Payment recorded.", submit="Record payment",
                     intro="Record what the card terminal, the payer or the lender reported. No card is charged here.")


@staff_required
@require_http_methods(["GET", "POST"])
def refund_new(request, payment_id: int):
    payment = access.get_payment(request.user, payment_id, Perm.BILLING_EDIT)
    form = RefundForm(request.POST or None, initial={"refunded_on": clinic_today(payment.patient.clinic),
                                                     "amount_cents": account.refundable_cents(payment)})
    return form_page(request, form, title=f"Refund part of a {payment.get_method_display().lower()} payment",
                     back_url=account_url(payment.patient_id), message="Refund recorded.", submit="Record refund",
                     save=lambda data: account.record_refund(payment, amount_cents=data["amount_cents"],
                                                             refunded_on=data["refunded_on"], reason=data["reason"],
                                                             acting_user=request.user))


@staff_required
@require_http_methods(["GET", "POST"])
def adjustment_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    form = AdjustmentForm(request.POST or None, patient=patient,
                          initial={"adjusted_on": clinic_today(patient.clinic), "invoice": request.GET.get("invoice")})
    return form_page(request, form, title=f"Adjust {patient.display_name}'s balance", back_url=account_url(patient.pk),
                     save=lambda data: account.record_adjustment(patient, data=data, acting_user=request.user),
                     message="Adjustment recorded.", submit="Record adjustment",
                     intro="For the part of a charge a payer's contract does not allow, a discount or a write-off.")


@staff_required
@require_http_methods(["GET", "POST"])
def plan_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    form = PaymentPlanForm(request.POST or None, patient=patient, initial={
        "total_cents": max(account.balance_cents(patient), 0), "count": 3, "first_due_on": clinic_today(patient.clinic),
        "frequency": "monthly"})
    return form_page(request, form, title=f"Payment plan for {patient.display_name}", back_url=account_url(patient.pk),
                     save=lambda data: payment_plans.create_payment_plan(patient, acting_user=request.user, **data),
                     done_url=lambda plan: reverse("billing:plan", args=[plan.pk]), message="Payment plan set up.",
                     submit="Set up plan")


@staff_required
def plan_page(request, plan_id: int):
    plan = access.get_payment_plan(request.user, plan_id)
    record_opened(request, "payment_plan", plan, "Opened a payment plan")
    context = {"plan": plan, "patient": plan.patient, "statuses": payment_plans.instalment_statuses(plan),
               "paid_cents": payment_plans.paid_toward(plan), "payments": plan.payments.all(),
               "can_edit": access.can(request.user, Perm.BILLING_EDIT, plan.clinic_id)}
    return render(request, "billing/plan.html", context)


@staff_required
@require_POST
def plan_cancel(request, plan_id: int):
    plan = access.get_payment_plan(request.user, plan_id, Perm.BILLING_EDIT)
    reason = request.POST.get("reason", "")
    return post_action(request, action=lambda: payment_plans.cancel_payment_plan(plan, reason=reason, acting_user=request.user),
                       done_url=reverse("billing:plan", args=[plan.pk]), message="Payment plan cancelled.")


@staff_required
@require_http_methods(["GET", "POST"])
def statement_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    today = clinic_today(patient.clinic)
    form = PeriodForm(request.POST or None, initial={"start": today.replace(day=1), "end": today})
    return form_page(request, form, title=f"Statement for {patient.display_name}", back_url=account_url(patient.pk),
                     save=lambda data: statements.create_statement(patient, period_start=data["start"],
                                                                   period_end=data["end"], acting_user=request.user),
                     done_url=lambda s: reverse("billing:statement", args=[s.pk]), message="Statement made.",
                     submit="Make statement")


@staff_required
def statement_page(request, statement_id: int):
    statement = access.get_statement(request.user, statement_id)
    record_opened(request, "statement", statement, "Opened a statement")
    return render(request, "billing/statement.html", documents.statement_context(statement))


@staff_required
def statement_pdf(request, statement_id: int):
    statement = access.get_statement(request.user, statement_id)
    return pdf_response(documents.statement_pdf(statement, acting_user=request.user), f"statement-{statement.pk}.pdf")


@staff_required
def invoice_superbill(request, invoice_id: int):
    invoice = access.get_invoice(request.user, invoice_id)
    return pdf_response(documents.superbill_for_invoice(invoice, acting_user=request.user),
                        f"superbill-{invoice.number}.pdf")


@staff_required
def visit_superbill(request, visit_id: int):
    visit = access.get_visit(request.user, visit_id, Perm.BILLING_VIEW)
    return pdf_response(documents.superbill_for_visit(visit, acting_user=request.user), f"superbill-visit-{visit.pk}.pdf")


@staff_required
@require_http_methods(["GET", "POST"])
def superbill_period(request, patient_id: int):
    """Dates of service are health information: the period is POSTed, never put in the URL."""
    patient = access.get_patient(request.user, patient_id)
    today = clinic_today(patient.clinic)
    form = PeriodForm(request.POST or None, initial={"start": today.replace(month=1, day=1), "end": today})
    if request.method == "POST" and form.is_valid():
        pdf = documents.superbill_for_period(patient, form.cleaned_data["start"], form.cleaned_data["end"],
                                             acting_user=request.user)
        return pdf_response(pdf, f"superbill-{patient.mrn}.pdf")
    return render(request, "billing/form.html", {
        "form": form, "title": f"Superbill for {patient.display_name}", "back_url": account_url(patient.pk),
        "submit": "Download superbill (PDF)", "intro": "Every charge with a date of service in the period, "
                                                     "and the payments received in it."}, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def claims(request):
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_VIEW, clinic.pk)
    today = clinic_today(clinic)
    form = ClaimExportForm(request.POST or None, initial={"start": today.replace(day=1), "end": today, "insured_only": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = documents.claims_csv(clinic, data["start"], data["end"], insured_only=data["insured_only"],
                                    acting_user=request.user)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="claims-{clinic.mrn_prefix}-{data["start"]:%Y%m%d}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "billing/form.html", {
        "form": form, "title": "Claim-ready CSV", "back_url": reverse("billing:home"), "submit": "Download CSV",
        "intro": "One line per claimable charge with every CMS-1500 field, for your clearinghouse or billing "
                 "service. Nothing is sent anywhere from here."}, status=422 if form.errors else 200)
