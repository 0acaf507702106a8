"""Controlled-substance ledger arithmetic: amounts, running balances, reconciliation and count variances.

Pure standard library (no Django); every quantity is a ``Decimal``, a ``float`` is refused. Sources are sections of
``shared/reference/clinical.md`` (§). Ketamine and esketamine are Schedule III (§8): a clinic accounts for every
milligram, in mg and in mL, per container and per clinic.

Two balances move:

* the **container** (what is still in the vial or device, in the locked cabinet);
* the **draw** (what a syringe holds after a draw and before it is administered or wasted).

Administered plus wasted can never exceed what was drawn (the draw never goes below zero) and a container never
goes below zero. Every movement's effect on the two is one row of ``EFFECTS``; a reversing entry applies the
opposite effect. The total a clinic must account for is the cabinet plus what syringes still hold.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Iterable

from ketaclinic.clinical.dosing import ESKETAMINE_DEVICE_MG, KETALAR_VIAL_STRENGTHS_MG_PER_ML, DoseError, to_decimal

# A syringe is read to 0.01 mL, the same quantum the dose arithmetic gives the drawn volume (dosing.VOLUME_ML_QUANTUM),
# so the log, the syringe and the dose record agree to the hundredth of a mL.
ML_QUANTUM = Decimal("0.01")
# mL (0.01) × a concentration given to 0.1 mg/mL is exact to 0.001 mg: nothing is ever rounded.
MG_QUANTUM = Decimal("0.001")
CONCENTRATION_QUANTUM = Decimal("0.1")
# Ketalar vials come in 10, 50 and 100 mg/mL (§1.1 [17]); other strengths are allowed but the form offers these.
COMMON_VIAL_STRENGTHS_MG_PER_ML = KETALAR_VIAL_STRENGTHS_MG_PER_ML
# An esketamine nasal device holds 28 mg and is counted as one unit (§3.3 [20][27]).
DEVICE_MG = Decimal(ESKETAMINE_DEVICE_MG)


class LedgerError(ValueError):
    """A ledger amount or movement is not allowed; ``field`` names the input at fault."""

    def __init__(self, field_name: str, message: str):
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


class Kind(enum.StrEnum):
    RECEIVE = "receive"
    OPEN = "open"
    DRAW = "draw"
    ADMINISTER = "administer"
    WASTE = "waste"
    RETURN = "return"
    EXPIRE = "expire"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    LOSS = "loss"


class WasteSource(enum.StrEnum):
    SYRINGE = "syringe"  # the part of a draw that was not given
    CONTAINER = "container"  # what is left in an opened vial that will not be used


@dataclass(frozen=True)
class Quantity:
    """An amount of drug in mg and, for liquids, in mL (``ml`` is None for devices counted in units)."""

    mg: Decimal
    ml: Decimal | None

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(self.mg + other.mg, _add_ml(self.ml, other.ml))

    def __sub__(self, other: Quantity) -> Quantity:
        return self + (-other)

    def __neg__(self) -> Quantity:
        return Quantity(-self.mg, None if self.ml is None else -self.ml)

    def scaled(self, sign: int) -> Quantity:
        """+1 keeps the amount, -1 negates it, 0 gives zero in the same units."""
        if sign == 0:
            return Quantity(self.mg * 0, None if self.ml is None else self.ml * 0)
        return self if sign > 0 else -self

    @property
    def is_negative(self) -> bool:
        return self.mg < 0 or (self.ml is not None and self.ml < 0)

    @property
    def is_zero(self) -> bool:
        return self.mg == 0 and (self.ml is None or self.ml == 0)

    def units(self, mg_per_unit: Decimal) -> Decimal:
        return self.mg / mg_per_unit


def _add_ml(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None and b is None:
        return None
    return (a or Decimal(0)) + (b or Decimal(0))


def zero(liquid: bool = True) -> Quantity:
    return Quantity(Decimal("0.000"), Decimal("0.00") if liquid else None)


@dataclass(frozen=True)
class Product:
    """What the arithmetic needs to know about a drug product: a liquid by concentration, or a device by mg per unit."""

    concentration_mg_per_ml: Decimal | None = None
    container_volume_ml: Decimal | None = None
    mg_per_unit: Decimal | None = None

    @property
    def liquid(self) -> bool:
        return self.concentration_mg_per_ml is not None

    def full_container(self) -> Quantity:
        if self.liquid:
            return Quantity(_mg(self.container_volume_ml * self.concentration_mg_per_ml), self.container_volume_ml)
        return Quantity(_mg(self.mg_per_unit), None)


def vial(concentration_mg_per_ml, container_volume_ml) -> Product:
    concentration = _positive(concentration_mg_per_ml, "concentration_mg_per_ml")
    if concentration != concentration.quantize(CONCENTRATION_QUANTUM):
        raise LedgerError("concentration_mg_per_ml", "give the concentration to 0.1 mg/mL at most.")
    volume = _positive(container_volume_ml, "container_volume_ml")
    if volume != volume.quantize(ML_QUANTUM):
        raise LedgerError("container_volume_ml", "give the volume to 0.01 mL at most.")
    return Product(concentration_mg_per_ml=concentration, container_volume_ml=volume)


def device(mg_per_unit=DEVICE_MG) -> Product:
    return Product(mg_per_unit=_positive(mg_per_unit, "mg_per_unit"))


def quantity(product: Product, *, ml=None, mg=None) -> Quantity:
    """The amount a person entered, checked and completed: mL gives mg exactly; mg alone must be a whole 0.01 mL.

    For a device product the amount must be a whole number of devices (``ml`` must be empty).
    """
    if ml in ("", None) and mg in ("", None):
        raise LedgerError("amount_ml" if product.liquid else "amount_mg", "enter the amount.")
    if not product.liquid:
        return _device_quantity(product, ml, mg)
    if ml not in ("", None):
        volume = _positive(ml, "amount_ml")
        if volume != volume.quantize(ML_QUANTUM):
            raise LedgerError("amount_ml", f"{volume} mL is finer than a syringe reads; give it to 0.01 mL.")
        amount = Quantity(_mg(volume * product.concentration_mg_per_ml), volume.quantize(ML_QUANTUM))
        if mg not in ("", None) and _positive(mg, "amount_mg") != amount.mg:
            raise LedgerError(
                "amount_mg", f"{mg} mg does not match {volume} mL × {product.concentration_mg_per_ml} mg/mL = {amount.mg.normalize()} mg."
            )
        return amount
    weight = _positive(mg, "amount_mg")
    volume = weight / product.concentration_mg_per_ml
    if volume != volume.quantize(ML_QUANTUM):
        raise LedgerError(
            "amount_mg",
            f"{weight} mg is {volume.normalize():f} mL at {product.concentration_mg_per_ml} mg/mL, finer than a syringe reads; "
            "enter the volume in mL instead.",
        )
    return Quantity(_mg(weight), volume.quantize(ML_QUANTUM))


def _device_quantity(product: Product, ml, mg) -> Quantity:
    if ml not in ("", None):
        raise LedgerError("amount_ml", "this product is counted in devices, not mL; enter the amount in mg.")
    weight = _positive(mg, "amount_mg")
    if weight % product.mg_per_unit:
        raise LedgerError("amount_mg", f"{weight} mg is not a whole number of {product.mg_per_unit.normalize()} mg devices.")
    return Quantity(_mg(weight), None)


@dataclass(frozen=True)
class Effect:
    """How a movement changes the container (cabinet) and the draw (syringe): +1 adds, -1 takes away, 0 leaves."""

    container: int
    draw: int


EFFECTS: dict[tuple[Kind, WasteSource | None], Effect] = {
    (Kind.RECEIVE, None): Effect(container=+1, draw=0),
    (Kind.OPEN, None): Effect(container=0, draw=0),
    (Kind.DRAW, None): Effect(container=-1, draw=+1),
    (Kind.ADMINISTER, None): Effect(container=0, draw=-1),
    (Kind.WASTE, WasteSource.SYRINGE): Effect(container=0, draw=-1),
    (Kind.WASTE, WasteSource.CONTAINER): Effect(container=-1, draw=0),
    (Kind.RETURN, None): Effect(container=-1, draw=0),
    (Kind.EXPIRE, None): Effect(container=-1, draw=0),
    (Kind.TRANSFER_OUT, None): Effect(container=-1, draw=0),
    (Kind.TRANSFER_IN, None): Effect(container=+1, draw=0),
    (Kind.LOSS, None): Effect(container=-1, draw=0),
}


def effect_of(kind, waste_source=None) -> Effect:
    kind = Kind(kind)
    if kind != Kind.WASTE:
        return EFFECTS[(kind, None)]
    if waste_source not in set(WasteSource):
        raise LedgerError("waste_source", "say whether the syringe's remainder or the container's is wasted.")
    return EFFECTS[(kind, WasteSource(waste_source))]


@dataclass(frozen=True)
class Movement:
    """One ledger entry as the arithmetic sees it; ``sign=-1`` is a reversing entry undoing a movement of ``kind``."""

    kind: Kind
    amount: Quantity
    sign: int = 1
    waste_source: WasteSource | None = None

    @property
    def effect(self) -> Effect:
        return effect_of(self.kind, self.waste_source)

    def container_delta(self) -> Quantity:
        return self.amount.scaled(self.effect.container * self.sign)

    def draw_delta(self) -> Quantity:
        return self.amount.scaled(self.effect.draw * self.sign)


def next_container_balance(balance: Quantity, movement: Movement) -> Quantity:
    """The container's balance after ``movement``; refuses to go below zero."""
    after = balance + movement.container_delta() if movement.effect.container else balance
    if after.is_negative:
        raise LedgerError(
            "amount_ml" if balance.ml is not None else "amount_mg",
            f"only {_describe(balance)} is left in the container; {_describe(movement.amount)} cannot be taken from it.",
        )
    return after


def next_draw_balance(balance: Quantity, movement: Movement) -> Quantity:
    """What the syringe still holds after ``movement``: administered plus wasted never exceeds what was drawn."""
    after = balance + movement.draw_delta() if movement.effect.draw else balance
    if after.is_negative:
        raise LedgerError(
            "amount_ml" if balance.ml is not None else "amount_mg",
            f"only {_describe(balance)} of this draw is not yet administered or wasted; "
            f"{_describe(movement.amount)} is more than that.",
        )
    return after


def running_balances(opening: Quantity, movements: Iterable[Movement]) -> list[Quantity]:
    """The container (or clinic stock) balance after each movement, as the ledger must have stored it."""
    balances, balance = [], opening
    for movement in movements:
        balance = next_container_balance(balance, movement)
        balances.append(balance)
    return balances


def draw_balances(chain: Iterable[Movement]) -> list[Quantity]:
    """What the syringe holds after each entry of one draw's chain: the draw first, then its administrations,
    syringe wastes and reversals (a reversal of the draw itself empties the syringe it made)."""
    chain = list(chain)
    if not chain or chain[0].kind != Kind.DRAW or chain[0].sign < 0:
        raise LedgerError("draw", "a draw's chain starts with the draw.")
    balances, balance = [chain[0].amount], chain[0].amount
    for movement in chain[1:]:
        if movement.kind == Kind.DRAW:
            balance = balance - movement.amount
            if balance.is_negative:
                raise LedgerError("draw", "reverse the administrations and wastes of this draw first.")
        else:
            balance = next_draw_balance(balance, movement)
        balances.append(balance)
    return balances


def net_change(movements: Iterable[Movement]) -> tuple[Quantity, Quantity]:
    """(cabinet, syringes): the net change of what containers hold and of what drawn syringes hold."""
    movements = list(movements)
    liquid = all(m.amount.ml is not None for m in movements)
    cabinet, syringes = zero(liquid), zero(liquid)
    for m in movements:
        cabinet, syringes = cabinet + m.container_delta(), syringes + m.draw_delta()
    return cabinet, syringes


@dataclass(frozen=True)
class PeriodSummary:
    """Net amounts per kind over a period (reversals subtract from the kind they undo)."""

    received: Quantity
    transferred_in: Quantity
    drawn: Quantity
    administered: Quantity
    wasted: Quantity
    returned: Quantity
    disposed: Quantity
    lost: Quantity
    transferred_out: Quantity

    @property
    def total_in(self) -> Quantity:
        return self.received + self.transferred_in

    @property
    def total_out(self) -> Quantity:
        out = self.administered + self.wasted + self.returned + self.disposed + self.lost
        return out + self.transferred_out


_SUMMARY_FIELD = {
    Kind.RECEIVE: "received", Kind.TRANSFER_IN: "transferred_in", Kind.DRAW: "drawn", Kind.ADMINISTER: "administered",
    Kind.WASTE: "wasted", Kind.RETURN: "returned", Kind.EXPIRE: "disposed", Kind.LOSS: "lost",
    Kind.TRANSFER_OUT: "transferred_out",
}


def summarize(movements: Iterable[Movement], *, liquid: bool = True) -> PeriodSummary:
    totals = {name: zero(liquid) for name in _SUMMARY_FIELD.values()}
    for m in movements:
        name = _SUMMARY_FIELD.get(m.kind)
        if name:
            totals[name] = totals[name] + m.amount.scaled(m.sign)
    return PeriodSummary(**totals)


@dataclass(frozen=True)
class Reconciliation:
    """One product at one clinic over a period. ``opening``/``closing`` are what must be accounted for: the cabinet
    plus what syringes still hold. ``balances`` says the recorded closing equals opening + in − out."""

    opening: Quantity
    summary: PeriodSummary
    recorded_closing: Quantity
    expected_closing: Quantity = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "expected_closing", self.opening + self.summary.total_in - self.summary.total_out)

    @property
    def balances(self) -> bool:
        return self.expected_closing == self.recorded_closing


def reconcile(opening: Quantity, movements: Iterable[Movement], recorded_closing: Quantity) -> Reconciliation:
    return Reconciliation(opening, summarize(movements, liquid=opening.ml is not None), recorded_closing)


def variance(expected: Quantity, counted: Quantity) -> Quantity:
    """Counted minus expected: negative means stock is missing."""
    return counted - expected


def counted_quantity(product: Product, *, sealed_containers: int, open_ml=None, open_mg=None) -> Quantity:
    """What a count found: whole sealed containers plus what opened ones hold (which, for Schedule III, may be an
    estimate, 21 CFR 1304.11; §8). Devices are counted whole, so only ``sealed_containers`` applies to them."""
    if isinstance(sealed_containers, bool) or not isinstance(sealed_containers, int) or sealed_containers < 0:
        raise LedgerError("sealed_containers", "enter a whole number of sealed containers, 0 or more.")
    total = Quantity(_mg(product.full_container().mg * sealed_containers),
                     None if not product.liquid else product.container_volume_ml * sealed_containers)
    if product.liquid and open_ml not in ("", None):
        volume = _non_negative(open_ml, "open_ml")
        if volume != volume.quantize(ML_QUANTUM):
            raise LedgerError("open_ml", "give the volume to 0.01 mL.")
        total = total + Quantity(_mg(volume * product.concentration_mg_per_ml), volume)
    elif not product.liquid and open_mg not in ("", None):
        raise LedgerError("open_mg", "devices are counted whole; there is no opened remainder.")
    return total


def describe(amount: Quantity, mg_per_unit: Decimal | None = None) -> str:
    return _describe(amount, mg_per_unit)


def _describe(amount: Quantity, mg_per_unit: Decimal | None = None) -> str:
    text = f"{_plain(amount.mg)} mg"
    if amount.ml is not None:
        return f"{text} ({_plain(amount.ml)} mL)"
    per_unit = mg_per_unit or DEVICE_MG
    if amount.mg % per_unit == 0:
        devices = int(amount.mg / per_unit)
        return f"{text} ({devices} device{'s' if abs(devices) != 1 else ''})"
    return text


def _plain(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "0") else text


def _mg(value: Decimal) -> Decimal:
    return Decimal(value).quantize(MG_QUANTUM)


def _decimal(value, field_name: str) -> Decimal:
    try:
        return to_decimal(value, field_name)
    except DoseError as error:
        raise LedgerError(field_name, str(error).split(": ", 1)[-1]) from None


def _positive(value, field_name: str) -> Decimal:
    number = _decimal(value, field_name)
    if number <= 0:
        raise LedgerError(field_name, f"{number} must be greater than 0.")
    return number


def _non_negative(value, field_name: str) -> Decimal:
    number = _decimal(value, field_name)
    if number < 0:
        raise LedgerError(field_name, f"{number} must not be negative.")
    return number
