"""The one place a ledger entry is written: ``append`` computes every running balance with the pure arithmetic
(``ketaclinic.clinical.ledger``) while the caller holds the container's and the stock's row locks.

Lock order, always: the container, then the stock (``lock_container`` then ``lock_stock``); a transfer takes the two
stocks in id order. On PostgreSQL ``select_for_update`` makes a second writer wait and then read the new balance; on
SQLite the IMMEDIATE transaction mode (settings.py) already serialises writers. Behind both, the unique
``container_seq``/``stock_seq`` constraints and the CHECK constraints on every stored balance refuse what slipped by.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models import Container, DrugProduct, Entry, Stock
from ketaclinic.ledger.services.witness import person_label

Kind = Entry.Kind
_TERMINAL_STATUS = {Kind.EXPIRE: Container.Status.EXPIRED, Kind.RETURN: Container.Status.RETURNED, Kind.LOSS: Container.Status.LOST}


def require_mover(user: User, clinic_id: int) -> None:
    """Defence in depth: the views and endpoints check first; only physicians and nurses move stock."""
    if user is None or not access.can(user, Perm.LEDGER_MOVE, clinic_id):
        raise PermissionDenied("Only physicians and nurses at this clinic may move controlled substances.")


def as_validation_error(error: ledger.LedgerError) -> ValidationError:
    return ValidationError({error.field: error.message})


def parse_amount(product: DrugProduct, *, ml=None, mg=None) -> ledger.Quantity:
    try:
        return ledger.quantity(product.pure, ml=ml, mg=mg)
    except ledger.LedgerError as error:
        raise as_validation_error(error) from None


def lock_container(container_id: int) -> Container:
    try:
        return Container.objects.select_for_update().select_related("product", "clinic").get(pk=container_id)
    except Container.DoesNotExist:
        raise ValidationError({"container": "No such container."}) from None


def lock_stock(clinic_id: int, product: DrugProduct) -> Stock:
    try:
        with transaction.atomic():
            Stock.objects.get_or_create(
                clinic_id=clinic_id, product=product, defaults={"balance_ml": ledger.zero().ml if product.liquid else None}
            )
    except IntegrityError:  # another writer created it first; it exists now
        pass
    return Stock.objects.select_for_update().get(clinic_id=clinic_id, product=product)


def draw_remaining(draw: Entry) -> ledger.Quantity:
    """What the syringe of ``draw`` still holds: the balance on the last entry of its chain. Hold the container lock."""
    last = Entry.objects.filter(Q(pk=draw.pk) | Q(draw_id=draw.pk)).order_by("-container_seq").values(
        "draw_balance_mg", "draw_balance_ml"
    ).first()
    return ledger.Quantity(last["draw_balance_mg"], last["draw_balance_ml"])


def check_usable(container: Container, today: dt.date | None = None) -> None:
    if not container.usable:
        raise ValidationError({"container": f"{container.label} is {container.get_status_display().lower()}; nothing more can be taken from it."})
    today = today or timezone.localdate(timezone=container.clinic.tz)
    if container.expires_on < today:
        raise ValidationError({"container": f"{container.label} expired on {container.expires_on:%m/%d/%Y}; record its disposal instead."})


def append(
    container: Container, stock: Stock, kind: str, amount: ledger.Quantity, *, actor: User, at: dt.datetime | None = None,
    sign: int = 1, waste_source: str = "", draw: Entry | None = None, reverses: Entry | None = None,
    witness: User | None = None, audit_row: bool = True, **fields,
) -> Entry:
    """Write one entry and move the container's and the stock's balances. The caller holds both row locks."""
    movement = ledger.Movement(ledger.Kind(kind), amount, sign, waste_source or None)
    try:
        container_after = ledger.next_container_balance(container.quantity, movement)
        stock_after = ledger.next_container_balance(stock.quantity, movement)
        draw_after = _draw_after(movement, draw)
    except ledger.LedgerError as error:
        raise as_validation_error(error) from None
    at = _checked_time(at, container, stock)
    entry = Entry.objects.create(
        clinic_id=stock.clinic_id, product=container.product, container=container, stock=stock, kind=kind,
        waste_source=waste_source, amount_mg=amount.mg, amount_ml=amount.ml,
        container_seq=container.seq + 1, container_balance_mg=container_after.mg, container_balance_ml=container_after.ml,
        stock_seq=stock.seq + 1, stock_balance_mg=stock_after.mg, stock_balance_ml=stock_after.ml,
        draw=draw, draw_balance_mg=draw_after.mg if draw_after else None, draw_balance_ml=draw_after.ml if draw_after else None,
        reverses=reverses, at=at, actor=actor, actor_label=person_label(actor),
        witness=witness, witness_label=person_label(witness) if witness else "", **fields,
    )
    _move_container(container, kind, sign, container_after, at)
    _move_stock(stock, stock_after)
    if audit_row:
        record_audit(entry)
    return entry


def record_audit(entry: Entry, summary: str = "") -> None:
    audit.record(
        audit.Action.CREATE, actor=entry.actor, object_type="ledger_entry", object_id=entry.pk, clinic=entry.clinic_id,
        patient=entry.patient_id, summary=summary or f"Ledger: {entry.label.lower()} {entry.amount_label}, {entry.container.label}",
        changes={k: [None, v] for k, v in audit.snapshot(entry, AUDITED_FIELDS).items() if v not in ("", None)},
    )


AUDITED_FIELDS = [
    "kind", "container", "amount_mg", "amount_ml", "container_balance_mg", "container_balance_ml", "stock_balance_mg",
    "stock_balance_ml", "draw", "draw_balance_mg", "draw_balance_ml", "reverses", "patient", "waste_source", "waste_method",
    "witness", "dea_form_reference", "counterparty", "note", "at",
]


def _draw_after(movement: ledger.Movement, draw: Entry | None) -> ledger.Quantity | None:
    if movement.kind == ledger.Kind.DRAW and movement.sign > 0:
        return movement.amount  # a new draw: the syringe holds what was drawn
    if draw is None:
        return None
    remaining = draw_remaining(draw)
    if movement.kind == ledger.Kind.DRAW:  # reversing the draw itself empties the syringe it made
        after = remaining - movement.amount
        if after.is_negative:
            raise ledger.LedgerError("draw", "reverse the administrations and wastes of this draw first.")
        return after
    return ledger.next_draw_balance(remaining, movement)


def _checked_time(at: dt.datetime | None, container: Container, stock: Stock) -> dt.datetime:
    now = timezone.now()
    if at is None:
        return now  # taken under the locks, so entries of one container or stock are in time order
    if at > now:
        raise ValidationError({"at": "A movement cannot be recorded in the future."})
    last = Entry.objects.filter(Q(container=container) | Q(stock=stock)).order_by("-at").values_list("at", flat=True).first()
    if last and at < last:
        raise ValidationError({"at": "A movement cannot be dated before the last entry of this container or stock."})
    return at


def _move_container(container: Container, kind: str, sign: int, after: ledger.Quantity, at: dt.datetime) -> None:
    container.status = _status_after(container, kind, sign, after)
    if kind == Kind.OPEN and sign > 0:
        container.opened_at = at
    container.balance_mg, container.balance_ml, container.seq = after.mg, after.ml, container.seq + 1
    Container.objects.filter(pk=container.pk).update(
        status=container.status, opened_at=container.opened_at, balance_mg=after.mg, balance_ml=after.ml, seq=container.seq
    )


def _status_after(container: Container, kind: str, sign: int, after: ledger.Quantity) -> str:
    Status = Container.Status
    if sign < 0:
        if kind == Kind.RECEIVE:
            return Status.VOIDED
        if after.is_zero:
            return Status.EMPTY
        return Status.OPEN if container.opened_at else Status.SEALED
    if kind in (Kind.TRANSFER_OUT, Kind.TRANSFER_IN, Kind.RECEIVE):
        return container.status
    if kind in _TERMINAL_STATUS and after.is_zero:
        return _TERMINAL_STATUS[kind]
    if kind == Kind.OPEN:
        return Status.OPEN
    return Status.EMPTY if after.is_zero else container.status


def _move_stock(stock: Stock, after: ledger.Quantity) -> None:
    stock.balance_mg, stock.balance_ml, stock.seq = after.mg, after.ml, stock.seq + 1
    Stock.objects.filter(pk=stock.pk).update(balance_mg=after.mg, balance_ml=after.ml, seq=stock.seq)


def clinic_of(clinic_or_id) -> Clinic:
    return clinic_or_id if isinstance(clinic_or_id, Clinic) else Clinic.objects.get(pk=clinic_or_id)
