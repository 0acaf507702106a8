"""The esketamine REMS Patient Monitoring Form: queue, edit the draft, sign, PDF and JSON, submission, amendments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import rems_pmf
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.visits import forms
from ketaclinic.visits.access import get_form_for_user
from ketaclinic.visits.models import MonitoringForm
from ketaclinic.visits.services import pmf


@staff_required
@require_GET
def queue(request):
    """Forms not yet submitted first (by due date), then recently submitted ones."""
    clinic = request.clinic
    access.require(request.user, Perm.CLINICAL_VIEW, clinic.pk)
    rows = MonitoringForm.objects.filter(visit__clinic=clinic).select_related("visit__patient").order_by(
        "submitted_at", "due_on", "id")
    today = timezone.localdate(timezone=clinic.tz)
    return render(request, "visits/pmf_queue.html", {"page": paginate(request, rows), "today": today, "tz": clinic.tz})


def _page(request, form_row, *, edit=None, amend=None, submit=None, status=200):
    data = form_row.current_data()
    blockers = rems_pmf.sign_blockers(data)
    context = {
        "pmf": form_row, "visit": form_row.visit, "patient": form_row.visit.patient, "data": data,
        "blockers": blockers, "rows": [(f, data.get(f.key)) for f in rems_pmf.FIELDS],
        "blocker_rows": [(rems_pmf.FIELD_BY_KEY[k], m) for k, m in blockers.items() if k in rems_pmf.FIELD_BY_KEY],
        "edit_form": edit or forms.MonitoringFormForm(initial=data),
        "amend_form": amend or forms.PmfAmendForm(initial=data), "submit_form": submit or forms.PmfSubmitForm(),
        "amendments": list(form_row.amendments.select_related("signed_by")), "tz": form_row.visit.clinic.tz,
        "can_edit": access.can(request.user, Perm.CLINICAL_RECORD, form_row.visit.clinic_id),
    }
    return render(request, "visits/pmf.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def detail(request, form_id: int):
    form_row = get_form_for_user(request.user, form_id, Perm.CLINICAL_VIEW if request.method == "GET" else Perm.CLINICAL_RECORD)
    if request.method == "GET":
        return _page(request, form_row)
    form = forms.MonitoringFormForm(request.POST)
    if form.is_valid():
        try:
            pmf.update_form(form_row, data=form.cleaned_data, acting_user=request.user)
            if "sign" in request.POST:
                pmf.sign_form(form_row, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Form signed." if "sign" in request.POST else "Draft saved.")
            return redirect("visits:pmf", form_id=form_row.pk)
    form_row.refresh_from_db()
    return _page(request, form_row, edit=form, status=422)


@staff_required
@require_POST
def submit(request, form_id: int):
    form_row = get_form_for_user(request.user, form_id, Perm.CLINICAL_RECORD)
    form = forms.PmfSubmitForm(request.POST)
    if form.is_valid():
        try:
            pmf.record_submission(form_row, method=form.cleaned_data["method"], reference=form.cleaned_data["reference"],
                                  acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Submission recorded.")
            return redirect("visits:pmf", form_id=form_row.pk)
    return _page(request, form_row, submit=form, status=422)


@staff_required
@require_POST
def amend(request, form_id: int):
    form_row = get_form_for_user(request.user, form_id, Perm.CLINICAL_RECORD)
    form = forms.PmfAmendForm(request.POST)
    if form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k != "reason"}
        try:
            pmf.amend_form(form_row, changes=changes, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Signed amendment recorded.")
            return redirect("visits:pmf", form_id=form_row.pk)
    return _page(request, form_row, amend=form, status=422)


def _exported(request, form_row, what: str) -> None:
    audit.record(audit.Action.EXPORT, actor=request.user, object_type="monitoring_form", object_id=form_row.pk,
                 clinic=form_row.visit.clinic_id, patient=form_row.visit.patient_id, summary=f"REMS monitoring form as {what}")


@staff_required
@require_GET
def as_pdf(request, form_id: int):
    from weasyprint import HTML

    form_row = get_form_for_user(request.user, form_id)
    html = render_to_string("visits/pmf_print.html", {"export": pmf.as_data(form_row), "pmf": form_row,
                                                      "sections": rems_pmf.SECTIONS}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    _exported(request, form_row, "PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rems-monitoring-form-{form_row.pk}.pdf"'
    return response


@staff_required
@require_GET
def as_json(request, form_id: int):
    form_row = get_form_for_user(request.user, form_id)
    _exported(request, form_row, "data")
    return JsonResponse(pmf.as_data(form_row))
