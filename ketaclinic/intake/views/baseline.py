"""Baseline scales at intake: staff enter any of them; the patient answers the self-report ones in the portal."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import patient_required, staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.intake import baseline
from ketaclinic.intake.access import get_intake, get_patient_for_intake, portal_patient
from ketaclinic.outcomes.forms import QuestionnaireForm


def _scale_page(request, intake, slug, *, by_patient, template, done_url):
    definition = baseline.definition_for(intake, slug, by_patient=by_patient)
    if definition is None:
        raise Http404("Not a baseline scale of this intake.")
    form = QuestionnaireForm(definition, request.POST or None, staff=not by_patient)
    if request.method == "POST" and form.is_valid():
        try:
            response = baseline.record_baseline(intake, definition.code, form.answers(), acting_user=request.user,
                                                entered_by_patient=by_patient)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{definition.code} recorded: {response.total}, {response.severity}.")
            return redirect(done_url)
    context = {"patient": intake.patient, "definition": definition, "form": form}
    return render(request, template, context, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def baseline_record(request, patient_id: int, slug: str):
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    intake = get_intake(patient)
    if intake is None:
        raise Http404("No intake.")
    return _scale_page(request, intake, slug, by_patient=False, template="intake/baseline/staff.html",
                       done_url=reverse("intake:intake_detail", args=[patient.pk]) + "#baseline")


@patient_required
@require_http_methods(["GET", "POST"])
def my_baseline(request, slug: str):
    intake = get_intake(portal_patient(request.user))
    if intake is None:
        raise Http404("No intake.")
    return _scale_page(request, intake, slug, by_patient=True, template="intake/baseline/portal.html",
                       done_url=reverse("intake:my_intake") + "#baseline")
