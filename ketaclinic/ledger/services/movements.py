"""Every movement of a container after its receipt: open, draw, administer, waste, return, dispose, transfer, loss,
and the reversing entry that corrects a mistake. One transaction each, the container row locked first."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ketaclinic.accounts import access
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models import Container, Entry
from ketaclinic.ledger.services.core import (
    Kind, append, check_usable, draw_remaining, lock_container, lock_stock, parse_amount, require_mover,
)
from ketaclinic.ledger.services.witness import WitnessSignature, check_witness
from ketaclinic.ledger.visits_link import check_dose, check_visit, inherit

NOT_REVERSIBLE = {Kind.OPEN: "Opening a vial cannot be undone.", Kind.TRANSFER_OUT: "Transfer the container back instead.",
                  Kind.TRANSFER_IN: "Transfer the container back instead."}


def _locked(container: Container, actor: User) -> tuple[Container, object]:
    container = lock_container(container.pk)
    require_mover(actor, container.clinic_id)
    return container, lock_stock(container.clinic_id, container.product)


@transaction.atomic
def open_container(container: Container, *, acting_user: User, at: dt.datetime | None = None) -> Entry:
    container, stock = _locked(container, acting_user)
    check_usable(container)
    if container.status != Container.Status.SEALED:
        raise ValidationError({"container": f"{container.label} is already open."})
    return append(container, stock, Kind.OPEN, ledger.zero(container.product.liquid), actor=acting_user, at=at)


@transaction.atomic
def draw(
    container: Container, *, patient, acting_user: User, amount_ml=None, amount_mg=None, ordered_dose_mg=None,
    visit=None, note: str = "", at: dt.datetime | None = None,
) -> Entry:
    """Draw into a syringe for one patient's visit. A sealed vial is opened first (its own entry, same time)."""
    container, stock = _locked(container, acting_user)
    check_usable(container)
    if patient is None or patient.clinic_id != container.clinic_id:
        raise ValidationError({"patient": "Choose a patient of this clinic."})
    extra = check_visit(visit, patient)
    amount = parse_amount(container.product, ml=amount_ml, mg=amount_mg)
    if container.status == Container.Status.SEALED:
        append(container, stock, Kind.OPEN, ledger.zero(container.product.liquid), actor=acting_user, at=at)
    return append(
        container, stock, Kind.DRAW, amount, actor=acting_user, at=at, patient=patient, note=note,
        ordered_dose_mg=ordered_dose_mg or None, **extra,
    )


def _locked_draw(draw_entry: Entry, actor: User) -> tuple[Entry, Container, object]:
    container, stock = _locked(draw_entry.container, actor)
    draw_entry = Entry.objects.select_related("patient", "product", "container").get(pk=draw_entry.pk)
    if draw_entry.kind != Kind.DRAW or draw_entry.is_reversal:
        raise ValidationError({"draw": "Administer and waste against a draw."})
    if draw_entry.clinic_id != container.clinic_id:
        raise ValidationError({"draw": "This container has moved to another clinic."})
    return draw_entry, container, stock


@transaction.atomic
def administer(
    draw_entry: Entry, *, acting_user: User, amount_ml=None, amount_mg=None, dose=None, at: dt.datetime | None = None,
) -> Entry:
    """Record what the patient received from a draw (with the visit's dose record where there is one)."""
    draw_entry, container, stock = _locked_draw(draw_entry, acting_user)
    extra = check_dose(dose, draw_entry)
    if amount_ml in ("", None) and amount_mg in ("", None) and dose is not None:
        amount_ml = dose.volume_ml
    amount = parse_amount(container.product, ml=amount_ml, mg=amount_mg)
    return append(
        container, stock, Kind.ADMINISTER, amount, actor=acting_user, at=at, draw=draw_entry, patient=draw_entry.patient,
        **inherit(draw_entry), **extra,
    )


def _waste_fields(method: str, note: str) -> dict:
    if method not in Entry.WasteMethod.values:
        raise ValidationError({"waste_method": "Choose how the drug was wasted."})
    if method == Entry.WasteMethod.OTHER and not note.strip():
        raise ValidationError({"note": "Describe the waste method."})
    return {"waste_method": method, "note": note}


@transaction.atomic
def waste_from_syringe(
    draw_entry: Entry, *, acting_user: User, witness: WitnessSignature | None, method: str, amount_ml=None, amount_mg=None,
    note: str = "", at: dt.datetime | None = None,
) -> Entry:
    """Waste what a draw's syringe still holds; empty amounts waste all of it. Witnessed by a second licensed person."""
    draw_entry, container, stock = _locked_draw(draw_entry, acting_user)
    witness_user = check_witness(witness, clinic=container.clinic, acting_user=acting_user)
    fields = _waste_fields(method, note)
    if amount_ml in ("", None) and amount_mg in ("", None):
        remaining = draw_remaining(draw_entry)
        amount_ml, amount_mg = remaining.ml, (remaining.mg if remaining.ml is None else None)
    amount = parse_amount(container.product, ml=amount_ml, mg=amount_mg)
    return append(
        container, stock, Kind.WASTE, amount, actor=acting_user, at=at, waste_source=Entry.WasteSource.SYRINGE,
        draw=draw_entry, patient=draw_entry.patient, witness=witness_user, **inherit(draw_entry), **fields,
    )


def _whole_or_given(container: Container, amount_ml, amount_mg) -> ledger.Quantity:
    if amount_ml in ("", None) and amount_mg in ("", None):
        return container.quantity
    return parse_amount(container.product, ml=amount_ml, mg=amount_mg)


@transaction.atomic
def waste_from_container(
    container: Container, *, acting_user: User, witness: WitnessSignature | None, method: str, amount_ml=None,
    amount_mg=None, note: str = "", at: dt.datetime | None = None,
) -> Entry:
    """Waste what is left in an opened vial (empty amounts: all of it). Witnessed by a second licensed person."""
    container, stock = _locked(container, acting_user)
    witness_user = check_witness(witness, clinic=container.clinic, acting_user=acting_user)
    if container.status != Container.Status.OPEN:
        raise ValidationError({"container": "Only an opened vial's remainder is wasted; return or dispose of a sealed one."})
    fields = _waste_fields(method, note)
    amount = _whole_or_given(container, amount_ml, amount_mg)
    return append(
        container, stock, Kind.WASTE, amount, actor=acting_user, at=at, waste_source=Entry.WasteSource.CONTAINER,
        witness=witness_user, **fields,
    )


@transaction.atomic
def return_to_supplier(
    container: Container, *, acting_user: User, counterparty: str, note: str = "", at: dt.datetime | None = None,
) -> Entry:
    container, stock = _locked(container, acting_user)
    if not container.usable:
        raise ValidationError({"container": f"{container.label} is {container.get_status_display().lower()}."})
    if not counterparty.strip():
        raise ValidationError({"counterparty": "Name the supplier it goes back to."})
    return append(container, stock, Kind.RETURN, container.quantity, actor=acting_user, at=at, counterparty=counterparty, note=note)


@transaction.atomic
def dispose_expired(
    container: Container, *, acting_user: User, counterparty: str, dea_form_reference: str, note: str = "",
    at: dt.datetime | None = None,
) -> Entry:
    """Expired or unwanted stock goes to a reverse distributor, on DEA Form 41 (clinical.md §8 [69][70])."""
    container, stock = _locked(container, acting_user)
    if not container.usable:
        raise ValidationError({"container": f"{container.label} is {container.get_status_display().lower()}."})
    errors = {}
    if not counterparty.strip():
        errors["counterparty"] = "Name the reverse distributor."
    if not dea_form_reference.strip():
        errors["dea_form_reference"] = "Give the DEA Form 41 or the reverse distributor's record number."
    if errors:
        raise ValidationError(errors)
    return append(
        container, stock, Kind.EXPIRE, container.quantity, actor=acting_user, at=at, counterparty=counterparty,
        dea_form_reference=dea_form_reference, note=note,
    )


@transaction.atomic
def record_loss(
    container: Container, *, acting_user: User, dea_form_reference: str, note: str, amount_ml=None, amount_mg=None,
    at: dt.datetime | None = None,
) -> Entry:
    """Theft or loss, with the DEA Form 106 filed for it (clinical.md §8 [70]). Empty amounts: the whole container."""
    container, stock = _locked(container, acting_user)
    errors = {}
    if not dea_form_reference.strip():
        errors["dea_form_reference"] = "Give the DEA Form 106 reference filed for this theft or loss."
    if not note.strip():
        errors["note"] = "Say what was found missing, and when."
    if errors:
        raise ValidationError(errors)
    if not container.usable:
        raise ValidationError({"container": f"{container.label} is {container.get_status_display().lower()}."})
    amount = _whole_or_given(container, amount_ml, amount_mg)
    return append(container, stock, Kind.LOSS, amount, actor=acting_user, at=at, dea_form_reference=dea_form_reference, note=note)


@transaction.atomic
def transfer(container: Container, *, to_clinic: Clinic, acting_user: User, note: str = "", at: dt.datetime | None = None) -> Entry:
    """Move a whole container to another clinic of the network; the person recording it works at both."""
    container = lock_container(container.pk)
    require_mover(acting_user, container.clinic_id)
    _check_transfer(container, to_clinic, acting_user)
    first, second = sorted([container.clinic_id, to_clinic.pk])
    stocks = {cid: lock_stock(cid, container.product) for cid in (first, second)}
    amount = container.quantity
    out = append(container, stocks[container.clinic_id], Kind.TRANSFER_OUT, amount, actor=acting_user, at=at,
                 counterparty=to_clinic.name, note=note)
    source = container.clinic
    Container.objects.filter(pk=container.pk).update(clinic=to_clinic, location=_cabinet(to_clinic))
    container.clinic_id, container.clinic = to_clinic.pk, to_clinic
    append(container, stocks[to_clinic.pk], Kind.TRANSFER_IN, amount, actor=acting_user, at=out.at,
           counterparty=source.name, note=note, transfer_peer=out)
    return out


def _check_transfer(container: Container, to_clinic: Clinic, actor: User) -> None:
    if to_clinic.pk == container.clinic_id or to_clinic.network_id != container.clinic.network_id:
        raise ValidationError({"to_clinic": "Choose another clinic of the same network."})
    if not access.can(actor, Perm.LEDGER_MOVE, to_clinic.pk):
        raise ValidationError({"to_clinic": "Only someone who may move stock at both clinics can record a transfer."})
    check_usable(container)
    draws = Entry.objects.filter(container=container, kind=Kind.DRAW, reverses__isnull=True)
    if any(not draw_remaining(d).is_zero for d in draws):
        raise ValidationError({"container": "Administer or waste what has been drawn from this vial first."})


def _cabinet(clinic: Clinic):
    from ketaclinic.ledger.services.receipts import cabinet_for

    return cabinet_for(clinic)


@transaction.atomic
def reverse(entry: Entry, *, acting_user: User, reason: str, at: dt.datetime | None = None) -> Entry:
    """Correct a mistake: a new entry with the opposite effect, pointing to the original. Both stay in the ledger."""
    container, stock = _locked(entry.container, acting_user)
    entry = Entry.objects.select_related("product").get(pk=entry.pk)
    _check_reversible(entry, container)
    if not reason.strip():
        raise ValidationError({"note": "Say why the entry is reversed."})
    stock = lock_stock(entry.clinic_id, entry.product)
    draw_entry = entry if entry.kind == Kind.DRAW else entry.draw
    return append(
        container, stock, entry.kind, entry.amount, actor=acting_user, at=at, sign=-1, reverses=entry,
        waste_source=entry.waste_source, draw=draw_entry, patient=entry.patient, note=reason, **inherit(entry),
    )


def _check_reversible(entry: Entry, container: Container) -> None:
    if entry.is_reversal:
        raise ValidationError({"entry": "A reversal cannot itself be reversed; record the movement again."})
    if entry.kind in NOT_REVERSIBLE:
        raise ValidationError({"entry": NOT_REVERSIBLE[entry.kind]})
    if Entry.objects.filter(reverses=entry).exists():
        raise ValidationError({"entry": "This entry has already been reversed."})
    if container.clinic_id != entry.clinic_id:
        raise ValidationError({"entry": "The container has moved to another clinic since."})
