"""The patient's own bills in the portal: balance, invoices, payment plans, statements, superbills and
the estimate for their treatment plan. Everything is looked up through the signed-in patient; another
patient's invoice or statement answers 404."""

from django.http import HttpResponse
from django.shortcuts import render

from ketaclinic.accounts import audit
from ketaclinic.billing import access, documents
from ketaclinic.billing.services import account, estimates, payment_plans
from ketaclinic.billing.services.prices import billing_profile
from ketaclinic.billing.views._helpers import record_opened
from ketaclinic.core.decorators import patient_required


def _patient(request):
    return request.user.portal_account.patient


@patient_required
def home(request):
    patient = _patient(request)
    audit.record(audit.Action.VIEW, actor=request.user, object_type="billing_account", object_id=patient.pk,
                 clinic=patient.clinic_id, patient=patient, summary="Opened own bills in the portal")
    invoices = account.with_invoice_totals(patient.invoices.filter(status="issued")).order_by("-issued_on", "-id")
    plans = [(plan, payment_plans.instalment_statuses(plan))
             for plan in patient.payment_plans.filter(status="active").prefetch_related("instalments")]
    context = {
        "patient": patient, "totals": account.account_totals(patient), "invoices": invoices, "plans": plans,
        "statements": patient.statements.all()[:12], "estimate": estimates.patient_estimate(patient),
        "financing": billing_profile(patient.clinic).financing_options,
    }
    return render(request, "billing/portal_home.html", context)


@patient_required
def invoice(request, invoice_id: int):
    invoice = access.get_invoice(request.user, invoice_id)
    record_opened(request, "invoice", invoice, f"Opened own invoice {invoice.number} in the portal")
    context = {"invoice": invoice, "totals": account.invoice_totals(invoice),
               "charges": invoice.charges.filter(status="active").order_by("service_date", "id"),
               "payments": invoice.payments.all()}
    return render(request, "billing/portal_invoice.html", context)


@patient_required
def invoice_superbill(request, invoice_id: int):
    invoice = access.get_invoice(request.user, invoice_id)
    return pdf_response(documents.superbill_for_invoice(invoice, acting_user=request.user),
                        f"superbill-{invoice.number}.pdf")


@patient_required
def statement_pdf(request, statement_id: int):
    statement = access.get_statement(request.user, statement_id)
    return pdf_response(documents.statement_pdf(statement, acting_user=request.user), f"statement-{statement.pk}.pdf")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # a bill is personal: never kept by a shared cache
    return response
