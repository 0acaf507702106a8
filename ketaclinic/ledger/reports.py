"""Reconciliation per clinic and period, and the dispensing record of 21 CFR 1304.22(c) (clinical.md §8).

The arithmetic is the pure core's (``ketaclinic.clinical.ledger.reconcile``): opening + received + transferred in −
administered − wasted − returned − disposed − lost − transferred out must equal the closing balance the ledger stored.
Opening and closing are what the clinic must account for: the cabinet plus what drawn syringes still hold.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models import Count, CountLine, DiscrepancyCase, DrugProduct, Entry, Stock


@dataclass
class ProductReconciliation:
    product: DrugProduct
    result: ledger.Reconciliation
    opening_syringes: ledger.Quantity
    closing_cabinet: ledger.Quantity
    closing_syringes: ledger.Quantity
    last_count: CountLine | None = None

    def describe(self, amount: ledger.Quantity) -> str:
        return ledger.describe(amount, self.product.mg_per_container)

    @property
    def lines(self) -> list[tuple[str, ledger.Quantity]]:
        s = self.result.summary
        return [
            ("Opening balance", self.result.opening), ("Received", s.received), ("Transferred in", s.transferred_in),
            ("Drawn", s.drawn), ("Administered", s.administered), ("Wasted", s.wasted), ("Returned", s.returned),
            ("Disposed (expired)", s.disposed), ("Lost or stolen", s.lost), ("Transferred out", s.transferred_out),
            ("Expected closing balance", self.result.expected_closing), ("Recorded closing balance", self.result.recorded_closing),
            ("  of which in the cabinet", self.closing_cabinet), ("  of which drawn, not yet given or wasted", self.closing_syringes),
        ]


@dataclass
class ReconciliationReport:
    clinic: Clinic
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    rows: list[ProductReconciliation] = field(default_factory=list)
    cases: list[DiscrepancyCase] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)

    @property
    def balances(self) -> bool:
        return all(row.result.balances for row in self.rows)

    @property
    def open_cases(self) -> int:
        return sum(1 for case in self.cases if case.is_open)


def period_bounds(clinic: Clinic, start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the clinic's own time zone."""
    tz = clinic.tz
    return (dt.datetime.combine(start, dt.time(), tzinfo=tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz))


def reconciliation(clinic: Clinic, start: dt.date, end: dt.date) -> ReconciliationReport:
    begin, finish = period_bounds(clinic, start, end)
    report = ReconciliationReport(clinic, start, end, timezone.now())
    opening, closing = _stored_position(clinic, begin), _stored_position(clinic, finish)
    movements = _grouped_movements(Entry.objects.filter(clinic=clinic, at__gte=begin, at__lt=finish))
    counts = list(
        Count.objects.filter(clinic=clinic, at__gte=begin, at__lt=finish).select_related("counted_by", "witness")
        .prefetch_related("lines__product").order_by("at", "pk")
    )
    last_line = {line.product_id: line for count in counts for line in count.lines.all()}
    for product in DrugProduct.objects.filter(stock__clinic=clinic).order_by("name", "pk"):
        liquid = product.liquid
        open_cab, open_syr = opening.get(product.pk, (ledger.zero(liquid), ledger.zero(liquid)))
        close_cab, close_syr = closing.get(product.pk, (ledger.zero(liquid), ledger.zero(liquid)))
        result = ledger.reconcile(open_cab + open_syr, movements.get(product.pk, []), close_cab + close_syr)
        report.rows.append(ProductReconciliation(product, result, open_syr, close_cab, close_syr, last_line.get(product.pk)))
    report.counts = counts
    report.cases = list(
        DiscrepancyCase.objects.filter(clinic=clinic)
        .filter(Q(count_line__count__at__gte=begin, count_line__count__at__lt=finish) | Q(resolution__isnull=True, opened_at__lt=finish))
        .select_related("count_line__product", "count_line__count", "resolution").order_by("opened_at", "pk")
    )
    return report


def _grouped_movements(entries) -> dict[int, list[ledger.Movement]]:
    """Sums per product, kind, waste source and direction: the arithmetic is linear, so sums reconcile as entries do."""
    grouped: dict[int, list[ledger.Movement]] = {}
    for reversal in (False, True):
        rows = (
            entries.filter(reverses__isnull=not reversal).values("product_id", "kind", "waste_source")
            .annotate(mg=Sum("amount_mg"), ml=Sum("amount_ml")).order_by("product_id", "kind", "waste_source")
        )
        for row in rows:
            amount = ledger.Quantity(row["mg"], row["ml"])
            grouped.setdefault(row["product_id"], []).append(
                ledger.Movement(ledger.Kind(row["kind"]), amount, -1 if reversal else 1, row["waste_source"] or None)
            )
    return grouped


def _stored_position(clinic: Clinic, before: dt.datetime) -> dict[int, tuple[ledger.Quantity, ledger.Quantity]]:
    """{product_id: (cabinet, syringes)} as the ledger stored them just before ``before``: the clinic stock's running
    balance on its last entry, and the sum of each draw's last stored syringe balance."""
    last = Entry.objects.filter(stock=OuterRef("pk"), at__lt=before).order_by("-stock_seq")
    stocks = Stock.objects.filter(clinic=clinic).annotate(
        mg=Subquery(last.values("stock_balance_mg")[:1]), ml=Subquery(last.values("stock_balance_ml")[:1])
    ).select_related("product")
    position = {}
    for s in stocks:
        zero = ledger.zero(s.product.liquid)
        position[s.product_id] = (ledger.Quantity(s.mg, s.ml) if s.mg is not None else zero, zero)
    chain = Entry.objects.filter(Q(pk=OuterRef("pk")) | Q(draw_id=OuterRef("pk")), at__lt=before).order_by("-container_seq")
    draws = Entry.objects.filter(clinic=clinic, kind=Entry.Kind.DRAW, reverses__isnull=True, at__lt=before).annotate(
        left_mg=Subquery(chain.values("draw_balance_mg")[:1]), left_ml=Subquery(chain.values("draw_balance_ml")[:1])
    ).values("product_id", "left_mg", "left_ml")
    for d in draws:
        if d["left_mg"]:
            cabinet, syringes = position[d["product_id"]]
            position[d["product_id"]] = (cabinet, syringes + ledger.Quantity(Decimal(d["left_mg"]), d["left_ml"]))
    return position


@dataclass(frozen=True)
class DispensingRow:
    """The fields 21 CFR 1304.22(c) asks of an administration record (clinical.md §8): substance, finished form and
    strength, units or volume administered, patient name and address, date, and who administered."""

    entry: Entry
    local_at: dt.datetime

    @property
    def patient_name(self) -> str:
        p = self.entry.patient
        return f"{p.legal_last_name}, {p.legal_first_name}" if p else ""

    @property
    def patient_address(self) -> str:
        p = self.entry.patient
        if not p or not p.address_line1:
            return "(no address on file)"
        street = ", ".join(x for x in (p.address_line1, p.address_line2) if x)
        return f"{street}, {p.city} {p.state} {p.postal_code}".strip()

    @property
    def substance(self) -> str:
        return self.entry.product.name

    @property
    def form_and_strength(self) -> str:
        return f"{self.entry.product.get_form_display()}, {self.entry.product.strength_label}"

    @property
    def amount(self) -> str:
        return ledger.describe(self.entry.amount.scaled(self.entry.sign), self.entry.product.mg_per_container)


def dispensing_record(clinic: Clinic, start: dt.date, end: dt.date, kinds=(Entry.Kind.ADMINISTER,)) -> list[DispensingRow]:
    begin, finish = period_bounds(clinic, start, end)
    entries = (
        Entry.objects.filter(clinic=clinic, kind__in=kinds, at__gte=begin, at__lt=finish)
        .select_related("product", "patient", "container", "reverses").order_by("at", "pk")
    )
    return [DispensingRow(e, timezone.localtime(e.at, clinic.tz)) for e in entries]


def waste_log(clinic: Clinic, start: dt.date, end: dt.date) -> list[DispensingRow]:
    return dispensing_record(clinic, start, end, kinds=(Entry.Kind.WASTE,))
