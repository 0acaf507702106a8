"""The patient's own intake and consent in the portal: no ids of other patients are ever accepted."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.core.decorators import patient_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.intake import services
from ketaclinic.intake.access import get_intake, portal_patient
from ketaclinic.intake.forms.staff import ITEM_FORMS, IntakeAnswersForm, WithdrawForm
from ketaclinic.intake.models import InformedConsent
from ketaclinic.intake.summary import intake_summary
from ketaclinic.intake.views.consent import consent_route, sign_page
from ketaclinic.patients.services import record_chart_opened


def _context(patient, intake, **extra) -> dict:
    return {"patient": patient, "intake": intake, "summary": intake_summary(intake),
            "item_forms": {kind: form() for kind, form in ITEM_FORMS.items()}, **extra}


@patient_required
@require_http_methods(["GET", "POST"])
def my_intake(request):
    patient = portal_patient(request.user)
    if request.method == "POST":  # "Start my intake"
        services.start_intake(patient, acting_user=request.user)
        return redirect("intake:my_intake_edit")
    record_chart_opened(patient, acting_user=request.user, via="own intake in the portal")
    intake = get_intake(patient)
    if intake is None:
        return render(request, "intake/portal/start.html", {"patient": patient})
    return render(request, "intake/portal/intake.html", _context(patient, intake, withdraw_form=WithdrawForm()))




@patient_required
@require_http_methods(["GET", "POST"])
def my_intake_edit(request):
    patient = portal_patient(request.user)
    intake = get_intake(patient)
    if intake is None:
        return redirect("intake:my_intake")
    if not intake.is_editable_by_patient:
        messages.error(request, "Your intake has been sent to the clinic; call the clinic to change anything.")
        return redirect("intake:my_intake")
    form = IntakeAnswersForm(request.POST or None, instance=intake, for_patient=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intake(intake, data=form.service_data(), acting_user=request.user, by_patient=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("intake:my_intake")
    return render(request, "intake/portal/edit.html", {"form": form}, status=422 if form.errors else 200)


@patient_required
@require_POST
def my_item_add(request, kind: str):
    patient = portal_patient(request.user)
    intake = services.start_intake(patient, acting_user=request.user)
    form = ITEM_FORMS[kind](request.POST)
    if form.is_valid():
        try:
            services.add_item(intake, kind, data=form.cleaned_data, acting_user=request.user, by_patient=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added.")
            return redirect(reverse("intake:my_intake") + f"#{kind}")
    context = _context(patient, intake, withdraw_form=WithdrawForm())
    context["item_forms"][kind] = form
    return render(request, "intake/portal/intake.html", context, status=422)


@patient_required
@require_POST
def my_item_remove(request, kind: str, item_id: int):
    intake = get_intake(portal_patient(request.user))
    if intake is None:
        raise Http404("No intake.")
    try:
        services.remove_item(intake, kind, item_id, acting_user=request.user, by_patient=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("intake:my_intake") + f"#{kind}")


@patient_required
@require_POST
def my_intake_submit(request):
    intake = services.start_intake(portal_patient(request.user), acting_user=request.user)
    try:
        services.submit_intake(intake, acting_user=request.user, by_patient=True)
    except ValidationError as error:
        for field, errors in getattr(error, "message_dict", {"": error.messages}).items():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, "Your intake is sent. Thank you.")
    return redirect("intake:my_intake")


@patient_required
@require_http_methods(["GET", "POST"])
def my_consent(request, route: str):
    patient = portal_patient(request.user)
    return sign_page(request, patient, consent_route(route), where=InformedConsent.Where.PORTAL,
                     template="intake/portal/consent.html", done_url=reverse("intake:my_intake"))


@patient_required
@require_POST
def my_consent_withdraw(request, consent_id: int):
    patient = portal_patient(request.user)
    consent = InformedConsent.objects.filter(pk=consent_id, patient=patient).first()
    if consent is None:
        raise Http404("No such consent.")
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.withdraw_consent(consent, reason=form.cleaned_data.get("reason", ""), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your consent is withdrawn. The clinic will contact you.")
    return redirect("intake:my_intake")
