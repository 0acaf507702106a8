"""Invoices, payments, refunds, adjustments and balances.

The balance is computed from the rows, never stored:
    balance = charges (not voided) − payments + refunds − adjustments
An invoice's balance is the same sum over the charges, payments and adjustments put on it.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from ketaclinic.accounts import audit
from ketaclinic.billing.models import Adjustment, BillingProfile, Charge, Invoice, Payer, Payment, PaymentPlan, Refund
from ketaclinic.billing.services._common import clinic_today, record_create, record_update, require_positive_cents
from ketaclinic.clinical.pricing import format_usd
from ketaclinic.patients.models import Patient

ACTIVE = Charge.Status.ACTIVE


@dataclass(frozen=True)
class Totals:
    charges_cents: int
    payments_cents: int
    refunds_cents: int
    adjustments_cents: int

    @property
    def balance_cents(self) -> int:
        return self.charges_cents - self.payments_cents + self.refunds_cents - self.adjustments_cents

    @property
    def net_payments_cents(self) -> int:
        return self.payments_cents - self.refunds_cents


def _sum(queryset, field: str = "amount_cents") -> int:
    return queryset.aggregate(total=Coalesce(Sum(field), 0))["total"]


def account_totals(patient: Patient, *, before: dt.date | None = None, on_or_after: dt.date | None = None) -> Totals:
    """The patient's totals, optionally limited to activity dated before and/or on or after a day."""
    def dated(queryset, field):
        if before is not None:
            queryset = queryset.filter(**{f"{field}__lt": before})
        if on_or_after is not None:
            queryset = queryset.filter(**{f"{field}__gte": on_or_after})
        return queryset

    return Totals(
        charges_cents=_sum(dated(Charge.objects.filter(patient=patient, status=ACTIVE), "service_date")),
        payments_cents=_sum(dated(Payment.objects.filter(patient=patient), "received_on")),
        refunds_cents=_sum(dated(Refund.objects.filter(patient=patient), "refunded_on")),
        adjustments_cents=_sum(dated(Adjustment.objects.filter(patient=patient), "adjusted_on")),
    )


def balance_cents(patient: Patient) -> int:
    return account_totals(patient).balance_cents


def _subtotal(model, patient_ref: str = "pk", **filters) -> Subquery:
    rows = model.objects.filter(patient=OuterRef(patient_ref), **filters).values("patient")
    return Subquery(rows.annotate(total=Sum("amount_cents")).values("total")[:1], output_field=IntegerField())


def with_balances(patients: QuerySet) -> QuerySet:
    """Annotate each patient with charges_cents, payments_cents, refunds_cents, adjustments_cents and
    balance_cents in the same query (list pages must not run a query per row)."""
    zero = Value(0)
    patients = patients.annotate(
        charges_cents=Coalesce(_subtotal(Charge, status=ACTIVE), zero),
        payments_cents=Coalesce(_subtotal(Payment), zero),
        refunds_cents=Coalesce(_subtotal(Refund), zero),
        adjustments_cents=Coalesce(_subtotal(Adjustment), zero),
    )
    return patients.annotate(
        balance_cents=Coalesce("charges_cents", zero) - Coalesce("payments_cents", zero)
        + Coalesce("refunds_cents", zero) - Coalesce("adjustments_cents", zero)
    )


# --- invoices --------------------------------------------------------------------------------------

def invoice_totals(invoice: Invoice) -> Totals:
    return Totals(
        charges_cents=_sum(invoice.charges.filter(status=ACTIVE)),
        payments_cents=_sum(invoice.payments.all()),
        refunds_cents=_sum(Refund.objects.filter(payment__invoice=invoice)),
        adjustments_cents=_sum(invoice.adjustments.all()),
    )


def with_invoice_totals(invoices: QuerySet) -> QuerySet:
    def total(model, link, **filters):
        rows = model.objects.filter(**{link: OuterRef("pk")}, **filters).values(link)
        return Coalesce(Subquery(rows.annotate(t=Sum("amount_cents")).values("t")[:1], output_field=IntegerField()),
                        Value(0))

    invoices = invoices.annotate(
        charges_cents=total(Charge, "invoice", status=ACTIVE), payments_cents=total(Payment, "invoice"),
        refunds_cents=total(Refund, "payment__invoice"), adjustments_cents=total(Adjustment, "invoice"),
    )
    return invoices.annotate(balance_cents=Coalesce("charges_cents", Value(0)) - Coalesce("payments_cents", Value(0))
                             + Coalesce("refunds_cents", Value(0)) - Coalesce("adjustments_cents", Value(0)))


def _next_invoice_number(clinic) -> str:
    # Hold the clinic's billing row so two invoices made at once never share a number.
    profile, _ = BillingProfile.objects.select_for_update().get_or_create(clinic=clinic)
    number = f"{clinic.mrn_prefix}-{profile.invoice_next:06d}"
    BillingProfile.objects.filter(pk=profile.pk).update(invoice_next=profile.invoice_next + 1)
    return number


@transaction.atomic
def create_invoice(patient: Patient, *, charge_ids, issued_on: dt.date | None = None, note: str = "",
                   acting_user) -> Invoice:
    """An invoice for the patient's chosen charges that are not yet on one."""
    clinic = patient.clinic
    ids = {int(i) for i in charge_ids or []}
    charges = list(Charge.objects.select_for_update().filter(pk__in=ids, patient=patient, status=ACTIVE, invoice__isnull=True))
    if not ids or len(charges) != len(ids):
        raise ValidationError({"charge_ids": "Pick one or more of this patient's charges that are not on an invoice yet."})
    issued_on = issued_on or clinic_today(clinic)
    if issued_on > clinic_today(clinic):
        raise ValidationError({"issued_on": "must not be in the future."})
    terms = BillingProfile.objects.filter(clinic=clinic).values_list("payment_terms_days", flat=True).first()
    invoice = Invoice.objects.create(
        clinic=clinic, patient=patient, number=_next_invoice_number(clinic), issued_on=issued_on,
        due_on=issued_on + dt.timedelta(days=terms if terms is not None else BillingProfile().payment_terms_days),
        note=note.strip()[:200], created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    Charge.objects.filter(pk__in=ids).update(invoice=invoice)
    record_create(invoice, actor=acting_user, object_type="invoice", clinic=clinic, patient=patient,
                  summary=f"Issued invoice {invoice.number} for {format_usd(sum(c.amount_cents for c in charges))}")
    return invoice


@transaction.atomic
def void_invoice(invoice: Invoice, *, reason: str, acting_user) -> Invoice:
    """Void an invoice nothing was paid or adjusted on; its charges return to "not invoiced"."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == Invoice.Status.VOID:
        raise ValidationError({"status": "This invoice is already void."})
    if invoice.payments.exists() or invoice.adjustments.exists():
        raise ValidationError({"status": "Payments or adjustments are recorded on this invoice; it cannot be voided."})
    if not reason.strip():
        raise ValidationError({"void_reason": "Say why the invoice is voided."})
    before = audit.snapshot(invoice, ("status", "void_reason"))
    invoice.status, invoice.void_reason = Invoice.Status.VOID, reason.strip()[:200]
    invoice.save(update_fields=["status", "void_reason"])
    Charge.objects.filter(invoice=invoice).update(invoice=None)
    record_update(invoice, before, actor=acting_user, object_type="invoice", clinic=invoice.clinic_id,
                  patient=invoice.patient_id, summary=f"Voided invoice {invoice.number}")
    return invoice


# --- payments, refunds, adjustments ----------------------------------------------------------------

def _fresh(obj):
    """The row as it is now (a form or a caller may hold a copy read before someone voided it)."""
    return None if obj is None else type(obj).objects.get(pk=obj.pk)


def _check_invoice(invoice: Invoice | None, patient: Patient, amount_cents: int, what: str) -> None:
    if invoice is None:
        return
    if invoice.patient_id != patient.pk:
        raise ValidationError({"invoice": "That invoice belongs to another patient."})
    if invoice.status != Invoice.Status.ISSUED:
        raise ValidationError({"invoice": "That invoice is void."})
    owed = invoice_totals(invoice).balance_cents
    if amount_cents > owed:
        raise ValidationError({"amount_cents": f"{format_usd(amount_cents)} is more than the invoice's balance of "
                                               f"{format_usd(owed)}; record the {what} without an invoice for the rest."})


def _check_plan(plan: PaymentPlan | None, patient: Patient) -> None:
    if plan is None:
        return
    if plan.patient_id != patient.pk:
        raise ValidationError({"payment_plan": "That payment plan belongs to another patient."})
    if plan.status != PaymentPlan.Status.ACTIVE:
        raise ValidationError({"payment_plan": "That payment plan is no longer active."})


def _check_payer(method: str, payer: Payer | None, patient: Patient) -> None:
    if method == Payment.Method.INSURANCE and payer is None:
        raise ValidationError({"payer": "Say which payer sent the insurance payment."})
    if payer is not None and payer.clinic_id != patient.clinic_id:
        raise ValidationError({"payer": "That payer belongs to another clinic."})


@transaction.atomic
def record_payment(patient: Patient, *, data: dict[str, Any], acting_user) -> Payment:
    """Money received (no card processing: staff record what the terminal, payer or lender reported)."""
    Patient.objects.select_for_update().get(pk=patient.pk)  # serialise money on one account
    amount = require_positive_cents("amount_cents", data.get("amount_cents"))
    method = data.get("method")
    if method not in Payment.Method.values:
        raise ValidationError({"method": f"Pick how it was paid: {', '.join(Payment.Method.labels)}."})
    received_on = data.get("received_on") or clinic_today(patient.clinic)
    if received_on > clinic_today(patient.clinic):
        raise ValidationError({"received_on": "must not be in the future."})
    invoice, plan, payer = _fresh(data.get("invoice")), _fresh(data.get("payment_plan")), data.get("payer")
    _check_payer(method, payer, patient)
    _check_plan(plan, patient)
    if plan is not None and invoice is None:
        invoice = plan.invoice
    _check_invoice(invoice, patient, amount, "payment")
    payment = Payment.objects.create(
        clinic_id=patient.clinic_id, patient=patient, invoice=invoice, payment_plan=plan, payer=payer,
        received_on=received_on, amount_cents=amount, method=method, reference=(data.get("reference") or "").strip()[:60],
        note=(data.get("note") or "").strip()[:200], recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record_create(payment, actor=acting_user, object_type="payment", clinic=patient.clinic_id, patient=patient,
                  summary=f"Recorded a {payment.get_method_display().lower()} payment of {format_usd(amount)}")
    if plan is not None:
        from ketaclinic.billing.services.payment_plans import complete_if_paid
        complete_if_paid(plan, acting_user=acting_user)
    return payment


def refundable_cents(payment: Payment) -> int:
    return payment.amount_cents - _sum(payment.refunds.all())


@transaction.atomic
def record_refund(payment: Payment, *, amount_cents, refunded_on: dt.date | None = None, reason: str,
                  acting_user) -> Refund:
    payment = Payment.objects.select_for_update().select_related("patient__clinic").get(pk=payment.pk)
    amount = require_positive_cents("amount_cents", amount_cents)
    left = refundable_cents(payment)
    if amount > left:
        raise ValidationError({"amount_cents": f"Only {format_usd(left)} of this payment can still be refunded."})
    refunded_on = refunded_on or clinic_today(payment.patient.clinic)
    if refunded_on < payment.received_on:
        raise ValidationError({"refunded_on": "A refund cannot be dated before the payment."})
    if refunded_on > clinic_today(payment.patient.clinic):
        raise ValidationError({"refunded_on": "must not be in the future."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the money is refunded."})
    refund = Refund.objects.create(payment=payment, patient_id=payment.patient_id, refunded_on=refunded_on,
                                   amount_cents=amount, reason=reason.strip()[:200],
                                   recorded_by=acting_user if getattr(acting_user, "pk", None) else None)
    record_create(refund, actor=acting_user, object_type="refund", clinic=payment.clinic_id, patient=payment.patient_id,
                  summary=f"Refunded {format_usd(amount)}")
    return refund


@transaction.atomic
def record_adjustment(patient: Patient, *, data: dict[str, Any], acting_user) -> Adjustment:
    """Lower what the patient owes without money changing hands (payer's allowed amount, discount...)."""
    Patient.objects.select_for_update().get(pk=patient.pk)
    amount = require_positive_cents("amount_cents", data.get("amount_cents"))
    reason = data.get("reason")
    if reason not in Adjustment.Reason.values:
        raise ValidationError({"reason": "Pick a reason for the adjustment."})
    adjusted_on = data.get("adjusted_on") or clinic_today(patient.clinic)
    if adjusted_on > clinic_today(patient.clinic):
        raise ValidationError({"adjusted_on": "must not be in the future."})
    invoice = _fresh(data.get("invoice"))
    _check_invoice(invoice, patient, amount, "adjustment")
    owed = balance_cents(patient)
    if amount > owed:
        raise ValidationError({"amount_cents": f"{format_usd(amount)} is more than the {format_usd(max(owed, 0))} "
                                               "the patient owes; an adjustment cannot create a credit."})
    adjustment = Adjustment.objects.create(
        clinic_id=patient.clinic_id, patient=patient, invoice=invoice, adjusted_on=adjusted_on, amount_cents=amount,
        reason=reason, note=(data.get("note") or "").strip()[:200],
        recorded_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record_create(adjustment, actor=acting_user, object_type="adjustment", clinic=patient.clinic_id, patient=patient,
                  summary=f"Adjusted {format_usd(amount)} ({adjustment.get_reason_display().lower()})")
    return adjustment


def activity(patient: Patient, *, start: dt.date | None = None, end: dt.date | None = None) -> list[dict]:
    """Every charge, payment, refund and adjustment of the patient, oldest first, as statement lines."""
    def window(queryset, field):
        if start is not None:
            queryset = queryset.filter(**{f"{field}__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{field}__lte": end})
        return queryset

    rows = [{"on": c.service_date, "kind": "charge", "text": f"{c.code} {c.description}", "units": c.units,
             "amount_cents": c.amount_cents} for c in window(Charge.objects.filter(patient=patient, status=ACTIVE), "service_date")]
    rows += [{"on": p.received_on, "kind": "payment", "text": f"Payment, {p.get_method_display().lower()}",
              "amount_cents": -p.amount_cents} for p in window(Payment.objects.filter(patient=patient), "received_on")]
    rows += [{"on": r.refunded_on, "kind": "refund", "text": f"Refund: {r.reason}", "amount_cents": r.amount_cents}
             for r in window(Refund.objects.filter(patient=patient), "refunded_on")]
    rows += [{"on": a.adjusted_on, "kind": "adjustment", "text": f"Adjustment: {a.get_reason_display()}",
              "amount_cents": -a.amount_cents} for a in window(Adjustment.objects.filter(patient=patient), "adjusted_on")]
    order = {"charge": 0, "payment": 1, "adjustment": 2, "refund": 3}
    return sorted(rows, key=lambda r: (r["on"], order[r["kind"]]))


def uninvoiced_charges(patient: Patient) -> QuerySet:
    return Charge.objects.filter(patient=patient, status=ACTIVE, invoice__isnull=True).order_by("service_date", "id")

