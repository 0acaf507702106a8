"""Today's floor board: every chair, who is in it, the phase, what is due next; polled by htmx."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.plans import floor, services
from ketaclinic.plans.access import get_appointment_for_user
from ketaclinic.plans.forms import StatusForm

POLL_SECONDS = 15
# The front desk may move a visit in and out of the building; the clinical phases need a clinician.
FRONT_DESK_STATUSES = {"checked_in", "no_show", "cancelled"}


def _day(request, clinic) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.now().astimezone(clinic.tz).date()


@staff_required
def board(request):
    clinic = request.clinic
    access.require(request.user, Perm.SCHEDULE_BOOK, clinic.pk)
    day = _day(request, clinic)
    if not request.htmx:  # the board lists patients: opening it is audited, each poll is not
        audit.record(audit.Action.VIEW, actor=request.user, object_type="floor_board", object_id=clinic.pk,
                     clinic=clinic, summary=f"Opened the floor board for {day.isoformat()}")
    return render(request, "plans/_board.html" if request.htmx else "plans/floor.html", _context(request, clinic, day))


def _context(request, clinic, day) -> dict:
    return {
        "board": floor.build_board(clinic, day), "clinic": clinic, "poll_seconds": POLL_SECONDS, "day": day,
        "today": timezone.now().astimezone(clinic.tz).date(),
        "can_record": access.can(request.user, Perm.CLINICAL_RECORD, clinic.pk),
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1),
    }


@staff_required
@require_POST
def move_phase(request, appointment_id: int):
    form = StatusForm(request.POST)
    status = request.POST.get("status", "")
    perm = Perm.SCHEDULE_BOOK if status in FRONT_DESK_STATUSES else Perm.CLINICAL_RECORD
    appointment = get_appointment_for_user(request.user, appointment_id, perm)
    try:
        if not form.is_valid():
            raise ValidationError({"status": "Choose a phase."})
        services.set_appointment_status(appointment, form.cleaned_data["status"], acting_user=request.user,
                                        reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    day = appointment.starts_at.astimezone(appointment.clinic.tz).date()
    if request.htmx:  # the board swaps itself in place, messages included
        return render(request, "plans/_board.html", _context(request, appointment.clinic, day))
    return redirect(f"{reverse('plans:floor')}?day={day.isoformat()}")
