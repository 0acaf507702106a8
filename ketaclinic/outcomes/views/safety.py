"""Urgent safety tasks (list, acknowledge) and the clinic's settings pages (crisis text, questionnaire schedule)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.outcomes import forms, services
from ketaclinic.outcomes.access import get_task_for_user
from ketaclinic.outcomes.models import SafetyTask
from ketaclinic.patients.services import record_chart_opened


@staff_required
def safety_list(request):
    clinic_ids = access.clinic_ids(request.user, Perm.SAFETY_ACKNOWLEDGE)
    if not clinic_ids:  # 403 for a role that may not (front desk, billing), 404 without a clinic
        access.require(request.user, Perm.SAFETY_ACKNOWLEDGE, getattr(request.clinic, "pk", None))
    tasks = services.open_safety_tasks_for(request.user)
    done = (SafetyTask.objects.filter(clinic_id__in=clinic_ids, acknowledged_at__isnull=False)
            .select_related("patient", "clinic", "acknowledged_by").order_by("-acknowledged_at", "-pk"))
    return render(request, "outcomes/safety_list.html", {"open_tasks": list(tasks), "page": paginate(request, done)})


@staff_required
@require_http_methods(["GET", "POST"])
def safety_task(request, task_id: int):
    task = get_task_for_user(request.user, task_id)
    form = forms.AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.acknowledge_safety_task(task, action_taken=form.cleaned_data["action_taken"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Acknowledged. The urgent banner is cleared for everyone at the clinic.")
            return redirect("outcomes:safety_list")
    if request.method == "GET":
        record_chart_opened(task.patient, acting_user=request.user, via="urgent safety task")
    return render(request, "outcomes/safety_task.html", {"task": task, "patient": task.patient, "form": form},
                  status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def safety_settings(request):
    clinic = request.clinic
    access.require(request.user, Perm.CLINIC_EDIT, getattr(clinic, "pk", None))
    current = services.get_safety_settings(clinic)
    form = forms.SafetySettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_safety_settings(clinic, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved. Patients see the new crisis text at once.")
            return redirect("outcomes:safety_settings")
    return render(request, "outcomes/safety_settings.html", {"form": form, "settings_row": current, "clinic": clinic},
                  status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def schedule_settings(request):
    clinic = request.clinic
    access.require(request.user, Perm.PROTOCOL_EDIT, getattr(clinic, "pk", None))
    current = services.get_scale_schedule(clinic)
    form = forms.ScheduleForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_scale_schedule(clinic, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved. New questionnaires follow this schedule.")
            return redirect("outcomes:schedule_settings")
    return render(request, "outcomes/schedule_settings.html", {"form": form, "clinic": clinic, "saved": current.pk is not None},
                  status=422 if form.errors else 200)


def audit_report_opened(request, clinic_ids, *, what: str, export: bool = False) -> None:
    audit.record(
        audit.Action.EXPORT if export else audit.Action.VIEW, actor=request.user, object_type="outcomes_report",
        clinic=request.clinic, summary=f"{'Exported' if export else 'Opened'} {what} ({len(clinic_ids)} clinic(s))",
    )
