"""Splitting money into parts and payment plans into dated instalments.

Pure arithmetic for the billing area: integer cents, calendar dates, "today" passed in. Used for
payment plans (a balance paid in instalments), for spreading an induction-package price over its
infusions, and for working out which instalments a running total of payments has covered.

Conventions: a split never loses or invents a cent (the parts always sum to the total); the leftover
cents go to the earliest parts, one each, so no two parts differ by more than one cent. Monthly due
dates keep the first due date's day of the month and fall back to the month's last day when the month
is shorter (31 January, then 28/29 February, then 31 March).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
from dataclasses import dataclass

# Input sanity bounds, not business rules: a plan of more than five years of monthly payments is a typo.
INSTALMENTS_MAX = 60
BIWEEKLY_DAYS = 14


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    BIWEEKLY = "biweekly"  # every two weeks


class InstalmentState(enum.StrEnum):
    PAID = "paid"
    PART_PAID = "part-paid"
    DUE = "due"  # not yet due, or due today
    OVERDUE = "overdue"  # due date passed and not fully paid


@dataclass(frozen=True)
class Instalment:
    number: int  # 1-based
    due_on: dt.date
    amount_cents: int


@dataclass(frozen=True)
class InstalmentStatus:
    number: int
    due_on: dt.date
    amount_cents: int
    paid_cents: int
    state: InstalmentState

    @property
    def left_cents(self) -> int:
        return self.amount_cents - self.paid_cents


def _check_whole(name: str, value: object, lo: int, hi: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}: {value!r} is not a whole number")
    if value < lo or (hi is not None and value > hi):
        bound = f"[{lo}, {hi}]" if hi is not None else f"at least {lo}"
        raise ValueError(f"{name}: {value} is outside {bound}")
    return value


def _check_date(name: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"{name}: {value!r} must be a datetime.date")
    return value


def split_cents(total_cents: int, parts: int) -> tuple[int, ...]:
    """``total_cents`` in ``parts`` near-equal parts; leftover cents go to the earliest parts.

    >>> split_cents(100_000, 3)
    (33334, 33333, 33333)
    """
    _check_whole("total_cents", total_cents, 0)
    _check_whole("parts", parts, 1)
    base, leftover = divmod(total_cents, parts)
    return tuple(base + (1 if n < leftover else 0) for n in range(parts))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` later, or that month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(total_cents: int, count: int, first_due_on: dt.date,
             frequency: Frequency | str = Frequency.MONTHLY) -> tuple[Instalment, ...]:
    """``count`` instalments summing to ``total_cents``, the first due on ``first_due_on``.

    Monthly dates are counted from the first due date (not from the previous instalment), so a plan
    starting on 31 January is due on the 31st whenever the month has one.
    """
    _check_whole("total_cents", total_cents, 1)
    _check_whole("count", count, 1, INSTALMENTS_MAX)
    _check_date("first_due_on", first_due_on)
    try:
        frequency = Frequency(frequency)
    except ValueError:
        raise ValueError(f"frequency: {frequency!r} is not one of {', '.join(Frequency)}") from None
    amounts = split_cents(total_cents, count)
    return tuple(
        Instalment(n + 1, _due_on(first_due_on, n, frequency), amount) for n, amount in enumerate(amounts)
    )


def _due_on(first: dt.date, index: int, frequency: Frequency) -> dt.date:
    if frequency is Frequency.MONTHLY:
        return add_months(first, index)
    return first + dt.timedelta(days=BIWEEKLY_DAYS * index)


def apply_payments(instalments, paid_cents: int, today: dt.date) -> tuple[InstalmentStatus, ...]:
    """Which instalments ``paid_cents`` (all payments toward the plan so far) has covered, oldest first.

    A payment larger than one instalment pays the next ones early; what is left over after the last
    instalment is not the plan's business (the caller shows it as account credit).
    """
    _check_whole("paid_cents", paid_cents, 0)
    _check_date("today", today)
    left = paid_cents
    statuses = []
    for item in sorted(instalments, key=lambda i: i.number):
        paid = min(left, item.amount_cents)
        left -= paid
        statuses.append(InstalmentStatus(item.number, item.due_on, item.amount_cents, paid,
                                         _state(item, paid, today)))
    return tuple(statuses)


def _state(item: Instalment, paid_cents: int, today: dt.date) -> InstalmentState:
    if paid_cents >= item.amount_cents:
        return InstalmentState.PAID
    if item.due_on < today:
        return InstalmentState.OVERDUE
    return InstalmentState.PART_PAID if paid_cents else InstalmentState.DUE
