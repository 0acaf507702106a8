import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ketaclinic.billing.models import PlanInstalment
from ketaclinic.billing.services import account, charges, payment_plans, statements
from ketaclinic.clinical.instalments import InstalmentState


@pytest.fixture
def owed(patient, price_list, biller):
    """Pat owes $600: one IV infusion by hand on 2 March."""
    charge = charges.create_charge(patient, data={"code": "96365", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    return account.create_invoice(patient, charge_ids=[charge.pk], acting_user=biller)


def test_a_plan_splits_the_balance_into_dated_instalments(patient, owed, biller):
    plan = payment_plans.create_payment_plan(patient, total_cents=60_000, count=3, first_due_on=dt.date(2026, 3, 31),
                                             frequency="monthly", invoice=owed, acting_user=biller)
    rows = list(PlanInstalment.objects.filter(plan=plan).values_list("due_on", "amount_cents"))
    assert rows == [(dt.date(2026, 3, 31), 20_000), (dt.date(2026, 4, 30), 20_000), (dt.date(2026, 5, 31), 20_000)]


def test_payments_toward_a_plan_mark_instalments_and_complete_it(patient, owed, biller):
    plan = payment_plans.create_payment_plan(patient, total_cents=60_000, count=3, first_due_on=dt.date(2026, 3, 20),
                                             frequency="biweekly", invoice=owed, acting_user=biller)
    account.record_payment(patient, data={"amount_cents": 30_000, "method": "card", "payment_plan": plan}, acting_user=biller)
    with time_machine.travel(dt.datetime(2026, 4, 4, 20, tzinfo=dt.timezone.utc), tick=False):
        states = [s.state for s in payment_plans.instalment_statuses(plan)]
    # Due 20 Mar, 3 Apr, 17 Apr; $300 pays the first and half the second, which is overdue on 4 April.
    assert states == [InstalmentState.PAID, InstalmentState.OVERDUE, InstalmentState.DUE]
    account.record_payment(patient, data={"amount_cents": 30_000, "method": "card", "payment_plan": plan}, acting_user=biller)
    plan.refresh_from_db()
    assert plan.status == "completed"
    assert account.invoice_totals(owed).balance_cents == 0  # a plan's payments land on its invoice


@pytest.mark.parametrize("data, field", [
    ({"total_cents": 60_001}, "total_cents"),  # more than is owed
    ({"count": 0}, "count"),
    ({"first_due_on": dt.date(2026, 3, 15)}, "first_due_on"),  # yesterday
    ({"frequency": "weekly"}, "frequency"),
])
def test_bad_plans_name_the_field(patient, owed, biller, data, field):
    args = {"total_cents": 60_000, "count": 3, "first_due_on": dt.date(2026, 4, 1), "frequency": "monthly", **data}
    with pytest.raises(ValidationError) as error:
        payment_plans.create_payment_plan(patient, acting_user=biller, **args)
    assert field in error.value.message_dict
    assert not patient.payment_plans.exists()


def test_a_cancelled_plan_takes_no_more_payments(patient, owed, biller):
    plan = payment_plans.create_payment_plan(patient, total_cents=60_000, count=2, first_due_on=dt.date(2026, 4, 1),
                                             frequency="monthly", acting_user=biller)
    payment_plans.cancel_payment_plan(plan, reason="Paid by financing instead", acting_user=biller)
    with pytest.raises(ValidationError, match="no longer active"):
        account.record_payment(patient, data={"amount_cents": 100, "method": "cash", "payment_plan": plan}, acting_user=biller)


def test_a_statement_freezes_the_period_and_its_balances(patient, owed, biller):
    account.record_payment(patient, data={"amount_cents": 10_000, "method": "cash", "received_on": dt.date(2026, 2, 20)},
                           acting_user=biller)  # before the period: opening balance −10_000
    account.record_payment(patient, data={"amount_cents": 20_000, "method": "card", "invoice": owed}, acting_user=biller)
    statement = statements.create_statement(patient, period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 16),
                                            acting_user=biller)
    assert (statement.opening_balance_cents, statement.charges_cents, statement.payments_cents) == (-10_000, 60_000, 20_000)
    # −10_000 + 60_000 − 20_000 = 30_000, which is also the account balance now
    assert statement.closing_balance_cents == 30_000 == account.balance_cents(patient)


def test_a_statement_cannot_run_into_the_future(patient, biller):
    with pytest.raises(ValidationError) as error:
        statements.create_statement(patient, period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 17),
                                    acting_user=biller)
    assert "period_end" in error.value.message_dict
