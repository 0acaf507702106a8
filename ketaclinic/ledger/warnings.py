"""Warnings for the floor board and the ledger home: expiry, low stock, open discrepancies, unaccounted draws, the
biennial inventory. No patient data in them: the floor board is seen across the room."""

import datetime as dt

from django.db.models import Count as Tally
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.ledger.models import Container, Count, DiscrepancyCase, Entry, Stock

# 21 CFR 1304.11: a complete inventory at least every two years (clinical.md §8 [63]); warn a month ahead.
BIENNIAL_INVENTORY_INTERVAL = dt.timedelta(days=730)
BIENNIAL_WARNING_AHEAD = dt.timedelta(days=30)  # [UNSOURCED – common practice]


def for_clinic(clinic: Clinic, today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate(timezone=clinic.tz)
    stocks = list(Stock.objects.filter(clinic=clinic).select_related("product").annotate(
        usable=Tally("product__containers", filter=Q(product__containers__clinic=clinic, product__containers__status__in=Container.USABLE)),
    ))
    messages = _expiry(clinic, stocks, today) + _low_stock(stocks)
    messages += _open_cases(clinic) + _unaccounted_draws(clinic, today) + _inventory_due(clinic, stocks, today)
    return messages


def _expiry(clinic: Clinic, stocks: list[Stock], today: dt.date) -> list[str]:
    messages = []
    for stock in stocks:
        usable = Container.objects.filter(clinic=clinic, product=stock.product, status__in=Container.USABLE)
        expired = usable.filter(expires_on__lt=today).count()
        soon = usable.filter(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=stock.expiry_warning_days))
        first = soon.order_by("expires_on").values_list("expires_on", flat=True).first()
        name = f"{stock.product.name} {stock.product.strength_label}"
        if expired:
            messages.append(f"{name}: {expired} {_unit(stock, expired)} expired in the cabinet; record the disposal.")
        if first:
            n = soon.count()
            messages.append(f"{name}: {n} {_unit(stock, n)} expire{'s' if n == 1 else ''} by {first:%m/%d/%Y}.")
    return messages


def _low_stock(stocks: list[Stock]) -> list[str]:
    return [
        f"{s.product.name} {s.product.strength_label}: {s.usable} {_unit(s, s.usable)} left (warning at {s.low_stock_containers})."
        for s in stocks if s.seq and s.usable <= s.low_stock_containers
    ]


def _open_cases(clinic: Clinic) -> list[str]:
    n = DiscrepancyCase.objects.filter(clinic=clinic, resolution__isnull=True).count()
    return [f"{n} controlled-substance discrepanc{'y' if n == 1 else 'ies'} open: a physician must resolve {'it' if n == 1 else 'them'}."] if n else []


def _unaccounted_draws(clinic: Clinic, today: dt.date) -> list[str]:
    """Draws from before today whose syringe still holds drug: administered or wasted was never recorded."""
    start_of_day = dt.datetime.combine(today, dt.time(), tzinfo=clinic.tz)
    chain = Entry.objects.filter(Q(pk=OuterRef("pk")) | Q(draw_id=OuterRef("pk"))).order_by("-container_seq")
    draws = Entry.objects.filter(clinic=clinic, kind=Entry.Kind.DRAW, reverses__isnull=True, at__lt=start_of_day).annotate(
        left_mg=Subquery(chain.values("draw_balance_mg")[:1])
    ).filter(left_mg__gt=0)
    n = draws.count()
    return [f"{n} earlier draw{'s' if n != 1 else ''} not fully administered or wasted: record the rest with a witness."] if n else []


def _inventory_due(clinic: Clinic, stocks: list[Stock], today: dt.date) -> list[str]:
    if not any(s.seq for s in stocks):
        return []
    last = Count.objects.filter(clinic=clinic, kind__in=Count.INVENTORIES).aggregate(at=Max("at"))["at"]
    if last is None:
        return ["No initial or biennial inventory on record (21 CFR 1304.11): take one with a second person."]
    due = timezone.localtime(last, clinic.tz).date() + BIENNIAL_INVENTORY_INTERVAL
    if today + BIENNIAL_WARNING_AHEAD >= due:
        return [f"Biennial inventory due by {due:%m/%d/%Y} (21 CFR 1304.11)."]
    return []


def _unit(stock: Stock, n: int) -> str:
    return stock.product.unit_label + ("" if n == 1 else "s")
