"""Staff pages for a patient's intake: the summary, the answers, screening vitals, lists, and submitting."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.intake import services
from ketaclinic.intake.access import get_intake, get_patient_for_intake
from ketaclinic.intake.forms.staff import ITEM_FORMS, IntakeAnswersForm, VitalsForm
from ketaclinic.intake.summary import intake_summary
from ketaclinic.patients.services import record_chart_opened


def _intake_or_404(patient):
    intake = get_intake(patient)
    if intake is None:
        raise Http404("No intake yet.")
    return intake


@staff_required
def intake_detail(request, patient_id: int):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_VIEW)
    record_chart_opened(patient, acting_user=request.user, via="intake")
    intake = get_intake(patient)
    context = {
        "patient": patient, "intake": intake, "summary": intake_summary(intake) if intake else None,
        "item_forms": {kind: form() for kind, form in ITEM_FORMS.items()},
        "can_record": access.can(request.user, Perm.CLINICAL_RECORD, patient.clinic_id),
        "can_sign": access.can(request.user, Perm.CLINICAL_SIGN, patient.clinic_id),
    }
    return render(request, "intake/staff/detail.html", context)


@staff_required
@require_POST
def intake_start(request, patient_id: int):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    services.start_intake(patient, acting_user=request.user)
    return redirect("intake:intake_edit", patient_id=patient.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def intake_edit(request, patient_id: int):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    intake = _intake_or_404(patient)
    form = IntakeAnswersForm(request.POST or None, instance=intake)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intake(intake, data=form.service_data(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Intake saved.")
            return redirect("intake:intake_detail", patient_id=patient.pk)
    context = {"patient": patient, "form": form}
    return render(request, "intake/staff/edit.html", context, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def intake_vitals(request, patient_id: int):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    intake = _intake_or_404(patient)
    form = VitalsForm(request.POST or None, instance=intake)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_intake(intake, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Screening vitals saved.")
            return redirect("intake:intake_detail", patient_id=patient.pk)
    context = {"patient": patient, "form": form}
    return render(request, "intake/staff/vitals.html", context, status=422 if form.errors else 200)


@staff_required
@require_POST
def item_add(request, patient_id: int, kind: str):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    intake = _intake_or_404(patient)
    form = ITEM_FORMS[kind](request.POST)
    if form.is_valid():
        try:
            services.add_item(intake, kind, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Added.")
            return redirect(f"{_detail_url(patient)}#{kind}")
    forms = {k: (form if k == kind else f()) for k, f in ITEM_FORMS.items()}
    context = {"patient": patient, "intake": intake, "summary": intake_summary(intake), "item_forms": forms,
               "can_record": True, "can_sign": access.can(request.user, Perm.CLINICAL_SIGN, patient.clinic_id)}
    return render(request, "intake/staff/detail.html", context, status=422)


def _detail_url(patient) -> str:
    from django.urls import reverse

    return reverse("intake:intake_detail", args=[patient.pk])


@staff_required
@require_POST
def item_remove(request, patient_id: int, kind: str, item_id: int):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    try:
        services.remove_item(_intake_or_404(patient), kind, item_id, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{_detail_url(patient)}#{kind}")


@staff_required
@require_POST
def intake_submit(request, patient_id: int):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    try:
        services.submit_intake(_intake_or_404(patient), acting_user=request.user)
    except ValidationError as error:
        for message in _messages(error):
            messages.error(request, message)
        return redirect("intake:intake_detail", patient_id=patient.pk)
    messages.success(request, "Sent for physician review.")
    return redirect("intake:intake_detail", patient_id=patient.pk)


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field.replace('_', ' ').capitalize()}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return error.messages
