"""Drug products, the clinic's cabinet, suppliers and receipts: how stock enters the ledger."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models import Container, DrugProduct, Receipt, Stock, StorageLocation, Supplier
from ketaclinic.ledger.services.core import Kind, append, as_validation_error, lock_stock, record_audit, require_mover

# A typo guard, not a rule: a clinic receives a few boxes at a time. [UNSOURCED – common practice]
MAX_CONTAINERS_PER_RECEIPT = 200
DEFAULT_CABINET = "Locked cabinet"


def cabinet_for(clinic: Clinic) -> StorageLocation:
    """The clinic's locked cabinet (21 CFR 1301.75(b); clinical.md §8), made on first use."""
    location = StorageLocation.objects.filter(clinic=clinic).order_by("pk").first()
    if location is None:
        location, _ = StorageLocation.objects.get_or_create(
            clinic=clinic, name=DEFAULT_CABINET,
            defaults={"description": "Securely locked, substantially constructed cabinet"},
        )
    return location


@transaction.atomic
def create_product(*, data: dict[str, Any], acting_user: User) -> DrugProduct:
    if not access.clinic_ids(acting_user, Perm.LEDGER_MOVE):
        raise PermissionDenied("Only physicians and nurses may add drug products.")
    product = DrugProduct(**{k: data.get(k) for k in ("name", "ndc", "form", "manufacturer")})
    product.name, product.manufacturer = (product.name or "").strip(), (product.manufacturer or "").strip()
    _set_amounts(product, data)
    product.full_clean()
    product.save()
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="drug_product", object_id=product.pk,
                 summary=f"Added drug product {product}", changes={"ndc": [None, product.ndc]})
    return product


def _set_amounts(product: DrugProduct, data: dict) -> None:
    try:
        if product.form == DrugProduct.Form.VIAL:
            pure = ledger.vial(data.get("concentration_mg_per_ml"), data.get("container_volume_ml"))
            product.concentration_mg_per_ml, product.container_volume_ml = pure.concentration_mg_per_ml, pure.container_volume_ml
        elif product.form == DrugProduct.Form.NASAL_DEVICE:
            # One esketamine device holds 28 mg and is counted as one unit (clinical.md §3.3 [20][27]).
            pure = ledger.device()
            product.concentration_mg_per_ml = product.container_volume_ml = None
        else:
            raise ValidationError({"form": "Choose vial or nasal spray device."})
    except ledger.LedgerError as error:
        raise as_validation_error(error) from None
    product.mg_per_container = pure.full_container().mg


def supplier_for(clinic: Clinic, data: dict[str, Any]) -> Supplier:
    """An earlier supplier of this clinic (``supplier_id``) or a new one from name, address and DEA number."""
    if data.get("supplier_id"):
        supplier = Supplier.objects.filter(clinic=clinic, pk=data["supplier_id"]).first()
        if supplier is None:
            raise ValidationError({"supplier_id": "Choose one of this clinic's suppliers."})
        return supplier
    fields = {"name": (data.get("supplier_name") or "").strip(), "address": (data.get("supplier_address") or "").strip(),
              "dea_number": (data.get("supplier_dea_number") or "").strip().upper()}
    existing = Supplier.objects.filter(clinic=clinic, **fields).first()
    if existing:
        return existing
    supplier = Supplier(clinic=clinic, **fields)
    try:
        supplier.full_clean(exclude=["clinic"])
    except ValidationError as error:
        raise ValidationError({f"supplier_{k}" if k != "dea_number" else "supplier_dea_number": v
                               for k, v in error.message_dict.items()}) from None
    supplier.save()
    return supplier


def _check_receipt(clinic: Clinic, data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    today = timezone.localdate(timezone=clinic.tz)
    received_on, expires_on, count = data.get("received_on"), data.get("expires_on"), data.get("containers_received")
    if not isinstance(received_on, dt.date) or received_on > today:
        errors["received_on"] = "Enter the date received; it cannot be in the future."
    if not isinstance(expires_on, dt.date) or (isinstance(received_on, dt.date) and expires_on <= received_on):
        errors["expires_on"] = "Enter the expiry date on the box; expired stock is not received."
    if not isinstance(count, int) or not 1 <= count <= MAX_CONTAINERS_PER_RECEIPT:
        errors["containers_received"] = f"Enter the number of vials or devices received, 1 to {MAX_CONTAINERS_PER_RECEIPT}."
    for name, label in (("invoice_number", "the invoice or packing-slip number"), ("lot_number", "the lot number")):
        if not (data.get(name) or "").strip():
            errors[name] = f"Enter {label}."
    if not isinstance(data.get("product"), DrugProduct):
        errors["product"] = "Choose the drug product."
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def receive(*, clinic: Clinic, data: dict[str, Any], acting_user: User, at: dt.datetime | None = None) -> Receipt:
    """A delivery: the receipt record, one container per vial or device, and a receive entry for each."""
    require_mover(acting_user, clinic.pk)
    data = _check_receipt(clinic, data)
    product = data["product"]
    location = data.get("location") or cabinet_for(clinic)
    if location.clinic_id != clinic.pk:
        raise ValidationError({"location": "Choose this clinic's cabinet."})
    receipt = Receipt.objects.create(
        clinic=clinic, product=product, supplier=supplier_for(clinic, data), received_on=data["received_on"],
        invoice_number=data["invoice_number"].strip(), lot_number=data["lot_number"].strip(), expires_on=data["expires_on"],
        containers_received=data["containers_received"], received_by=acting_user, location=location,
        note=(data.get("note") or "").strip(),
    )
    stock = lock_stock(clinic.pk, product)
    full = product.pure.full_container()
    for number in range(1, receipt.containers_received + 1):
        container = Container.objects.create(
            clinic=clinic, product=product, receipt=receipt, number=number, label=f"{clinic.mrn_prefix}-{receipt.pk}-{number:02d}",
            lot_number=receipt.lot_number, expires_on=receipt.expires_on, location=location, full_mg=full.mg,
            balance_mg=0, balance_ml=0 if product.liquid else None,
        )
        append(container, stock, Kind.RECEIVE, full, actor=acting_user, at=at, audit_row=False,
               counterparty=str(receipt.supplier))
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="ledger_receipt", object_id=receipt.pk, clinic=clinic,
        summary=f"Received {receipt}", changes={k: [None, v] for k, v in audit.snapshot(receipt, RECEIPT_FIELDS).items()},
    )
    return receipt


RECEIPT_FIELDS = ["product", "supplier", "received_on", "invoice_number", "lot_number", "expires_on", "containers_received", "location"]


@transaction.atomic
def update_stock_settings(stock: Stock, *, low_stock_containers: int, expiry_warning_days: int, acting_user: User) -> Stock:
    """The clinic's own warning thresholds (defaults have no published source, so each clinic sets its own)."""
    stock = Stock.objects.select_for_update().get(pk=stock.pk)
    access.require(acting_user, Perm.LEDGER_MOVE, stock.clinic_id)
    errors = {}
    if not isinstance(low_stock_containers, int) or not 0 <= low_stock_containers <= 500:
        errors["low_stock_containers"] = "Enter a number of containers from 0 to 500."
    if not isinstance(expiry_warning_days, int) or not 0 <= expiry_warning_days <= 365:
        errors["expiry_warning_days"] = "Enter a number of days from 0 to 365."
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(stock, ["low_stock_containers", "expiry_warning_days"])
    stock.low_stock_containers, stock.expiry_warning_days = low_stock_containers, expiry_warning_days
    Stock.objects.filter(pk=stock.pk).update(low_stock_containers=low_stock_containers, expiry_warning_days=expiry_warning_days)
    changes = audit.changed(before, audit.snapshot(stock, ["low_stock_containers", "expiry_warning_days"]))
    if changes:
        audit.record(audit.Action.UPDATE, actor=acting_user, object_type="ledger_stock", object_id=stock.pk,
                     clinic=stock.clinic_id, summary="Changed ledger warning thresholds", changes=changes)
    return stock


__all__ = ["cabinet_for", "create_product", "receive", "supplier_for", "update_stock_settings", "record_audit"]
