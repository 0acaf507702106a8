"""At the chair: draw from a vial for a patient, then administer and waste the rest with a witness on the same screen."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import ledger
from ketaclinic.core.decorators import staff_required
from ketaclinic.ledger import forms, services
from ketaclinic.ledger.access import get_container_for_user, get_entry_for_user
from ketaclinic.ledger.models import Entry
from ketaclinic.ledger.services.core import draw_remaining
from ketaclinic.ledger.views.common import can_move, form_flow, witness_from


@staff_required
@require_http_methods(["GET", "POST"])
def draw(request, container_id: int):
    c = get_container_for_user(request.user, container_id, Perm.LEDGER_MOVE)
    form = forms.DrawForm(request.POST or None, clinic=c.clinic, liquid=c.product.liquid)

    def act(data):
        visit = data.get("visit")
        entry = services.draw(c, patient=visit.patient if visit else data.get("patient"), visit=visit, acting_user=request.user,
                              amount_ml=data.get("amount_ml"),
                              amount_mg=data.get("amount_mg"), ordered_dose_mg=data.get("ordered_dose_mg"), note=data.get("note", ""))
        return redirect("ledger:draw_detail", entry_id=entry.pk)

    return form_flow(request, form, act, "ledger/draw.html", {"c": c}, success="Drawn. Record the dose given, then waste any rest.")


def _draw_context(request, entry: Entry, **forms_) -> dict:
    remaining = draw_remaining(entry)
    liquid = entry.product.liquid
    uses = Entry.objects.filter(draw=entry).select_related("product", "reverses").order_by("container_seq")
    may_move = can_move(request, entry.clinic_id)
    given = any(u.kind == Entry.Kind.ADMINISTER and not u.is_reversal for u in uses)
    # Before anything is given, offer the whole syringe (and the visit's only dose record); afterwards nothing is
    # pre-filled, so the rest is not recorded as given by a tap.
    amount = {} if given else ({"amount_ml": remaining.ml} if liquid else {"amount_mg": remaining.mg})
    doses = list(entry.visit.doses.exclude(status="voided").values_list("pk", flat=True)) if entry.visit_id else []
    if len(doses) == 1 and not given:
        amount["dose"] = doses[0]
    return {
        "draw": entry, "remaining": remaining, "remaining_label": ledger.describe(remaining, entry.product.mg_per_container),
        "uses": uses, "can_move": may_move, "given": given,
        "administer_form": forms_.get("administer_form") or forms.AdministerForm(initial=amount, liquid=liquid, visit=entry.visit),
        "waste_form": forms_.get("waste_form") or forms.WasteForm(),
    }


def _get_draw(request, entry_id: int, perm: str) -> Entry:
    entry = get_entry_for_user(request.user, entry_id, perm)
    if entry.kind != Entry.Kind.DRAW or entry.is_reversal:
        raise Http404("Not a draw.")
    return entry


@staff_required
def draw_detail(request, entry_id: int):
    entry = _get_draw(request, entry_id, Perm.LEDGER_VIEW)
    return render(request, "ledger/draw_detail.html", _draw_context(request, entry))


@staff_required
@require_http_methods(["POST"])
def administer(request, entry_id: int):
    entry = _get_draw(request, entry_id, Perm.LEDGER_MOVE)
    form = forms.AdministerForm(request.POST, liquid=entry.product.liquid, visit=entry.visit)

    def act(data):
        services.administer(entry, acting_user=request.user, amount_ml=data.get("amount_ml"), amount_mg=data.get("amount_mg"),
                            dose=data.get("dose"))
        return redirect("ledger:draw_detail", entry_id=entry.pk)

    context = _draw_context(request, entry, administer_form=form)
    return form_flow(request, form, act, "ledger/draw_detail.html", context, success="Administration recorded.")


@staff_required
@require_http_methods(["POST"])
def waste(request, entry_id: int):
    entry = _get_draw(request, entry_id, Perm.LEDGER_MOVE)
    form = forms.WasteForm(request.POST)

    def act(data):
        signature = witness_from(request, entry.clinic, data)
        services.waste_from_syringe(entry, acting_user=request.user, witness=signature, method=data["method"],
                                    amount_ml=data.get("amount_ml"), note=data.get("note", ""))
        return redirect("ledger:draw_detail", entry_id=entry.pk)

    context = _draw_context(request, entry, waste_form=form)
    return form_flow(request, form, act, "ledger/draw_detail.html", context, success="Waste recorded with the witness's signature.")
