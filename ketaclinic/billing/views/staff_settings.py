"""Staff pages: price lists, billing settings, payers and their plans (per clinic)."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts import access as clinic_access
from ketaclinic.accounts.roles import Perm
from ketaclinic.billing import access
from ketaclinic.billing.forms import BillingProfileForm, InsurancePlanForm, PayerForm, PriceListForm
from ketaclinic.billing.models import Payer, PriceList
from ketaclinic.billing.services import insurance, prices
from ketaclinic.billing.services._common import clinic_today
from ketaclinic.billing.views._helpers import form_page
from ketaclinic.clinical import pricing
from ketaclinic.core.decorators import staff_required


@staff_required
def prices_page(request):
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_VIEW, clinic.pk)
    today = clinic_today(clinic)
    context = {
        "versions": PriceList.objects.filter(clinic=clinic).select_related("created_by"),
        "current": prices.current_price_list(clinic, on=today), "profile": prices.billing_profile(clinic),
        "can_edit": clinic_access.can(request.user, Perm.BILLING_EDIT, clinic.pk), "today": today,
        "typical": {"infusion": (pricing.LA_IV_INFUSION_TYPICAL_MIN_CENTS, pricing.LA_IV_INFUSION_TYPICAL_MAX_CENTS),
                    "induction": (pricing.LA_IV_INDUCTION_TYPICAL_MIN_CENTS, pricing.LA_IV_INDUCTION_TYPICAL_MAX_CENTS)},
    }
    return render(request, "billing/prices.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def price_list_new(request):
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_EDIT, clinic.pk)
    current = prices.current_price_list(clinic)
    initial = {f: getattr(current, f) for f in PriceList.AUDITED_FIELDS} if current else {}
    initial.update(effective_from=clinic_today(clinic), note="")
    form = PriceListForm(request.POST or None, initial=initial)
    return form_page(request, form, title="New price list", back_url=reverse("billing:prices"),
                     save=lambda data: prices.create_price_list(clinic, data=data, acting_user=request.user),
                     message="Price list saved. Charges made before it starts keep their prices.", submit="Save price list",
                     intro="A new version; earlier versions stay as they were. Empty price: not offered. Typical Los "
                           "Angeles self-pay prices are $400–$800 per IV infusion and $2,400–$4,800 for an induction "
                           "of six (clinical.md §0b, §7.4).")


@staff_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_EDIT, clinic.pk)
    form = BillingProfileForm(request.POST or None, instance=prices.billing_profile(clinic))
    return form_page(request, form, title="Billing settings", back_url=reverse("billing:prices"),
                     save=lambda data: prices.update_billing_profile(clinic, data=data, acting_user=request.user),
                     message="Billing settings saved.", submit="Save settings")


@staff_required
def payers_page(request):
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_VIEW, clinic.pk)
    payers = Payer.objects.filter(clinic=clinic).prefetch_related("plans")
    return render(request, "billing/payers.html", {
        "payers": payers, "can_edit": clinic_access.can(request.user, Perm.BILLING_EDIT, clinic.pk)})


@staff_required
@require_http_methods(["GET", "POST"])
def payer_new(request):
    clinic = request.clinic
    clinic_access.require(request.user, Perm.BILLING_EDIT, clinic.pk)
    form = PayerForm(request.POST or None, initial={"active": True})
    return form_page(request, form, title="New payer", back_url=reverse("billing:payers"),
                     save=lambda data: insurance.create_payer(clinic, data=data, acting_user=request.user),
                     done_url=lambda payer: reverse("billing:payer", args=[payer.pk]), message="Payer added.",
                     submit="Add payer")


@staff_required
@require_http_methods(["GET", "POST"])
def payer_page(request, payer_id: int):
    payer = access.get_payer(request.user, payer_id, Perm.BILLING_EDIT)
    form = PayerForm(request.POST or None, instance=payer, prefix="payer")
    plan_form = InsurancePlanForm(prefix="plan")
    return form_page(request, form, title=payer.name, back_url=reverse("billing:payers"), template="billing/payer.html",
                     save=lambda data: insurance.update_payer(payer, data=data, acting_user=request.user),
                     done_url=reverse("billing:payer", args=[payer.pk]), submit="Save payer",
                     extra={"payer": payer, "plan_form": plan_form, "plans": payer.plans.all()})


@staff_required
@require_http_methods(["POST"])
def plan_add(request, payer_id: int):
    payer = access.get_payer(request.user, payer_id, Perm.BILLING_EDIT)
    form = InsurancePlanForm(request.POST, prefix="plan")
    return form_page(request, form, title=f"New plan of {payer.name}", back_url=reverse("billing:payer", args=[payer.pk]),
                     save=lambda data: insurance.create_plan(payer, data=data, acting_user=request.user),
                     message="Plan added.", submit="Add plan")
