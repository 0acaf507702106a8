"""Booking a whole series, and one visit's page (move, cancel)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.plans import services
from ketaclinic.plans.access import get_appointment_for_user, get_plan_for_user
from ketaclinic.plans.forms import AvailabilityForm, ReasonForm, RescheduleForm, parse_booking_rows
from ketaclinic.plans.models import Chair


@staff_required
@require_http_methods(["GET", "POST"])
def book_series(request, plan_id: int):
    """GET: the availability form and the proposal. POST ``propose``: propose again; POST ``book``: book."""
    plan = get_plan_for_user(request.user, plan_id, Perm.SCHEDULE_BOOK)
    form = AvailabilityForm(request.POST if request.method == "POST" else None)
    availability = form.availability() if form.is_bound and form.is_valid() else AvailabilityForm.default()
    try:
        proposals = services.propose_series(plan, availability=availability)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:plan", plan_id=plan.pk)
    row_errors = {}
    if request.method == "POST" and "book" in request.POST:
        items, row_errors = parse_booking_rows(request.POST, proposals, plan.clinic.tz)
        if not row_errors:
            try:
                booked = services.book_series(plan, items=items, acting_user=request.user)
            except ValidationError as error:
                row_errors = error.message_dict if hasattr(error, "error_dict") else {"plan": error.messages}
            else:
                messages.success(request, f"Booked {len(booked)} visit(s). Reminders go out 72 and 24 hours before each.")
                return redirect("plans:plan", plan_id=plan.pk)
    context = {"plan": plan, "patient": plan.patient, "form": form, "rows": _rows(plan, proposals, row_errors),
               "plan_errors": row_errors.get("plan", [])}
    return render(request, "plans/book_series.html", context, status=422 if row_errors else 200)


def _rows(plan, proposals, errors) -> list[dict]:
    tz = plan.clinic.tz
    chairs = list(Chair.objects.filter(clinic=plan.clinic, is_active=True))
    rows = []
    for p in proposals:
        local = p.place.starts_at.astimezone(tz) if p.place else None
        kinds = {Chair.Kind.CHAIR} if p.session.is_dose and plan.route == "iv-ketamine" else None
        rows.append({
            "proposal": p, "session": p.session, "day": local.date() if local else p.session.planned_on,
            "time": local.time() if local else None, "ends": p.place.ends_at.astimezone(tz) if p.place else None,
            "chairs": [c for c in chairs if kinds is None or c.kind in kinds],
            "chair_id": p.place.chair_id if p.place else None,
            "errors": errors.get(f"session_{p.session.pk}", []),
        })
    return rows


@staff_required
@require_http_methods(["GET", "POST"])
def appointment_detail(request, appointment_id: int):
    appointment = get_appointment_for_user(request.user, appointment_id, Perm.PATIENT_VIEW)
    can_book = access.can(request.user, Perm.SCHEDULE_BOOK, appointment.clinic_id)
    local = appointment.starts_at.astimezone(appointment.clinic.tz)
    form = RescheduleForm(request.POST or None, clinic=appointment.clinic, initial={"day": local.date(), "time": local.time()})
    if request.method == "POST":
        access.require(request.user, Perm.SCHEDULE_BOOK, appointment.clinic_id)
        if form.is_valid():
            starts_at = dt.datetime.combine(form.cleaned_data["day"], form.cleaned_data["time"], tzinfo=appointment.clinic.tz)
            chair = form.cleaned_data["chair"]
            try:
                services.reschedule_appointment(appointment, starts_at=starts_at.astimezone(dt.UTC),
                                                chair_id=chair.pk if chair else None, acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, _to_form_fields(error))
            else:
                messages.success(request, "Visit moved. New reminders will go out.")
                return redirect("plans:appointment", appointment_id=appointment.pk)
    else:
        audit.record(audit.Action.VIEW, actor=request.user, object_type="appointment", object_id=appointment.pk,
                     clinic=appointment.clinic_id, patient=appointment.patient_id, summary="Opened a visit")
    context = {"appointment": appointment, "form": form, "cancel_form": ReasonForm(), "can_book": can_book,
               "local": local, "next_phases": services.allowed_next(appointment)}
    return render(request, "plans/appointment.html", context, status=422 if form.errors else 200)


def _to_form_fields(error: ValidationError) -> ValidationError:
    if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
        return ValidationError({"time": error.error_dict["starts_at"]})
    return error


@staff_required
@require_POST
def appointment_cancel(request, appointment_id: int):
    appointment = get_appointment_for_user(request.user, appointment_id, Perm.SCHEDULE_BOOK)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": "Say why the visit is cancelled."})
        services.cancel_appointment(appointment, reason=form.cleaned_data["reason"], acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Visit cancelled; the chair is free again.")
    return redirect("plans:appointment", appointment_id=appointment.pk)

