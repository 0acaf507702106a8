"""The public cost estimator: no account needed. The numbers are POSTed, so a visitor's coverage never
lands in a URL or a server log."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketaclinic.billing.estimator import EstimateForm, label
from ketaclinic.billing.services import estimates
from ketaclinic.billing.services.prices import billing_profile, current_price_list, publishing_clinics
from ketaclinic.clinical import pricing


@require_http_methods(["GET", "POST"])
def estimate(request):
    clinics = publishing_clinics()
    initial = {"clinic": request.GET.get("clinic")} if request.GET.get("clinic", "").isdigit() else {}
    form = EstimateForm(request.POST or None, clinics=clinics, initial=initial)
    context = {"form": form, "clinics": clinics, "typical": _typical()}
    if request.method == "POST" and form.is_valid():
        clinic = form.cleaned_data["clinic"]
        price_list = current_price_list(clinic)
        if price_list is None:
            form.add_error("clinic", _("This clinic has not published prices yet."))
        else:
            context.update(_result(form, clinic, price_list))
    status = 422 if form.errors else 200
    return render(request, "billing/public_estimate.html", context, status=status)


def _result(form, clinic, price_list) -> dict:
    course = form.course(price_list)
    missing = [t for t, n in course.sessions.items() if n and price_list.price_cents(t) is None]
    if missing:
        form.add_error(None, _("This clinic does not list a price for: %(types)s.")
                       % {"types": ", ".join(label(t) for t in missing)})
        return {}
    try:
        result = estimates.run(price_list, course, form.coverage())
    except ValidationError as error:  # e.g. the clinic does not price a session type that was asked for
        form.add_error(None, error.messages)
        return {}
    return {"result": result, "clinic": clinic, "price_list": price_list,
            "extra_assumptions": estimates.extra_assumptions(course, None, price_list),
            "financing": billing_profile(clinic).financing_options}


def _typical() -> dict:
    return {
        "infusion_min": pricing.LA_IV_INFUSION_TYPICAL_MIN_CENTS, "infusion_max": pricing.LA_IV_INFUSION_TYPICAL_MAX_CENTS,
        "induction_min": pricing.LA_IV_INDUCTION_TYPICAL_MIN_CENTS,
        "induction_max": pricing.LA_IV_INDUCTION_TYPICAL_MAX_CENTS,
    }
