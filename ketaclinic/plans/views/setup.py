"""The clinic's set-up for scheduling: protocols, chairs and rooms, hours, closed days, limits, shifts."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.plans import services
from ketaclinic.plans.access import get_protocol_for_user, get_shift_for_user
from ketaclinic.plans.forms import ChairForm, ClosedDayForm, HoursForm, ProtocolForm, SchedulingForm, ShiftForm
from ketaclinic.plans.models import Chair, ClosedDay, OpeningHours, Protocol, StaffShift
from ketaclinic.plans.scheduling import scheduling_for
from ketaclinic.plans.services.protocols import FIELDS as PROTOCOL_FIELDS

SHIFT_DAYS_SHOWN = 14


@staff_required
def protocol_list(request):
    clinic = request.clinic
    access.require(request.user, Perm.SCHEDULE_BOOK, clinic.pk)
    current = services.current_protocols(clinic)
    history = Protocol.objects.filter(clinic=clinic).select_related("approved_by").order_by("family", "-version")
    context = {"current": current, "history": history, "clinic": clinic,
               "can_edit": access.can(request.user, Perm.PROTOCOL_EDIT, clinic.pk)}
    return render(request, "plans/protocols.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def protocol_edit(request, protocol_id: int | None = None):
    """A new protocol, or (with ``protocol_id``) a new version of one; the approver is the signed-in user."""
    base = get_protocol_for_user(request.user, protocol_id, Perm.PROTOCOL_EDIT) if protocol_id else None
    clinic = base.clinic if base else request.clinic
    access.require(request.user, Perm.PROTOCOL_EDIT, clinic.pk)
    form = ProtocolForm(request.POST or None, instance=Protocol(**_copy(base)) if base else None)
    if base:
        for name in ("family", "route"):
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in PROTOCOL_FIELDS}
        try:
            if base:
                protocol = services.revise_protocol(base, data=data, acting_user=request.user)
            else:
                protocol = services.create_protocol(clinic=clinic, data=data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Approved {protocol}.")
            return redirect("plans:protocols")
    return render(request, "plans/protocol_form.html", {"form": form, "base": base}, status=422 if form.errors else 200)


def _copy(protocol: Protocol) -> dict:
    fields = {name: getattr(protocol, name) for name in PROTOCOL_FIELDS}
    fields["effective_from"], fields["change_reason"] = None, ""
    return fields


@staff_required
def resources(request):
    clinic = request.clinic
    access.require(request.user, Perm.SCHEDULE_BOOK, clinic.pk)
    hours = {h.weekday: (h.opens_at, h.closes_at) for h in OpeningHours.objects.filter(clinic=clinic)}
    today = timezone.now().astimezone(clinic.tz).date()
    shifts = StaffShift.objects.filter(
        clinic=clinic, ends_at__gte=timezone.now(), starts_at__lt=timezone.now() + dt.timedelta(days=SHIFT_DAYS_SHOWN)
    ).select_related("user")
    context = {
        "clinic": clinic, "chairs": Chair.objects.filter(clinic=clinic), "hours_form": HoursForm(hours=hours),
        "closed_days": ClosedDay.objects.filter(clinic=clinic, date__gte=today), "closed_form": ClosedDayForm(),
        "chair_form": ChairForm(), "scheduling_form": SchedulingForm(instance=scheduling_for(clinic)),
        "scheduling": scheduling_for(clinic), "shifts": shifts, "shift_form": ShiftForm(clinic=clinic, initial={"day": today}),
        "can_edit_clinic": access.can(request.user, Perm.CLINIC_EDIT, clinic.pk),
        "can_edit_limits": access.can(request.user, Perm.PROTOCOL_EDIT, clinic.pk),
    }
    return render(request, "plans/resources.html", context)


def _done(request, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("plans:resources")


def _invalid(request, form):
    messages.error(request, " ".join(f"{form.fields[f].label if f in form.fields else ''} {' '.join(e)}".strip()
                                     for f, e in form.errors.items()))
    return redirect("plans:resources")


@staff_required
@require_POST
def chair_add(request):
    access.require(request.user, Perm.CLINIC_EDIT, request.clinic.pk)
    form = ChairForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    return _done(request, lambda: services.add_chair(clinic=request.clinic, acting_user=request.user, **form.cleaned_data),
                 f"Added {form.cleaned_data['name']}.")


@staff_required
@require_POST
def chair_toggle(request, chair_id: int):
    chair = get_object_or_404(Chair, pk=chair_id)
    access.require(request.user, Perm.CLINIC_EDIT, chair.clinic_id)  # another clinic's chair: 404
    return _done(request, lambda: services.set_chair_active(chair, not chair.is_active, acting_user=request.user), "Saved.")


@staff_required
@require_POST
def hours_save(request):
    access.require(request.user, Perm.CLINIC_EDIT, request.clinic.pk)
    form = HoursForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    return _done(request, lambda: services.set_opening_hours(clinic=request.clinic, hours=form.hours(), acting_user=request.user),
                 "Opening hours saved.")


@staff_required
@require_POST
def closed_day_add(request):
    access.require(request.user, Perm.CLINIC_EDIT, request.clinic.pk)
    form = ClosedDayForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    return _done(request, lambda: services.add_closed_day(clinic=request.clinic, acting_user=request.user, **form.cleaned_data),
                 "Closed day added.")


@staff_required
@require_POST
def scheduling_save(request):
    access.require(request.user, Perm.PROTOCOL_EDIT, request.clinic.pk)
    form = SchedulingForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    return _done(request, lambda: services.update_scheduling(clinic=request.clinic, data=form.cleaned_data, acting_user=request.user),
                 "Scheduling limits saved.")


@staff_required
@require_POST
def shift_add(request):
    access.require(request.user, Perm.SCHEDULE_BOOK, request.clinic.pk)
    form = ShiftForm(request.POST, clinic=request.clinic)
    if not form.is_valid():
        return _invalid(request, form)
    return _done(request, lambda: services.add_shift(clinic=request.clinic, acting_user=request.user, **form.cleaned_data),
                 "Shift added.")


@staff_required
@require_POST
def shift_remove(request, shift_id: int):
    shift = get_shift_for_user(request.user, shift_id)
    return _done(request, lambda: services.remove_shift(shift, acting_user=request.user), "Shift removed.")
