"""Payment-plan arithmetic, hand-worked. Money is integer cents: 100_000 is $1,000.00."""

import datetime as dt

import pytest

from ketaclinic.clinical.instalments import (
    INSTALMENTS_MAX,
    Frequency,
    Instalment,
    InstalmentState,
    add_months,
    apply_payments,
    schedule,
    split_cents,
)


def test_it_splits_evenly_when_it_can():
    assert split_cents(90_000, 3) == (30_000, 30_000, 30_000)


def test_it_gives_leftover_cents_to_the_earliest_parts():
    # 100_000 / 3 = 33_333 rest 1 -> the first part takes the extra cent
    assert split_cents(100_000, 3) == (33_334, 33_333, 33_333)
    # 324_005 / 6 = 54_000 rest 5 -> five parts of 54_001 and one of 54_000
    assert split_cents(324_005, 6) == (54_001,) * 5 + (54_000,)


def test_a_split_always_sums_to_the_total():
    for total in (0, 1, 7, 99_999, 123_457):
        for parts in (1, 2, 5, 12):
            assert sum(split_cents(total, parts)) == total


def test_it_rejects_bad_split_input_naming_the_field():
    with pytest.raises(ValueError, match="parts: 0 is outside"):
        split_cents(100, 0)
    with pytest.raises(ValueError, match="total_cents: -1 is outside"):
        split_cents(-1, 2)
    with pytest.raises(ValueError, match="total_cents: 1.5 is not a whole number"):
        split_cents(1.5, 2)


def test_monthly_dates_fall_back_to_the_last_day_of_short_months():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)  # leap year
    assert add_months(dt.date(2026, 11, 30), 2) == dt.date(2027, 1, 30)  # across the year end


def test_a_monthly_plan_keeps_the_first_day_of_the_month():
    plan = schedule(100_000, 3, dt.date(2027, 1, 31))
    assert plan == (
        Instalment(1, dt.date(2027, 1, 31), 33_334),
        Instalment(2, dt.date(2027, 2, 28), 33_333),
        Instalment(3, dt.date(2027, 3, 31), 33_333),  # back to the 31st, not the 28th
    )


def test_a_biweekly_plan_is_due_every_fourteen_days():
    plan = schedule(60_000, 3, dt.date(2026, 12, 1), Frequency.BIWEEKLY)
    assert [i.due_on for i in plan] == [dt.date(2026, 12, 1), dt.date(2026, 12, 15), dt.date(2026, 12, 29)]
    assert [i.amount_cents for i in plan] == [20_000, 20_000, 20_000]


def test_it_rejects_bad_plans_naming_the_field():
    with pytest.raises(ValueError, match="count: 61 is outside"):
        schedule(100, INSTALMENTS_MAX + 1, dt.date(2027, 1, 1))
    with pytest.raises(ValueError, match="total_cents: 0 is outside"):
        schedule(0, 2, dt.date(2027, 1, 1))
    with pytest.raises(ValueError, match="first_due_on: .* must be a datetime.date"):
        schedule(100, 2, dt.datetime(2027, 1, 1))
    with pytest.raises(ValueError, match="frequency: 'weekly' is not one of"):
        schedule(100, 2, dt.date(2027, 1, 1), "weekly")


def test_payments_fill_the_oldest_instalment_first():
    plan = schedule(90_000, 3, dt.date(2027, 1, 15))  # 30_000 each
    # 45_000 paid: the first in full, 15_000 toward the second
    statuses = apply_payments(plan, 45_000, today=dt.date(2027, 1, 20))
    assert [(s.paid_cents, s.state) for s in statuses] == [
        (30_000, InstalmentState.PAID), (15_000, InstalmentState.PART_PAID), (0, InstalmentState.DUE),
    ]
    assert statuses[1].left_cents == 15_000


def test_an_unpaid_instalment_is_overdue_only_after_its_due_date():
    plan = schedule(90_000, 3, dt.date(2027, 1, 15))
    on_the_day = apply_payments(plan, 0, today=dt.date(2027, 1, 15))
    day_after = apply_payments(plan, 0, today=dt.date(2027, 1, 16))
    assert on_the_day[0].state == InstalmentState.DUE
    assert day_after[0].state == InstalmentState.OVERDUE
    assert day_after[1].state == InstalmentState.DUE


def test_overpayment_does_not_spill_past_the_last_instalment():
    plan = schedule(20_000, 2, dt.date(2027, 1, 15))
    statuses = apply_payments(plan, 25_000, today=dt.date(2027, 1, 1))
    assert [s.paid_cents for s in statuses] == [10_000, 10_000]
    assert all(s.state == InstalmentState.PAID for s in statuses)
