"""The ledger home, products, receipts, a container's page and its movements (open, waste, return, dispose, loss,
transfer), and the clinic's warning thresholds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count as Tally
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.ledger import forms, services, warnings
from ketaclinic.ledger.access import get_container_for_user
from ketaclinic.ledger.models import Container, DrugProduct, Entry, Stock
from ketaclinic.ledger.views.common import can_move, clinic_for, form_flow, witness_from


@staff_required
def home(request):
    clinic = clinic_for(request)
    stocks = Stock.objects.filter(clinic=clinic).select_related("product").annotate(
        sealed=Tally("product__containers", filter=Q(product__containers__clinic=clinic, product__containers__status="sealed")),
        opened=Tally("product__containers", filter=Q(product__containers__clinic=clinic, product__containers__status="open")),
    ).order_by("product__name", "product__concentration_mg_per_ml")
    open_containers = Container.objects.filter(clinic=clinic, status=Container.Status.OPEN).select_related("product").order_by("opened_at")
    context = {
        "clinic": clinic, "stocks": stocks, "open_containers": open_containers, "syringes": _open_draws(clinic),
        "warnings": warnings.for_clinic(clinic), "can_move": can_move(request, clinic.pk),
        "recent": Entry.objects.filter(clinic=clinic).select_related("product", "container")[:8],
    }
    return render(request, "ledger/home.html", context)


def _open_draws(clinic):
    """Draws whose syringe still holds drug (what the nurse must still administer or waste)."""
    chain = Entry.objects.filter(Q(pk=OuterRef("pk")) | Q(draw_id=OuterRef("pk"))).order_by("-container_seq")
    return (
        Entry.objects.filter(clinic=clinic, kind=Entry.Kind.DRAW, reverses__isnull=True)
        .annotate(left_mg=Subquery(chain.values("draw_balance_mg")[:1]), left_ml=Subquery(chain.values("draw_balance_ml")[:1]))
        .filter(left_mg__gt=0).select_related("patient", "container", "product").order_by("at")
    )


@staff_required
def sealed_stock(request):
    clinic = clinic_for(request)
    containers = Container.objects.filter(clinic=clinic, status=Container.Status.SEALED).select_related("product")
    return render(request, "ledger/sealed.html", {"clinic": clinic, "containers": containers, "can_move": can_move(request, clinic.pk)})


@staff_required
@require_http_methods(["GET", "POST"])
def products(request):
    clinic = clinic_for(request)
    may_add = can_move(request, clinic.pk)
    if request.method == "POST":
        access.require(request.user, Perm.LEDGER_MOVE, clinic.pk)
    form = forms.ProductForm(request.POST or None)

    def act(data):
        services.create_product(data=data, acting_user=request.user)
        return redirect("ledger:products")

    context = {"products": DrugProduct.objects.all(), "can_move": may_add}
    return form_flow(request, form, act, "ledger/products.html", context, success="Product added.")


@staff_required
@require_http_methods(["GET", "POST"])
def receive(request):
    clinic = clinic_for(request, Perm.LEDGER_MOVE)
    form = forms.ReceiptForm(request.POST or None, clinic=clinic)

    def act(data):
        receipt = services.receive(clinic=clinic, data=data, acting_user=request.user)
        return redirect("ledger:receipt", receipt_id=receipt.pk)

    return form_flow(request, form, act, "ledger/receive.html", {"clinic": clinic}, success="Received. Label each vial as shown.")


@staff_required
def receipt(request, receipt_id: int):
    clinic = clinic_for(request)
    receipt = get_object_or_404(clinic.ledger_receipts.select_related("product", "supplier", "location", "received_by"), pk=receipt_id)
    containers = receipt.containers.select_related("product", "clinic").order_by("number")
    return render(request, "ledger/receipt.html", {"receipt": receipt, "containers": containers})


@staff_required
def container(request, container_id: int):
    c = get_container_for_user(request.user, container_id, Perm.LEDGER_VIEW)
    entries = c.entries.filter(clinic_id=c.clinic_id).select_related("product", "patient", "reverses").order_by("-container_seq")
    context = {"c": c, "entries": entries, "can_move": can_move(request, c.clinic_id)}
    return render(request, "ledger/container.html", context)


ACTIONS = {
    "waste": (forms.WasteForm, "Waste what is left in the vial", "Wasted, with the witness's signature."),
    "return": (forms.ReturnForm, "Return to the supplier", "Returned."),
    "dispose": (forms.DisposeForm, "Dispose of expired stock", "Disposal recorded."),
    "loss": (forms.LossForm, "Record a theft or loss", "Loss recorded. File DEA Form 106 if not done."),
    "transfer": (forms.TransferForm, "Transfer to another clinic", "Transferred."),
}


@staff_required
@require_http_methods(["GET", "POST"])
def container_action(request, container_id: int, action: str):
    c = get_container_for_user(request.user, container_id, Perm.LEDGER_MOVE)
    form_class, title, success = ACTIONS[action]
    kwargs = {"clinics": access.clinics_for_user(request.user).exclude(pk=c.clinic_id)} if action == "transfer" else {}
    form = form_class(request.POST or None, **kwargs)

    def act(data):
        _run_action(request, c, action, data)
        return redirect("ledger:container", container_id=c.pk)

    return form_flow(request, form, act, "ledger/container_action.html", {"c": c, "title": title, "action": action}, success=success)


def _run_action(request, c: Container, action: str, data: dict) -> None:
    user = request.user
    if action == "waste":
        services.waste_from_container(c, acting_user=user, witness=witness_from(request, c.clinic, data), method=data["method"],
                                      amount_ml=data.get("amount_ml"), note=data.get("note", ""))
    elif action == "return":
        services.return_to_supplier(c, acting_user=user, counterparty=data["counterparty"], note=data.get("note", ""))
    elif action == "dispose":
        services.dispose_expired(c, acting_user=user, counterparty=data["counterparty"],
                                 dea_form_reference=data["dea_form_reference"], note=data.get("note", ""))
    elif action == "loss":
        services.record_loss(c, acting_user=user, dea_form_reference=data["dea_form_reference"], note=data["note"],
                             amount_ml=data.get("amount_ml"))
    else:
        services.transfer(c, to_clinic=data["to_clinic"], acting_user=user, note=data.get("note", ""))


@staff_required
@require_http_methods(["POST"])
def open_container(request, container_id: int):
    c = get_container_for_user(request.user, container_id, Perm.LEDGER_MOVE)
    try:
        services.open_container(c, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{c.label} opened.")
    return redirect("ledger:container", container_id=c.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def stock_settings(request, stock_id: int):
    clinic = clinic_for(request, Perm.LEDGER_MOVE)
    stock = get_object_or_404(Stock.objects.select_related("product"), pk=stock_id, clinic=clinic)
    form = forms.SettingsForm(request.POST or None, initial={
        "low_stock_containers": stock.low_stock_containers, "expiry_warning_days": stock.expiry_warning_days})

    def act(data):
        services.update_stock_settings(stock, acting_user=request.user, **data)
        return redirect("ledger:home")

    return form_flow(request, form, act, "ledger/settings.html", {"stock": stock}, success="Warning thresholds saved.")
