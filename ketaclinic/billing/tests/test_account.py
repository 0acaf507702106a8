"""Invoices, payments, refunds, adjustments and balances (integer cents)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conftest import make_patient
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.billing.models import Charge, Payment
from ketaclinic.billing.services import account, charges, insurance
from ketaclinic.patients.models import Patient


def charge(patient, biller, code="90792", day=dt.date(2026, 3, 2), **data):
    return charges.create_charge(patient, data={"code": code, "service_date": day, **data}, acting_user=biller)


@pytest.fixture
def invoice(patient, price_list, biller):
    a, b = charge(patient, biller), charge(patient, biller, "CANCEL")  # 35_000 + 10_000
    return account.create_invoice(patient, charge_ids=[a.pk, b.pk], acting_user=biller)


def test_an_invoice_takes_the_next_number_and_the_clinics_terms(invoice, patient, price_list, biller):
    assert (invoice.number, invoice.issued_on, invoice.due_on) == ("WS-000001", dt.date(2026, 3, 16), dt.date(2026, 4, 15))
    second = account.create_invoice(patient, charge_ids=[charge(patient, biller).pk], acting_user=biller)
    assert second.number == "WS-000002"
    assert account.invoice_totals(invoice).charges_cents == 45_000


def test_a_charge_goes_on_one_invoice_only(invoice, patient, biller):
    with pytest.raises(ValidationError, match="not on an invoice yet"):
        account.create_invoice(patient, charge_ids=list(invoice.charges.values_list("pk", flat=True)), acting_user=biller)


def test_another_patients_charge_cannot_be_invoiced(patient, other_patient, price_list, biller):
    theirs = charge(other_patient, biller)
    with pytest.raises(ValidationError, match="this patient's charges"):
        account.create_invoice(patient, charge_ids=[theirs.pk], acting_user=biller)
    assert Charge.objects.get(pk=theirs.pk).invoice is None


def test_a_partial_payment_leaves_a_balance(invoice, patient, biller):
    account.record_payment(patient, data={"amount_cents": 20_000, "method": "card", "invoice": invoice,
                                          "reference": "Visa 4242"}, acting_user=biller)
    assert account.invoice_totals(invoice).balance_cents == 25_000
    assert account.balance_cents(patient) == 25_000
    row = AuditEvent.objects.get(object_type="payment")
    assert row.summary == "Recorded a card payment of $200.00"


def test_a_payment_above_the_invoice_balance_is_refused(invoice, patient, biller):
    with pytest.raises(ValidationError) as error:
        account.record_payment(patient, data={"amount_cents": 45_001, "method": "cash", "invoice": invoice}, acting_user=biller)
    assert "amount_cents" in error.value.message_dict and not Payment.objects.exists()


@pytest.mark.parametrize("data, field", [
    ({"amount_cents": 0}, "amount_cents"),
    ({"amount_cents": 10.5}, "amount_cents"),
    ({"method": "bitcoin"}, "method"),
    ({"method": "insurance"}, "payer"),
    ({"received_on": dt.date(2026, 3, 17)}, "received_on"),
])
def test_bad_payments_name_the_field(patient, biller, data, field):
    with pytest.raises(ValidationError) as error:
        account.record_payment(patient, data={"amount_cents": 1_000, "method": "cash", **data}, acting_user=biller)
    assert field in error.value.message_dict


def test_another_patients_invoice_or_another_clinics_payer_is_refused(invoice, other_patient, pasadena, biller):
    with pytest.raises(ValidationError, match="another patient"):
        account.record_payment(other_patient, data={"amount_cents": 100, "method": "cash", "invoice": invoice},
                               acting_user=biller)
    far = insurance.create_payer(pasadena, data={"name": "Far Health"}, acting_user=None)
    with pytest.raises(ValidationError, match="another clinic"):
        account.record_payment(other_patient, data={"amount_cents": 100, "method": "insurance", "payer": far},
                               acting_user=biller)


def test_a_payment_without_an_invoice_is_account_credit(patient, biller):
    account.record_payment(patient, data={"amount_cents": 50_000, "method": "financing"}, acting_user=biller)
    assert account.balance_cents(patient) == -50_000


def test_refunds_cannot_exceed_what_was_paid(patient, biller):
    payment = account.record_payment(patient, data={"amount_cents": 10_000, "method": "card"}, acting_user=biller)
    account.record_refund(payment, amount_cents=6_000, reason="Overpaid", acting_user=biller)
    with pytest.raises(ValidationError, match=r"Only \$40.00"):
        account.record_refund(payment, amount_cents=4_001, reason="Again", acting_user=biller)
    with pytest.raises(ValidationError, match="Say why"):
        account.record_refund(payment, amount_cents=1, reason="", acting_user=biller)
    assert account.account_totals(patient).balance_cents == -4_000  # −10_000 paid + 6_000 back


def test_an_adjustment_cannot_create_a_credit(invoice, patient, biller):
    account.record_adjustment(patient, data={"amount_cents": 5_000, "reason": "courtesy", "invoice": invoice},
                              acting_user=biller)
    with pytest.raises(ValidationError, match="cannot create a credit"):
        account.record_adjustment(patient, data={"amount_cents": 40_001, "reason": "discount"}, acting_user=biller)
    with pytest.raises(ValidationError) as error:
        account.record_adjustment(patient, data={"amount_cents": 100, "reason": "whim"}, acting_user=biller)
    assert "reason" in error.value.message_dict
    assert account.balance_cents(patient) == 40_000


def test_voiding_an_invoice_frees_its_charges_unless_money_is_on_it(invoice, patient, biller):
    account.record_payment(patient, data={"amount_cents": 100, "method": "cash", "invoice": invoice}, acting_user=biller)
    with pytest.raises(ValidationError, match="cannot be voided"):
        account.void_invoice(invoice, reason="typo", acting_user=biller)
    fresh = account.create_invoice(patient, charge_ids=[charge(patient, biller).pk], acting_user=biller)
    account.void_invoice(fresh, reason="wrong patient", acting_user=biller)
    assert account.uninvoiced_charges(patient).count() == 1


def test_balances_in_one_query_match_the_totals(patient, other_patient, price_list, biller, django_assert_num_queries):
    charge(patient, biller)
    account.record_payment(patient, data={"amount_cents": 5_000, "method": "cash"}, acting_user=biller)
    with django_assert_num_queries(1):
        rows = {p.pk: p.balance_cents for p in account.with_balances(Patient.objects.all())}
    assert rows == {patient.pk: account.balance_cents(patient), other_patient.pk: 0}
    assert rows[patient.pk] == 30_000


def test_voided_charges_do_not_count(patient, price_list, biller):
    c = charge(patient, biller)
    charges.void_charge(c, reason="duplicate", acting_user=biller)
    assert account.balance_cents(patient) == 0


def test_activity_lists_every_row_oldest_first(patient, price_list, biller, westside):
    charge(patient, biller, day=dt.date(2026, 3, 2))
    account.record_payment(patient, data={"amount_cents": 5_000, "method": "cash", "received_on": dt.date(2026, 3, 1)},
                           acting_user=biller)
    assert [row["kind"] for row in account.activity(patient)] == ["payment", "charge"]
    assert account.activity(make_patient(westside, 9)) == []
