"""Counts by two people, expected against counted, and the discrepancy cases a physician resolves."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count as Tally
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models import CaseResolution, Container, Count, CountLine, DiscrepancyCase, DrugProduct, Entry, Stock
from ketaclinic.ledger.services.core import as_validation_error, require_mover
from ketaclinic.ledger.services.witness import WitnessSignature, check_witness, person_label

BUSINESS_TIME_FOR = {Count.Kind.OPENING: Count.BusinessTime.OPENING, Count.Kind.CLOSING: Count.BusinessTime.CLOSE}
MIN_EXPLANATION_CHARS = 20


def expected_stock(clinic: Clinic) -> dict[int, dict[str, Any]]:
    """{product_id: {product, sealed, open, quantity}} from the clinic's stock and containers right now."""
    stocks = Stock.objects.select_for_update().filter(clinic=clinic).select_related("product").order_by("pk")
    result = {s.product_id: {"product": s.product, "sealed": 0, "open": 0, "quantity": s.quantity} for s in stocks}
    tallies = (
        Container.objects.filter(clinic=clinic, status__in=Container.USABLE).values("product_id")
        .annotate(sealed=Tally("pk", filter=Q(status=Container.Status.SEALED)), open=Tally("pk", filter=Q(status=Container.Status.OPEN)))
    )
    for row in tallies:
        result[row["product_id"]].update(sealed=row["sealed"], open=row["open"])
    return result


def _line(product: DrugProduct, expected: dict, counted: dict) -> CountLine:
    try:
        quantity = ledger.counted_quantity(
            product.pure, sealed_containers=counted.get("sealed_counted"), open_ml=counted.get("open_ml_counted"),
        )
    except ledger.LedgerError as error:
        name = {"sealed_containers": "sealed_counted", "open_ml": "open_ml_counted"}.get(error.field, error.field)
        raise ValidationError({f"{name}_{product.pk}": error.message}) from None
    expected_qty = expected.get("quantity") or ledger.zero(product.liquid)
    diff = ledger.variance(expected_qty, quantity)
    return CountLine(
        product=product, expected_sealed=expected.get("sealed", 0), expected_open=expected.get("open", 0),
        expected_mg=expected_qty.mg, expected_ml=expected_qty.ml, sealed_counted=counted["sealed_counted"],
        open_counted=counted.get("open_counted") or 0, open_ml_counted=counted.get("open_ml_counted") if product.liquid else None,
        estimated=bool(counted.get("estimated")), counted_mg=quantity.mg, counted_ml=quantity.ml,
        variance_mg=diff.mg, variance_ml=diff.ml,
    )


def _check_kind(kind: str, business_time: str | None) -> str:
    if kind not in Count.Kind.values:
        raise ValidationError({"kind": "Choose opening count, closing count, initial or biennial inventory."})
    business_time = BUSINESS_TIME_FOR.get(kind) or business_time
    if business_time not in Count.BusinessTime.values:
        # 21 CFR 1304.11: the inventory record says whether it was taken at the opening or close of business (§8 [63]).
        raise ValidationError({"business_time": "Say whether the inventory was taken at the opening or the close of business."})
    return business_time


@transaction.atomic
def record_count(
    *, clinic: Clinic, kind: str, lines: list[dict[str, Any]], witness: WitnessSignature | None, acting_user: User,
    business_time: str | None = None, note: str = "", at: dt.datetime | None = None,
) -> Count:
    """Both people count every product in the cabinet; any difference opens a discrepancy case."""
    require_mover(acting_user, clinic.pk)
    witness_user = check_witness(witness, clinic=clinic, acting_user=acting_user)
    business_time = _check_kind(kind, business_time)
    expected = expected_stock(clinic)  # locks the clinic's stock rows: no movement lands mid-count
    by_product = _lines_by_product(lines, expected)
    count = Count.objects.create(
        clinic=clinic, kind=kind, business_time=business_time, at=at or timezone.now(), counted_by=acting_user,
        counted_by_label=person_label(acting_user), witness=witness_user, witness_label=person_label(witness_user), note=note,
    )
    cases = 0
    for product, counted in by_product:
        line = _line(product, expected.get(product.pk, {}), counted)
        line.count = count
        line.save()
        if line.has_variance:
            DiscrepancyCase.objects.create(clinic=clinic, count_line=line, opened_at=count.at)
            cases += 1
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="ledger_count", object_id=count.pk, clinic=clinic,
                 summary=f"{count.get_kind_display()} with {witness_user}: {cases} discrepanc{'y' if cases == 1 else 'ies'}")
    return count


def _lines_by_product(lines: list[dict[str, Any]], expected: dict) -> list[tuple[DrugProduct, dict]]:
    ids = [line.get("product_id") for line in lines]
    if len(ids) != len(set(ids)):
        raise ValidationError({"lines": "Count each product once."})
    products = DrugProduct.objects.in_bulk([i for i in ids if i is not None])
    if len(products) != len(ids):
        raise ValidationError({"lines": "Every line must name a drug product."})
    missing = [e["product"].name for pid, e in expected.items() if pid not in products and _holds_stock(e)]
    if missing:
        raise ValidationError({"lines": f"Count every product in the cabinet; missing: {', '.join(sorted(missing))}."})
    return [(products[line["product_id"]], line) for line in lines]


def _holds_stock(expected: dict) -> bool:
    return expected["sealed"] or expected["open"] or not expected["quantity"].is_zero


@transaction.atomic
def resolve_case(case: DiscrepancyCase, *, explanation: str, acting_user: User, loss_entry: Entry | None = None) -> CaseResolution:
    """Only a physician closes a discrepancy, and only with an explanation (clinical.md §8 "discrepancy and resolution")."""
    case = DiscrepancyCase.objects.select_for_update().get(pk=case.pk)
    if not access.can(acting_user, Perm.CLINICAL_SIGN, case.clinic_id) or not access.can(acting_user, Perm.LEDGER_MOVE, case.clinic_id):
        raise PermissionDenied("Only a physician at this clinic may resolve a discrepancy.")
    explanation = (explanation or "").strip()
    if len(explanation) < MIN_EXPLANATION_CHARS:
        raise ValidationError({"explanation": f"Explain what happened and what was checked (at least {MIN_EXPLANATION_CHARS} characters)."})
    if loss_entry is not None and (loss_entry.clinic_id != case.clinic_id or loss_entry.kind != Entry.Kind.LOSS):
        raise ValidationError({"loss_entry": "Choose a loss entry of this clinic."})
    if CaseResolution.objects.filter(case=case).exists():
        raise ValidationError({"explanation": "This case is already resolved."})
    try:
        with transaction.atomic():
            resolution = CaseResolution.objects.create(
                case=case, resolved_by=acting_user, resolved_by_label=person_label(acting_user), explanation=explanation,
                loss_entry=loss_entry,
            )
    except IntegrityError:
        raise ValidationError({"explanation": "This case is already resolved."}) from None
    audit.record(audit.Action.UPDATE, actor=acting_user, object_type="ledger_case", object_id=case.pk, clinic=case.clinic_id,
                 summary="Resolved a controlled-substance discrepancy", changes={"status": ["open", "resolved"]})
    return resolution


__all__ = ["expected_stock", "record_count", "resolve_case", "as_validation_error"]
