"""Demo step (order 55): a month of controlled-substance activity at Westside, through the services, at past times.

Receipts, opening and closing counts by two people every clinic day, IV ketamine draws sized by the dose
arithmetic, administrations, witnessed wastes of what is left in the syringe, esketamine devices, one disposal of an
expired vial, one reversed mistake, one resolved discrepancy and one still open. A small 50 mg/mL lot close to
expiry gives the floor board its warnings. Idempotent: nothing is done if the demo's first receipt exists.
"""

import datetime as dt
import random
from decimal import ROUND_UP, Decimal

from django.test import RequestFactory
from django.utils import timezone

from ketaclinic.clinical import dosing
from ketaclinic.ledger import services
from ketaclinic.ledger.models import Container, Count, DrugProduct, Receipt

DEMO_PASSWORD = "demo-ketaclinic-2026"  # ketaclinic.core.demo.DEMO_PASSWORD
DEMO_DAYS = 30
FIRST_INVOICE = "DEMO-INV-0001"
SEED = 20261128
SUPPLIER = dict(supplier_name="Demo Medical Supply (synthetic)", supplier_address="100 Example Way, Memphis TN 38118",
                supplier_dea_number="RD1234563")
PRODUCTS = {
    "k10": dict(name="Ketamine HCl injection (demo)", ndc="99999-010-20", form="vial", concentration_mg_per_ml="10",
                container_volume_ml="20", manufacturer="Demo Pharma"),
    "k50": dict(name="Ketamine HCl injection (demo)", ndc="99999-050-10", form="vial", concentration_mg_per_ml="50",
                container_volume_ml="10", manufacturer="Demo Pharma"),
    "spravato": dict(name="SPRAVATO esketamine nasal spray", ndc="50458-028-02", form="nasal_device", manufacturer="Janssen"),
}


class _Month:
    def __init__(self, context):
        self.clinic = context["clinics"]["WS"]
        users = context["users"]
        self.nurse, self.crna, self.doctor = users["nurse.kim"], users["crna.okafor"], users["dr.reyes"]
        self.patients = [p for p in context["patients"] if p.clinic_id == self.clinic.pk]
        self.rng = random.Random(SEED)
        self.today = timezone.localdate(timezone=self.clinic.tz)
        self.products = {key: _product(spec, self.nurse) for key, spec in PRODUCTS.items()}
        self.signatures = {}
        self.pending_shorts: list[Decimal] = []

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.clinic.tz)

    def witness(self, user):
        """The witness signs with their demo password; a signature is reused for a minute (a slow hasher in the demo)."""
        signature = self.signatures.get(user.pk)
        if signature is None or timezone.now() - signature.signed_at > dt.timedelta(minutes=1):
            request = RequestFactory().post("/ledger/", REMOTE_ADDR="127.0.0.1")
            signature = services.sign(request, clinic=self.clinic, acting_user=self.nurse, username=user.username,
                                      password=DEMO_PASSWORD)
            self.signatures[user.pk] = signature
        return signature

    def receive(self, key, day, n, lot, expires_on, invoice):
        data = dict(product=self.products[key], received_on=day, invoice_number=invoice, lot_number=lot,
                    expires_on=expires_on, containers_received=n, **SUPPLIER)
        return services.receive(clinic=self.clinic, data=data, acting_user=self.nurse, at=self.at(day, 8, 5))

    def count(self, day, hour, kind):
        """Both count; the count the demo wants short reads the opened 10 mg/mL vial low (the next one that can)."""
        expected = services.expected_stock(self.clinic)
        short_ml = self.pending_shorts[0] if self.pending_shorts and kind == Count.Kind.CLOSING else Decimal("0")
        lines = []
        for pid, e in expected.items():
            if not (e["sealed"] or e["open"] or not e["quantity"].is_zero):
                continue
            liquid = e["product"].liquid
            open_ml = (e["quantity"].ml - e["sealed"] * e["product"].container_volume_ml) if liquid else None
            if liquid and short_ml and e["product"] == self.products["k10"] and open_ml >= short_ml:
                open_ml -= short_ml  # the demo's discrepancies: an opened vial read short
                self.pending_shorts.pop(0)
            lines.append({"product_id": pid, "sealed_counted": e["sealed"], "open_counted": e["open"], "open_ml_counted": open_ml,
                          "estimated": bool(short_ml) and liquid})
        return services.record_count(clinic=self.clinic, kind=kind, lines=lines, witness=self.witness(self.crna),
                                     acting_user=self.nurse, at=self.at(day, *hour))


def _product(spec, user) -> DrugProduct:
    return DrugProduct.objects.filter(ndc=spec["ndc"]).first() or services.create_product(data=spec, acting_user=user)


def _vial_for(month: _Month, key: str, volume_ml: Decimal, day: dt.date, minute_at: dt.datetime):
    """The open vial with enough left, or a sealed one (the remainder of a short vial is wasted with a witness)."""
    product = month.products[key]
    usable = Container.objects.filter(clinic=month.clinic, product=product, status__in=Container.USABLE,
                                      expires_on__gte=day).order_by("status", "expires_on", "pk")  # "open" before "sealed"
    for container in usable:
        if container.balance_ml >= volume_ml:
            return container
        if container.status == Container.Status.OPEN:
            services.waste_from_container(container, acting_user=month.nurse, witness=month.witness(month.crna),
                                          method="disposal_system", note="Too little left for the next dose", at=minute_at)
    return None


def _iv_session(month: _Month, day: dt.date, start: dt.datetime, patient) -> None:
    infusion = dosing.iv_infusion(weight_kg=patient.weight_kg or Decimal("70"), dose_mg_per_kg="0.5", duration_min=40,
                                  concentration_mg_per_ml=10)
    # Draw to the next half mL above the dose, give the dose, waste what is left in the syringe with a witness.
    drawn_ml = (infusion.drug_volume_ml * 2).quantize(Decimal("1"), rounding=ROUND_UP) / 2
    if drawn_ml == infusion.drug_volume_ml:
        drawn_ml += Decimal("0.5")
    vial = _vial_for(month, "k10", drawn_ml, day, start)
    if vial is None:
        return
    draw = services.draw(vial, patient=patient, amount_ml=f"{drawn_ml:.2f}", ordered_dose_mg=infusion.dose_mg,
                         acting_user=month.nurse, at=start + dt.timedelta(minutes=1))
    services.administer(draw, amount_ml=infusion.drug_volume_ml, acting_user=month.nurse, at=start + dt.timedelta(minutes=45))
    services.waste_from_syringe(draw, acting_user=month.nurse, witness=month.witness(month.crna), method="disposal_system",
                                at=start + dt.timedelta(minutes=46))


def _esketamine_session(month: _Month, start: dt.datetime, patient, devices: int) -> None:
    sealed = Container.objects.filter(clinic=month.clinic, product=month.products["spravato"], status="sealed").order_by("expires_on", "pk")
    for n, device in enumerate(sealed[:devices]):
        at = start + dt.timedelta(minutes=5 * n)  # five minutes between devices (clinical.md §3.3)
        draw = services.draw(device, patient=patient, amount_mg="28", ordered_dose_mg=28 * devices, acting_user=month.nurse, at=at)
        services.administer(draw, amount_mg="28", acting_user=month.nurse, at=at + dt.timedelta(minutes=1))


def _clinic_day(month: _Month, day: dt.date, n: int, days: list[dt.date]) -> None:
    month.count(day, (8, 0), Count.Kind.OPENING)
    rng = month.rng
    for slot in range(rng.randint(2, 4)):
        _iv_session(month, day, month.at(day, 9 + 2 * slot, 10), rng.choice(month.patients))
    if n % 2 == 0:
        _esketamine_session(month, month.at(day, 10, 30), rng.choice(month.patients), rng.choice((2, 3)))
    if day in (days[8], days[-5]):
        month.pending_shorts.append(Decimal("1.00") if day == days[8] else Decimal("0.50"))
    month.count(day, (17, 30), Count.Kind.CLOSING)


def seed_ledger(context: dict) -> None:
    if Receipt.objects.filter(clinic=context["clinics"]["WS"], invoice_number=FIRST_INVOICE).exists():
        return
    month = _Month(context)
    first = month.today - dt.timedelta(days=DEMO_DAYS)
    days = [first + dt.timedelta(days=i) for i in range(DEMO_DAYS) if (first + dt.timedelta(days=i)).weekday() != 6]
    month.receive("k10", first, 10, "KET-DEMO-2611", month.today + dt.timedelta(days=400), FIRST_INVOICE)
    month.receive("spravato", first, 24, "SPR-DEMO-0426", month.today + dt.timedelta(days=300), "DEMO-INV-0002")
    services.record_count(clinic=month.clinic, kind=Count.Kind.INITIAL, business_time=Count.BusinessTime.OPENING,
                          lines=_full_lines(month), witness=month.witness(month.doctor), acting_user=month.nurse,
                          at=month.at(first, 8, 30), note="Initial inventory on starting the ledger (21 CFR 1304.11).")
    for n, day in enumerate(days):
        if n == 12:
            month.receive("k10", day, 10, "KET-DEMO-2702", month.today + dt.timedelta(days=420), "DEMO-INV-0003")
            month.receive("k50", day, 3, "KET50-DEMO-0101", month.today + dt.timedelta(days=20), "DEMO-INV-0004")
            month.receive("spravato", day, 12, "SPR-DEMO-0511", month.today + dt.timedelta(days=330), "DEMO-INV-0005")
        if n == 14:
            _expired_and_mistake(month, day)
        _clinic_day(month, day, n, days)
        if n == 14:
            _resolve_first_case(month, day)


def _full_lines(month: _Month) -> list[dict]:
    return [{"product_id": pid, "sealed_counted": e["sealed"], "open_counted": 0, "open_ml_counted": Decimal("0")}
            for pid, e in services.expected_stock(month.clinic).items() if e["sealed"]]


def _expired_and_mistake(month: _Month, day: dt.date) -> None:
    """A 50 mg/mL vial damaged on arrival goes to the reverse distributor; a draw entered on the wrong vial is reversed."""
    vial = Container.objects.filter(clinic=month.clinic, product=month.products["k50"], status="sealed").order_by("pk").first()
    services.dispose_expired(vial, acting_user=month.nurse, counterparty="Demo Returns Co. (reverse distributor)",
                             dea_form_reference="Form 41 DEMO-41-0007", note="Cracked seal on arrival", at=month.at(day, 8, 20))
    patient = month.patients[0]
    wrong = Container.objects.filter(clinic=month.clinic, product=month.products["k50"], status="sealed").order_by("pk").first()
    mistake = services.draw(wrong, patient=patient, amount_ml="0.70", acting_user=month.nurse, at=month.at(day, 8, 40))
    services.reverse(mistake, acting_user=month.nurse, reason="Entered on the 50 mg/mL vial by mistake; nothing was drawn",
                     at=month.at(day, 8, 42))


def _resolve_first_case(month: _Month, day: dt.date) -> None:
    from ketaclinic.ledger.models import DiscrepancyCase

    case = DiscrepancyCase.objects.filter(clinic=month.clinic, resolution__isnull=True).order_by("pk").first()
    if case is not None:
        services.resolve_case(case, acting_user=month.doctor, explanation=(
            "Recounted with both nurses the next morning: the opened vial had been read against the wrong graduation. "
            "The volume matched the ledger; no loss."))
