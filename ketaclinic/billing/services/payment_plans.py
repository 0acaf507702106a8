"""Payment plans: a balance (or one invoice's balance) paid in dated instalments.

The dates and amounts come from the pure ``ketaclinic.clinical.instalments.schedule``; which instalments
are paid is worked out from the payments recorded toward the plan (net of refunds), oldest first.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce

from ketaclinic.accounts import audit
from ketaclinic.billing.models import Invoice, PaymentPlan, PlanInstalment, Refund
from ketaclinic.billing.services._common import clinic_today, record_create, record_update, require_positive_cents
from ketaclinic.billing.services.account import balance_cents, invoice_totals
from ketaclinic.clinical import instalments
from ketaclinic.clinical.pricing import format_usd
from ketaclinic.patients.models import Patient


def _owed(patient: Patient, invoice: Invoice | None) -> int:
    if invoice is None:
        return balance_cents(patient)
    invoice = Invoice.objects.get(pk=invoice.pk)
    if invoice.patient_id != patient.pk:
        raise ValidationError({"invoice": "That invoice belongs to another patient."})
    if invoice.status != Invoice.Status.ISSUED:
        raise ValidationError({"invoice": "That invoice is void."})
    return invoice_totals(invoice).balance_cents


@transaction.atomic
def create_payment_plan(patient: Patient, *, total_cents, count, first_due_on: dt.date, frequency: str,
                        invoice: Invoice | None = None, note: str = "", acting_user) -> PaymentPlan:
    Patient.objects.select_for_update().get(pk=patient.pk)
    total = require_positive_cents("total_cents", total_cents)
    owed = _owed(patient, invoice)
    if total > owed:
        raise ValidationError({"total_cents": f"{format_usd(total)} is more than the {format_usd(max(owed, 0))} owed."})
    if first_due_on < clinic_today(patient.clinic):
        raise ValidationError({"first_due_on": "The first instalment cannot be due in the past."})
    if frequency not in PaymentPlan.Frequency.values:
        raise ValidationError({"frequency": "Pick monthly or every two weeks."})
    if invoice is not None and PaymentPlan.objects.filter(invoice=invoice, status=PaymentPlan.Status.ACTIVE).exists():
        raise ValidationError({"invoice": "That invoice already has an active payment plan."})
    try:
        rows = instalments.schedule(total, count, first_due_on, frequency)
    except ValueError as error:
        field = str(error).split(":")[0]
        raise ValidationError({field if field in ("count", "first_due_on") else "count": str(error)}) from None
    plan = PaymentPlan.objects.create(
        clinic_id=patient.clinic_id, patient=patient, invoice=invoice, total_cents=total, frequency=frequency,
        note=note.strip()[:200], created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    PlanInstalment.objects.bulk_create(
        PlanInstalment(plan=plan, number=r.number, due_on=r.due_on, amount_cents=r.amount_cents) for r in rows
    )
    record_create(plan, actor=acting_user, object_type="payment_plan", clinic=patient.clinic_id, patient=patient,
                  summary=f"Payment plan: {format_usd(total)} in {count} instalments")
    return plan


def paid_toward(plan: PaymentPlan) -> int:
    paid = plan.payments.aggregate(t=Coalesce(Sum("amount_cents"), 0))["t"]
    refunded = Refund.objects.filter(payment__payment_plan=plan).aggregate(t=Coalesce(Sum("amount_cents"), 0))["t"]
    return paid - refunded


def instalment_statuses(plan: PaymentPlan, today: dt.date | None = None):
    rows = [instalments.Instalment(i.number, i.due_on, i.amount_cents) for i in plan.instalments.all()]
    return instalments.apply_payments(rows, max(0, paid_toward(plan)), today or clinic_today(plan.patient.clinic))


def next_due(plan: PaymentPlan, today: dt.date | None = None):
    return next((s for s in instalment_statuses(plan, today) if s.state != instalments.InstalmentState.PAID), None)


@transaction.atomic
def complete_if_paid(plan: PaymentPlan, *, acting_user) -> PaymentPlan:
    plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == PaymentPlan.Status.ACTIVE and paid_toward(plan) >= plan.total_cents:
        before = audit.snapshot(plan, ("status",))
        plan.status = PaymentPlan.Status.COMPLETED
        plan.save(update_fields=["status"])
        record_update(plan, before, actor=acting_user, object_type="payment_plan", clinic=plan.clinic_id,
                      patient=plan.patient_id, summary="Payment plan paid in full")
    return plan


@transaction.atomic
def cancel_payment_plan(plan: PaymentPlan, *, reason: str, acting_user) -> PaymentPlan:
    plan = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PaymentPlan.Status.ACTIVE:
        raise ValidationError({"status": "Only an active plan can be cancelled."})
    if not reason.strip():
        raise ValidationError({"note": "Say why the plan is cancelled."})
    before = audit.snapshot(plan, ("status", "note"))
    plan.status = PaymentPlan.Status.CANCELLED
    plan.note = f"{plan.note} Cancelled: {reason.strip()}".strip()[:200]
    plan.save(update_fields=["status", "note"])
    record_update(plan, before, actor=acting_user, object_type="payment_plan", clinic=plan.clinic_id,
                  patient=plan.patient_id, summary="Cancelled a payment plan")
    return plan
