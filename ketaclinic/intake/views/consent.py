"""Informed consent pages: signing at the clinic (staff present), reading a signed consent, withdrawing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.intake import consent_texts, services
from ketaclinic.intake.access import get_consent_for_user, get_patient_for_intake
from ketaclinic.intake.forms.staff import ConsentSignForm, WithdrawForm
from ketaclinic.intake.models import InformedConsent, Route


def consent_route(route: str) -> str:
    if route not in Route.values:
        raise Http404("No such route.")
    return route


def sign_page(request, patient, route, *, where, template, done_url):
    """Shared by the clinic and portal pages: show the current text, take the typed name, sign."""
    text = consent_texts.current(route)
    form = ConsentSignForm(request.POST or None, initial={"text_version": text.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_consent(patient, route=route, where=where, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Consent for {Route(route).label} signed.")
            return redirect(done_url)
    context = {"patient": patient, "route": route, "route_label": Route(route).label, "text": text, "form": form,
               "decision": services.current_decision(patient), "existing": services.current_consent(patient, route)}
    return render(request, template, context, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def staff_consent(request, patient_id: int, route: str):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    from django.urls import reverse

    return sign_page(request, patient, consent_route(route), where=InformedConsent.Where.CLINIC,
                     template="intake/consent/sign.html", done_url=reverse("intake:intake_detail", args=[patient.pk]))


@staff_required
def consent_view(request, consent_id: int):
    consent = get_consent_for_user(request.user, consent_id)
    services_record_opened(consent, request.user)
    text = consent_texts.VERSIONS[consent.text_version]
    return render(request, "intake/consent/view.html", {
        "consent": consent, "patient": consent.patient, "text": text, "withdraw_form": WithdrawForm(),
        "tz": consent.patient.clinic.tz, "digest_matches": text.sha256 == consent.text_sha256})


def services_record_opened(consent, user) -> None:
    from ketaclinic.patients.services import record_chart_opened

    record_chart_opened(consent.patient, acting_user=user, via=f"signed consent {consent.pk}")


@staff_required
@require_POST
def consent_withdraw(request, consent_id: int):
    consent = get_consent_for_user(request.user, consent_id, Perm.CLINICAL_RECORD)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw_consent(consent, reason=form.cleaned_data.get("reason", ""), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Consent withdrawn. No new treatment plan can be made for this route.")
    return redirect("intake:intake_detail", patient_id=consent.patient_id)
