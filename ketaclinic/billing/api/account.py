import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponse
from ninja import Status
from ninja.pagination import paginate

from ketaclinic.accounts import access as clinic_access
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.pagination import Pagination
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.billing import access, documents
from ketaclinic.billing.api import router
from ketaclinic.billing.api.prices import _estimate_out
from ketaclinic.billing.api.schemas import (
    AdjustmentIn,
    AdjustmentOut,
    BalanceOut,
    ChargeIn,
    ChargeOut,
    ClaimsIn,
    EstimateOut,
    InvoiceIn,
    InvoiceOut,
    PaymentIn,
    PaymentOut,
    PaymentPlanIn,
    PaymentPlanOut,
    RefundIn,
    RefundOut,
    VoidIn,
)
from ketaclinic.billing.models import Invoice, Payer, PaymentPlan
from ketaclinic.billing.services import account, charges, estimates, payment_plans

# --- charges ---------------------------------------------------------------------------------------


def _date_range(rows, field: str, start: dt.date | None, end: dt.date | None, names: tuple[str, str]):
    if start and end and start > end:
        raise ValidationError({names[1]: f"{names[1]} ({end}) is before {names[0]} ({start})."})
    if start:
        rows = rows.filter(**{f"{field}__gte": start})
    if end:
        rows = rows.filter(**{f"{field}__lte": end})
    return rows


@router.get("/patients/{patient_id}/charges", response={200: list[ChargeOut], **ERRORS},
            summary="A patient's charges, oldest service first; optionally between two service dates (inclusive)")
@paginate(Pagination)
def list_charges(request, patient_id: int, service_from: dt.date | None = None, service_to: dt.date | None = None):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id)
    rows = _date_range(patient.charges.all(), "service_date", service_from, service_to, ("service_from", "service_to"))
    return rows.order_by("service_date", "id")


@router.post("/patients/{patient_id}/charges", response={201: ChargeOut, **WRITE_ERRORS}, summary="Add a charge by hand")
def create_charge(request, patient_id: int, payload: ChargeIn):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    data = payload.dict(exclude={"rendering_provider_id"})
    if payload.rendering_provider_id is not None:
        data["rendering_provider"] = User.objects.filter(pk=payload.rendering_provider_id).first()
        if data["rendering_provider"] is None:
            raise ValidationError({"rendering_provider_id": "No such clinician."})
    return Status(201, charges.create_charge(patient, data=data, acting_user=request.user))


@router.post("/charges/{charge_id}/void", response={200: ChargeOut, **WRITE_ERRORS})
def void_charge(request, charge_id: int, payload: VoidIn):
    personal_only(request)
    charge = access.get_charge(request.user, charge_id, Perm.BILLING_EDIT)
    return charges.void_charge(charge, reason=payload.reason, acting_user=request.user)


@router.post("/visits/{visit_id}/charges", response={200: list[ChargeOut], **WRITE_ERRORS},
             summary="Charge a completed visit (idempotent: a charged visit returns its charges)")
def charge_visit(request, visit_id: int):
    personal_only(request)
    visit = access.get_visit(request.user, visit_id, Perm.BILLING_EDIT)
    return charges.create_charges_for_visit(visit, acting_user=request.user)


# --- invoices --------------------------------------------------------------------------------------

def _invoice_out(invoice: Invoice) -> dict:
    totals = account.invoice_totals(invoice)
    return {"id": invoice.pk, "patient_id": invoice.patient_id, "number": invoice.number, "issued_on": invoice.issued_on,
            "due_on": invoice.due_on, "status": invoice.status, "total_cents": totals.charges_cents,
            "paid_cents": totals.net_payments_cents, "adjusted_cents": totals.adjustments_cents,
            "balance_cents": totals.balance_cents}


@router.get("/patients/{patient_id}/invoices", response={200: list[InvoiceOut], **ERRORS},
            summary="A patient's invoices, oldest first, with their totals; optionally issued between two dates")
@paginate(Pagination)
def list_invoices(request, patient_id: int, issued_from: dt.date | None = None, issued_to: dt.date | None = None):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id)
    rows = _date_range(patient.invoices.all(), "issued_on", issued_from, issued_to, ("issued_from", "issued_to"))
    # The totals under the names InvoiceOut reads, so a page is one query whatever its length.
    return account.with_invoice_totals(rows).annotate(
        total_cents=F("charges_cents"), paid_cents=F("payments_cents") - F("refunds_cents"),
        adjusted_cents=F("adjustments_cents"),
    ).order_by("issued_on", "id")


@router.post("/patients/{patient_id}/invoices", response={201: InvoiceOut, **WRITE_ERRORS})
def create_invoice(request, patient_id: int, payload: InvoiceIn):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    invoice = account.create_invoice(patient, charge_ids=payload.charge_ids, note=payload.note, acting_user=request.user)
    return Status(201, _invoice_out(invoice))


@router.get("/invoices/{invoice_id}", response={200: InvoiceOut, **ERRORS})
def read_invoice(request, invoice_id: int):
    personal_only(request)
    return _invoice_out(access.get_invoice(request.user, invoice_id))


@router.get("/invoices/{invoice_id}/superbill.pdf", response={200: None, **ERRORS}, summary="Superbill PDF for an invoice")
def invoice_superbill(request, invoice_id: int):
    personal_only(request)
    invoice = access.get_invoice(request.user, invoice_id)
    response = HttpResponse(documents.superbill_for_invoice(invoice, acting_user=request.user),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="superbill-{invoice.number}.pdf"'
    return response


# --- money -----------------------------------------------------------------------------------------

def _linked(patient, payload) -> dict:
    """Ids in the payload resolved within the patient's own records (another patient's id is refused)."""
    found = {}
    if getattr(payload, "invoice_id", None) is not None:
        found["invoice"] = Invoice.objects.filter(pk=payload.invoice_id, patient=patient).first()
        if found["invoice"] is None:
            raise ValidationError({"invoice_id": "No such invoice for this patient."})
    if getattr(payload, "payment_plan_id", None) is not None:
        found["payment_plan"] = PaymentPlan.objects.filter(pk=payload.payment_plan_id, patient=patient).first()
        if found["payment_plan"] is None:
            raise ValidationError({"payment_plan_id": "No such payment plan for this patient."})
    if getattr(payload, "payer_id", None) is not None:
        found["payer"] = Payer.objects.filter(pk=payload.payer_id, clinic_id=patient.clinic_id).first()
        if found["payer"] is None:
            raise ValidationError({"payer_id": "No such payer at the patient's clinic."})
    return found


@router.post("/patients/{patient_id}/payments", response={201: PaymentOut, **WRITE_ERRORS},
             summary="Record a payment (no card is charged)")
def record_payment(request, patient_id: int, payload: PaymentIn):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    data = {**payload.dict(exclude={"invoice_id", "payment_plan_id", "payer_id"}), **_linked(patient, payload)}
    return Status(201, account.record_payment(patient, data=data, acting_user=request.user))


@router.post("/payments/{payment_id}/refunds", response={201: RefundOut, **WRITE_ERRORS})
def record_refund(request, payment_id: int, payload: RefundIn):
    personal_only(request)
    payment = access.get_payment(request.user, payment_id, Perm.BILLING_EDIT)
    return Status(201, account.record_refund(payment, amount_cents=payload.amount_cents, refunded_on=payload.refunded_on,
                                             reason=payload.reason, acting_user=request.user))


@router.post("/patients/{patient_id}/adjustments", response={201: AdjustmentOut, **WRITE_ERRORS})
def record_adjustment(request, patient_id: int, payload: AdjustmentIn):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    data = {**payload.dict(exclude={"invoice_id"}), **_linked(patient, payload)}
    return Status(201, account.record_adjustment(patient, data=data, acting_user=request.user))


def _plan_out(plan: PaymentPlan) -> dict:
    return {"id": plan.pk, "patient_id": plan.patient_id, "invoice_id": plan.invoice_id, "total_cents": plan.total_cents,
            "frequency": plan.frequency, "status": plan.status,
            "instalments": [{**s.__dict__, "state": str(s.state)} for s in payment_plans.instalment_statuses(plan)]}


@router.get("/patients/{patient_id}/payment-plans", response={200: list[PaymentPlanOut], **ERRORS})
def list_payment_plans(request, patient_id: int):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id)
    return [_plan_out(plan) for plan in patient.payment_plans.prefetch_related("instalments")]


@router.post("/patients/{patient_id}/payment-plans", response={201: PaymentPlanOut, **WRITE_ERRORS})
def create_payment_plan(request, patient_id: int, payload: PaymentPlanIn):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    data = {**payload.dict(exclude={"invoice_id"}), **_linked(patient, payload)}
    return Status(201, _plan_out(payment_plans.create_payment_plan(patient, acting_user=request.user, **data)))


@router.get("/patients/{patient_id}/balance", response={200: BalanceOut, **ERRORS})
def balance(request, patient_id: int):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id)
    totals = account.account_totals(patient)
    return {"patient_id": patient.pk, **totals.__dict__, "balance_cents": totals.balance_cents}


@router.get("/patients/{patient_id}/estimate", response={200: EstimateOut, **ERRORS},
            summary="The estimate for the patient's signed treatment plan")
def patient_estimate(request, patient_id: int):
    personal_only(request)
    patient = access.get_patient(request.user, patient_id)
    result = estimates.patient_estimate(patient)
    if result.estimate is None:
        raise ValidationError({"plan": result.problem})
    return _estimate_out(result.estimate, result.extra_assumptions)


@router.post("/claims.csv", response={200: None, **WRITE_ERRORS}, summary="Claim-ready CSV, one line per charge")
def claims_csv(request, payload: ClaimsIn):
    personal_only(request)
    clinic = clinic_access.get_clinic_for_user(request.user, payload.clinic_id, Perm.BILLING_VIEW)
    if payload.end < payload.start:
        raise ValidationError({"end": "The period cannot end before it starts."})
    text = documents.claims_csv(clinic, payload.start, payload.end, insured_only=payload.insured_only,
                                acting_user=request.user)
    return HttpResponse(text, content_type="text/csv; charset=utf-8")
