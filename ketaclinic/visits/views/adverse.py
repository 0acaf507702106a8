"""Adverse events: recorded with severity, outcome and follow-up; serious ones are flagged until reported."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.visits import forms
from ketaclinic.visits.access import get_adverse_event_for_user, get_visit_for_user
from ketaclinic.visits.models import AdverseEvent
from ketaclinic.visits.services import records


@staff_required
@require_GET
def event_list(request):
    """Serious events not yet reported first, then the rest, newest first."""
    clinic = request.clinic
    access.require(request.user, Perm.CLINICAL_VIEW, clinic.pk)
    rows = AdverseEvent.objects.filter(clinic=clinic).select_related("patient", "visit").order_by(
        "-serious", "reported_at", "-onset_at", "-id")
    return render(request, "visits/adverse_list.html", {"page": paginate(request, rows), "tz": clinic.tz})


@staff_required
@require_http_methods(["GET", "POST"])
def event_new(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    visit_id = request.GET.get("visit")
    visit = get_visit_for_user(request.user, visit_id, Perm.CLINICAL_RECORD) if visit_id else None
    form = forms.AdverseEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = records.record_adverse_event(patient, data=form.cleaned_data, visit=visit, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Adverse event recorded." + (" It is serious: report it." if event.serious else ""))
            return redirect("visits:adverse_event", event_id=event.pk)
    context = {"form": form, "patient": patient, "visit": visit, "tz": patient.clinic.tz}
    return render(request, "visits/adverse_form.html", context, status=422 if form.errors else 200)


def _detail(request, event, *, edit=None, follow_up=None, report=None, status=200):
    context = {
        "event": event, "patient": event.patient, "tz": event.clinic.tz,
        "follow_ups": list(event.follow_ups.select_related("recorded_by")),
        "form": edit or forms.AdverseEventForm(instance=event, initial={"onset_at": event.onset_at.astimezone(event.clinic.tz)}),
        "follow_up_form": follow_up or forms.FollowUpForm(), "report_form": report or forms.ReportForm(),
        "can_record": access.can(request.user, Perm.CLINICAL_RECORD, event.clinic_id),
    }
    return render(request, "visits/adverse_detail.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def event_detail(request, event_id: int):
    event = get_adverse_event_for_user(request.user, event_id, Perm.CLINICAL_VIEW if request.method == "GET" else Perm.CLINICAL_RECORD)
    if request.method == "GET":
        return _detail(request, event)
    form = forms.AdverseEventForm(request.POST, instance=event)
    if form.is_valid():
        try:
            records.update_adverse_event(event, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("visits:adverse_event", event_id=event.pk)
    event.refresh_from_db()
    return _detail(request, event, edit=form, status=422)


@staff_required
@require_POST
def event_follow_up(request, event_id: int):
    event = get_adverse_event_for_user(request.user, event_id, Perm.CLINICAL_RECORD)
    form = forms.FollowUpForm(request.POST)
    if form.is_valid():
        try:
            records.add_follow_up(event, note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Follow-up added.")
            return redirect("visits:adverse_event", event_id=event.pk)
    return _detail(request, event, follow_up=form, status=422)


@staff_required
@require_POST
def event_report(request, event_id: int):
    event = get_adverse_event_for_user(request.user, event_id, Perm.CLINICAL_RECORD)
    form = forms.ReportForm(request.POST)
    if form.is_valid():
        try:
            records.mark_reported(event, reported_to=form.cleaned_data["reported_to"],
                                  reference=form.cleaned_data["reference"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Recorded as reported.")
            return redirect("visits:adverse_event", event_id=event.pk)
    return _detail(request, event, report=form, status=422)
