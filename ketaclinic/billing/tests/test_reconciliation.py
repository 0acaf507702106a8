"""Totals reconcile on the demo data: for every patient, charges − payments − adjustments = balance
(payments net of refunds), whichever way the balance is computed: row by row here, in one SQL query
for the lists, per invoice plus what is on no invoice, and on the statement."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from ketaclinic.billing.models import Adjustment, Charge, Payment, Refund
from ketaclinic.billing.services import account
from ketaclinic.patients.models import Patient


def _sum(queryset) -> int:
    return queryset.aggregate(t=Sum("amount_cents"))["t"] or 0


@pytest.fixture
def frozen_now():
    """The demo is dated from the real today (the core demo measures weights up to 28 November 2026)."""
    yield None


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def by_hand(patient) -> tuple[int, int, int, int]:
    charges = sum(c.amount_cents for c in Charge.objects.filter(patient=patient) if c.status == "active")
    payments = sum(p.amount_cents for p in Payment.objects.filter(patient=patient))
    refunds = sum(r.amount_cents for r in Refund.objects.filter(payment__patient=patient))
    adjustments = sum(a.amount_cents for a in Adjustment.objects.filter(patient=patient))
    return charges, payments - refunds, adjustments, charges - (payments - refunds) - adjustments


def test_the_demo_has_a_self_pay_iv_course_and_an_insured_esketamine_course(demo):
    iv = Patient.objects.filter(charges__code="96365").distinct()
    assert any(not p.coverages.exists() for p in iv)
    esketamine = Charge.objects.filter(code="G2082", prior_authorization__status="approved").select_related("patient")
    assert esketamine.exists() and esketamine.first().patient.coverages.filter(active=True).exists()
    assert Payment.objects.filter(method="insurance").exists() and Adjustment.objects.filter(reason="contractual").exists()
    assert Refund.objects.exists()


def test_charges_minus_payments_minus_adjustments_is_the_balance_for_every_patient(demo):
    listed = {p.pk: p for p in account.with_balances(Patient.objects.all())}
    billed = Patient.objects.filter(charges__isnull=False).distinct()
    assert billed.count() >= 2
    for patient in Patient.objects.all():
        charges, net_payments, adjustments, balance = by_hand(patient)
        assert charges - net_payments - adjustments == balance
        assert account.account_totals(patient).balance_cents == balance, patient.mrn
        assert listed[patient.pk].balance_cents == balance, patient.mrn


def test_invoices_plus_what_is_on_no_invoice_add_up_to_the_balance(demo):
    for patient in Patient.objects.filter(charges__isnull=False).distinct():
        on_invoices = sum(account.invoice_totals(i).balance_cents for i in patient.invoices.filter(status="issued"))
        loose = (_sum(Charge.objects.filter(patient=patient, status="active", invoice__isnull=True))
                 - _sum(Payment.objects.filter(patient=patient, invoice__isnull=True))
                 + _sum(Refund.objects.filter(payment__patient=patient, payment__invoice__isnull=True))
                 - _sum(Adjustment.objects.filter(patient=patient, invoice__isnull=True)))
        assert on_invoices + loose == account.balance_cents(patient), patient.mrn


def test_the_demo_statement_closes_on_the_balance(demo):
    for patient in Patient.objects.filter(statements__isnull=False).distinct():
        statement = patient.statements.latest("generated_at")
        assert statement.closing_balance_cents == account.balance_cents(patient)
