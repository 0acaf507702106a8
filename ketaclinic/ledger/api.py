"""The ledger's JSON API under /api/v1/ledger/: the same services and access rules as the pages.

Amounts are decimal strings: ``amount_ml`` for vials (read to 0.01 mL; mg follow from the strength), ``amount_mg`` for
esketamine devices (whole 28 mg units). A waste or a count carries the witness's own ``witness_username`` and
``witness_password``, checked like a sign-in (failures count toward the lockout).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.ledger import reports, services
from ketaclinic.ledger.access import get_case_for_user, get_container_for_user, get_entry_for_user
from ketaclinic.ledger.models import Container, Count, DiscrepancyCase, DrugProduct, Entry, Stock
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.visits.models import DoseAdministration, Visit

router = Router(tags=["ledger"])


class ProductIn(Schema):
    name: str = Field(examples=["Ketamine HCl injection"])
    ndc: str = Field(examples=["42023-113-10"])
    form: str = Field(description="vial or nasal_device", examples=["vial"])
    concentration_mg_per_ml: Decimal | None = Field(None, examples=["50"])
    container_volume_ml: Decimal | None = Field(None, examples=["10"])
    manufacturer: str


class ProductOut(Schema):
    id: int
    name: str
    ndc: str
    form: str
    concentration_mg_per_ml: Decimal | None
    container_volume_ml: Decimal | None
    mg_per_container: Decimal
    manufacturer: str
    dea_schedule: str


class StockOut(Schema):
    clinic_id: int
    product_id: int
    balance_mg: Decimal
    balance_ml: Decimal | None
    low_stock_containers: int
    expiry_warning_days: int


class ContainerOut(Schema):
    id: int
    clinic_id: int
    product_id: int
    receipt_id: int
    label: str
    lot_number: str
    expires_on: dt.date
    status: str
    balance_mg: Decimal
    balance_ml: Decimal | None
    opened_at: dt.datetime | None


class EntryOut(Schema):
    id: int
    clinic_id: int
    container_id: int
    product_id: int
    kind: str
    waste_source: str
    amount_mg: Decimal
    amount_ml: Decimal | None
    container_balance_mg: Decimal
    container_balance_ml: Decimal | None
    stock_balance_mg: Decimal
    stock_balance_ml: Decimal | None
    draw_id: int | None
    draw_balance_mg: Decimal | None
    draw_balance_ml: Decimal | None
    reverses_id: int | None
    patient_id: int | None
    visit_id: int | None
    dose_id: int | None
    waste_method: str
    counterparty: str
    dea_form_reference: str
    note: str
    at: dt.datetime
    actor_label: str
    witness_label: str


class ReceiptIn(Schema):
    clinic_id: int
    product_id: int
    received_on: dt.date
    supplier_id: int | None = None
    supplier_name: str = ""
    supplier_address: str = ""
    supplier_dea_number: str = Field("", examples=["PH1234567"])
    invoice_number: str
    lot_number: str
    expires_on: dt.date
    containers_received: int = Field(examples=[5])
    note: str = ""


class ReceiptOut(Schema):
    id: int
    clinic_id: int
    product_id: int
    containers: list[ContainerOut]


class AmountIn(Schema):
    amount_ml: Decimal | None = Field(None, examples=["0.70"])
    amount_mg: Decimal | None = None


class DrawIn(AmountIn):
    patient_id: int | None = Field(None, description="Needed when the draw is not for a visit under way.")
    visit_id: int | None = None
    ordered_dose_mg: Decimal | None = None
    note: str = ""


class WitnessIn(Schema):
    witness_username: str
    witness_password: str


class WasteIn(AmountIn, WitnessIn):
    method: str = Field(description="disposal_system, sink, denaturant or other", examples=["disposal_system"])
    note: str = ""


class DisposalIn(Schema):
    counterparty: str
    dea_form_reference: str = ""
    note: str = ""


class LossIn(AmountIn):
    dea_form_reference: str = Field(description="The DEA Form 106 reference.")
    note: str


class TransferIn(Schema):
    to_clinic_id: int
    note: str = ""


class AdministerIn(AmountIn):
    dose_id: int | None = Field(None, description="The visit's dose record; its volume is used when no amount is given.")


class ReverseIn(Schema):
    reason: str


class CountLineIn(Schema):
    product_id: int
    sealed_counted: int
    open_counted: int = 0
    open_ml_counted: Decimal | None = None
    estimated: bool = False


class CountIn(WitnessIn):
    clinic_id: int
    kind: str = Field(description="opening, closing, initial or biennial")
    business_time: str | None = Field(None, description="opening or close (inventories)")
    lines: list[CountLineIn]
    note: str = ""


class CountLineOut(Schema):
    product_id: int
    expected_mg: Decimal
    expected_ml: Decimal | None
    counted_mg: Decimal
    counted_ml: Decimal | None
    variance_mg: Decimal
    variance_ml: Decimal | None
    estimated: bool


class CountOut(Schema):
    id: int
    clinic_id: int
    kind: str
    business_time: str
    at: dt.datetime
    counted_by_label: str
    witness_label: str
    lines: list[CountLineOut]


class CaseOut(Schema):
    id: int
    clinic_id: int
    count_line_id: int
    opened_at: dt.datetime
    is_open: bool
    explanation: str | None = None

    @staticmethod
    def resolve_explanation(obj) -> str | None:
        resolution = getattr(obj, "resolution", None)  # a missing one-to-one raises an AttributeError subclass
        return resolution.explanation if resolution else None


class ResolveIn(Schema):
    explanation: str
    loss_entry_id: int | None = None


def _clinic(request, clinic_id: int, perm: str = Perm.LEDGER_VIEW):
    personal_only(request)
    return access.get_clinic_for_user(request.user, clinic_id, perm)


@router.get("/products", response={200: list[ProductOut], **ERRORS}, summary="Drug products")
@paginate(Pagination)
def list_products(request):
    personal_only(request)
    if not access.clinic_ids(request.user, Perm.LEDGER_VIEW):
        raise Http404
    return DrugProduct.objects.all()


@router.post("/products", response={201: ProductOut, **WRITE_ERRORS})
def create_product(request, payload: ProductIn):
    personal_only(request)
    return Status(201, services.create_product(data=payload.dict(), acting_user=request.user))


@router.get("/stock", response={200: list[StockOut], **ERRORS}, summary="The clinic's balance of each product")
def list_stock(request, clinic_id: int):
    clinic = _clinic(request, clinic_id)
    return Stock.objects.filter(clinic=clinic).order_by("product_id")


@router.get("/containers", response={200: list[ContainerOut], **ERRORS})
@paginate(Pagination)
def list_containers(request, clinic_id: int, status: str | None = None):
    rows = Container.objects.filter(clinic=_clinic(request, clinic_id)).order_by("expires_on", "pk")
    return rows.filter(status=status) if status else rows


@router.get("/containers/{container_id}", response={200: ContainerOut, **ERRORS})
def read_container(request, container_id: int):
    personal_only(request)
    return get_container_for_user(request.user, container_id, Perm.LEDGER_VIEW)


@router.post("/receipts", response={201: ReceiptOut, **WRITE_ERRORS})
def create_receipt(request, payload: ReceiptIn):
    clinic = _clinic(request, payload.clinic_id, Perm.LEDGER_MOVE)
    data = payload.dict(exclude={"clinic_id", "product_id"})
    data["product"] = get_object_or_404(DrugProduct, pk=payload.product_id)
    receipt = services.receive(clinic=clinic, data=data, acting_user=request.user)
    return Status(201, {"id": receipt.pk, "clinic_id": clinic.pk, "product_id": receipt.product_id,
                        "containers": list(receipt.containers.order_by("number"))})


def _mover_container(request, container_id: int) -> Container:
    personal_only(request)
    return get_container_for_user(request.user, container_id, Perm.LEDGER_MOVE)


@router.post("/containers/{container_id}/draws", response={201: EntryOut, **WRITE_ERRORS}, summary="Draw for a patient")
def create_draw(request, container_id: int, payload: DrawIn):
    container = _mover_container(request, container_id)
    visit = get_object_or_404(Visit, pk=payload.visit_id, clinic_id=container.clinic_id) if payload.visit_id else None
    if visit is None and payload.patient_id is None:
        raise ValidationError({"patient_id": "Give the visit or the patient the draw is for."})
    patient = visit.patient if visit else get_patient_for_user(request.user, payload.patient_id, Perm.CLINICAL_RECORD)
    return Status(201, services.draw(container, patient=patient, visit=visit, acting_user=request.user, amount_ml=payload.amount_ml,
                                     amount_mg=payload.amount_mg, ordered_dose_mg=payload.ordered_dose_mg, note=payload.note))


def _mover_draw(request, draw_id: int) -> Entry:
    personal_only(request)
    entry = get_entry_for_user(request.user, draw_id, Perm.LEDGER_MOVE)
    if entry.kind != Entry.Kind.DRAW or entry.is_reversal:
        raise Http404
    return entry


@router.post("/draws/{draw_id}/administrations", response={201: EntryOut, **WRITE_ERRORS})
def create_administration(request, draw_id: int, payload: AdministerIn):
    draw = _mover_draw(request, draw_id)
    dose = get_object_or_404(DoseAdministration, pk=payload.dose_id, visit__clinic_id=draw.clinic_id) if payload.dose_id else None
    return Status(201, services.administer(draw, acting_user=request.user, amount_ml=payload.amount_ml, amount_mg=payload.amount_mg,
                                           dose=dose))


@router.post("/draws/{draw_id}/wastes", response={201: EntryOut, **WRITE_ERRORS}, summary="Waste a syringe's rest, witnessed")
def create_syringe_waste(request, draw_id: int, payload: WasteIn):
    draw = _mover_draw(request, draw_id)
    witness = services.sign(request, clinic=draw.clinic, acting_user=request.user, username=payload.witness_username,
                            password=payload.witness_password)
    return Status(201, services.waste_from_syringe(draw, acting_user=request.user, witness=witness, method=payload.method,
                                                   amount_ml=payload.amount_ml, amount_mg=payload.amount_mg, note=payload.note))


@router.post("/containers/{container_id}/wastes", response={201: EntryOut, **WRITE_ERRORS}, summary="Waste a vial's rest, witnessed")
def create_container_waste(request, container_id: int, payload: WasteIn):
    container = _mover_container(request, container_id)
    witness = services.sign(request, clinic=container.clinic, acting_user=request.user, username=payload.witness_username,
                            password=payload.witness_password)
    return Status(201, services.waste_from_container(container, acting_user=request.user, witness=witness, method=payload.method,
                                                     amount_ml=payload.amount_ml, amount_mg=payload.amount_mg, note=payload.note))


@router.post("/containers/{container_id}/returns", response={201: EntryOut, **WRITE_ERRORS})
def create_return(request, container_id: int, payload: DisposalIn):
    container = _mover_container(request, container_id)
    return Status(201, services.return_to_supplier(container, acting_user=request.user, counterparty=payload.counterparty,
                                                   note=payload.note))


@router.post("/containers/{container_id}/disposals", response={201: EntryOut, **WRITE_ERRORS}, summary="Dispose of expired stock")
def create_disposal(request, container_id: int, payload: DisposalIn):
    container = _mover_container(request, container_id)
    return Status(201, services.dispose_expired(container, acting_user=request.user, counterparty=payload.counterparty,
                                                dea_form_reference=payload.dea_form_reference, note=payload.note))


@router.post("/containers/{container_id}/losses", response={201: EntryOut, **WRITE_ERRORS}, summary="Theft or loss (Form 106)")
def create_loss(request, container_id: int, payload: LossIn):
    container = _mover_container(request, container_id)
    return Status(201, services.record_loss(container, acting_user=request.user, dea_form_reference=payload.dea_form_reference,
                                            note=payload.note, amount_ml=payload.amount_ml, amount_mg=payload.amount_mg))


@router.post("/containers/{container_id}/transfers", response={201: EntryOut, **WRITE_ERRORS})
def create_transfer(request, container_id: int, payload: TransferIn):
    container = _mover_container(request, container_id)
    to_clinic = access.get_clinic_for_user(request.user, payload.to_clinic_id)
    return Status(201, services.transfer(container, to_clinic=to_clinic, acting_user=request.user, note=payload.note))


@router.get("/entries", response={200: list[EntryOut], **ERRORS}, summary="The clinic's ledger, newest first")
@paginate(Pagination)
def list_entries(request, clinic_id: int, container_id: int | None = None):
    rows = Entry.objects.filter(clinic=_clinic(request, clinic_id)).order_by("-at", "-pk")
    return rows.filter(container_id=container_id) if container_id else rows


@router.get("/entries/{entry_id}", response={200: EntryOut, **ERRORS})
def read_entry(request, entry_id: int):
    personal_only(request)
    return get_entry_for_user(request.user, entry_id, Perm.LEDGER_VIEW)


@router.post("/entries/{entry_id}/reversal", response={201: EntryOut, **WRITE_ERRORS}, summary="Correct a mistake")
def create_reversal(request, entry_id: int, payload: ReverseIn):
    personal_only(request)
    entry = get_entry_for_user(request.user, entry_id, Perm.LEDGER_MOVE)
    return Status(201, services.reverse(entry, acting_user=request.user, reason=payload.reason))


@router.get("/counts", response={200: list[CountOut], **ERRORS})
@paginate(Pagination)
def list_counts(request, clinic_id: int):
    return Count.objects.filter(clinic=_clinic(request, clinic_id)).prefetch_related("lines").order_by("-at", "-pk")


@router.post("/counts", response={201: CountOut, **WRITE_ERRORS}, summary="Count by two people")
def create_count(request, payload: CountIn):
    clinic = _clinic(request, payload.clinic_id, Perm.LEDGER_MOVE)
    witness = services.sign(request, clinic=clinic, acting_user=request.user, username=payload.witness_username,
                            password=payload.witness_password)
    count = services.record_count(clinic=clinic, kind=payload.kind, business_time=payload.business_time,
                                  lines=[line.dict() for line in payload.lines], witness=witness, acting_user=request.user,
                                  note=payload.note)
    return Status(201, count)


@router.get("/cases", response={200: list[CaseOut], **ERRORS}, summary="Discrepancy cases")
@paginate(Pagination)
def list_cases(request, clinic_id: int, open: bool | None = None):
    rows = DiscrepancyCase.objects.filter(clinic=_clinic(request, clinic_id)).select_related("resolution").order_by("-opened_at", "-pk")
    return rows if open is None else rows.filter(resolution__isnull=open)


@router.post("/cases/{case_id}/resolution", response={201: CaseOut, **WRITE_ERRORS}, summary="A physician resolves a case")
def resolve_case(request, case_id: int, payload: ResolveIn):
    personal_only(request)
    case = get_case_for_user(request.user, case_id, Perm.LEDGER_VIEW)
    loss = Entry.objects.filter(pk=payload.loss_entry_id).first() if payload.loss_entry_id else None
    services.resolve_case(case, explanation=payload.explanation, loss_entry=loss, acting_user=request.user)
    return Status(201, DiscrepancyCase.objects.select_related("resolution").get(pk=case.pk))


class LineOut(Schema):
    product_id: int
    product: str
    balances: bool
    opening_mg: Decimal
    received_mg: Decimal
    administered_mg: Decimal
    wasted_mg: Decimal
    returned_mg: Decimal
    disposed_mg: Decimal
    lost_mg: Decimal
    transferred_in_mg: Decimal
    transferred_out_mg: Decimal
    expected_closing_mg: Decimal
    recorded_closing_mg: Decimal
    expected_closing_ml: Decimal | None
    recorded_closing_ml: Decimal | None


class ReconciliationOut(Schema):
    clinic_id: int
    start: dt.date
    end: dt.date
    balances: bool
    open_cases: int
    products: list[LineOut]


@router.get("/reports/reconciliation", response={200: ReconciliationOut, **ERRORS}, summary="Reconciliation for a period")
def reconciliation(request, clinic_id: int, start: dt.date, end: dt.date):
    clinic = _clinic(request, clinic_id)
    report = reports.reconciliation(clinic, start, end)
    return {"clinic_id": clinic.pk, "start": start, "end": end, "balances": report.balances, "open_cases": report.open_cases,
            "products": [_line_out(row) for row in report.rows]}


def _line_out(row) -> dict:
    r, s = row.result, row.result.summary
    return {"product_id": row.product.pk, "product": str(row.product), "balances": r.balances, "opening_mg": r.opening.mg,
            **{f"{name}_mg": getattr(s, name).mg for name in ("received", "administered", "wasted", "returned", "disposed",
                                                               "lost", "transferred_in", "transferred_out")},
            "expected_closing_mg": r.expected_closing.mg, "recorded_closing_mg": r.recorded_closing.mg,
            "expected_closing_ml": r.expected_closing.ml, "recorded_closing_ml": r.recorded_closing.ml}
