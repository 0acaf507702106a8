"""Treatment plans: a patient's plans, drafting, signing, revising, boosters."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.plans import courses, services
from ketaclinic.plans.access import PLAN_READERS, get_plan_for_user, require_any
from ketaclinic.plans.forms import BoosterForm, PlanForm, ReasonForm, ReviseForm
from ketaclinic.plans.models import Appointment, TreatmentPlan
from ketaclinic.plans.services.booking import open_sessions
from ketaclinic.plans.services.plans import PLAN_FIELDS, booster_interval_days


def _plan_data(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k in PLAN_FIELDS and v not in (None, "")} | {
        "with_psychotherapy": form.cleaned_data.get("with_psychotherapy", False),
        "notes": form.cleaned_data.get("notes", ""),
    }


def _opened(plan, user) -> None:
    audit.record(audit.Action.VIEW, actor=user, object_type="treatment_plan", object_id=plan.pk,
                 clinic=plan.clinic_id, patient=plan.patient_id, summary="Opened treatment plan")


@staff_required
def patient_plans(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.PATIENT_VIEW)
    require_any(request.user, PLAN_READERS, patient.clinic_id)
    audit.record(audit.Action.VIEW, actor=request.user, object_type="patient", object_id=patient.pk,
                 clinic=patient.clinic_id, patient=patient, summary="Opened treatment plans")
    plans = TreatmentPlan.objects.filter(patient=patient).select_related("protocol", "signed_by")
    appointments = Appointment.objects.filter(patient=patient).select_related("chair").order_by("-starts_at")[:50]
    context = {"patient": patient, "plans": plans, "appointments": appointments,
               "can_plan": access.can(request.user, Perm.CLINICAL_SIGN, patient.clinic_id)}
    return render(request, "plans/patient_plans.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_new(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_SIGN)
    form = PlanForm(request.POST or None, clinic=patient.clinic)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(patient=patient, data=_plan_data(form), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Draft saved. Check the sessions, then sign.")
            return redirect("plans:plan", plan_id=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "patient": patient}, status=422 if form.errors else 200)


@staff_required
def plan_detail(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id)
    _opened(plan, request.user)
    user, clinic_id = request.user, plan.clinic_id
    offer = courses.booster_offer(plan) if plan.status == TreatmentPlan.Status.SIGNED else None
    context = {
        "plan": plan, "patient": plan.patient,
        "sessions": plan.sessions.prefetch_related("appointments__chair").order_by("planned_on", "sequence"),
        "versions": TreatmentPlan.objects.filter(patient=plan.patient, route=plan.route).order_by("-version", "-id"),
        "can_sign": access.can(user, Perm.CLINICAL_SIGN, clinic_id), "can_book": access.can(user, Perm.SCHEDULE_BOOK, clinic_id),
        "booster_offer": offer, "booster_form": BoosterForm(initial={"on": _booster_day(plan)}) if offer else None,
        "stop_form": ReasonForm(),
        "unbooked": len(open_sessions(plan)) if plan.status == TreatmentPlan.Status.SIGNED else 0,
    }
    return render(request, "plans/plan_detail.html", context)


def _booster_day(plan) -> dt.date:
    last = plan.sessions.filter(kind__in=["dosing", "booster"]).order_by("-planned_on").first()
    today = timezone.now().astimezone(plan.clinic.tz).date()
    earliest = last.planned_on + dt.timedelta(days=booster_interval_days(plan)) if last else today
    return max(today + dt.timedelta(days=1), earliest)


@staff_required
@require_POST
def plan_sign(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    try:
        services.sign_plan(plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Plan signed. The front desk can book the series now.")
    return redirect("plans:plan", plan_id=plan.pk)


@staff_required
@require_POST
def plan_discard(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    try:
        services.discard_draft(plan, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("plans:patient", patient_id=plan.patient_id)


@staff_required
@require_POST
def plan_stop(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"reason": "Say why the plan stops."})
        services.cancel_plan(plan, reason=form.cleaned_data["reason"], acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Plan stopped; its booked visits are cancelled.")
    return redirect("plans:plan", plan_id=plan.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def plan_revise(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    initial = {name: getattr(plan, name) for name in PLAN_FIELDS}
    form = ReviseForm(request.POST or None, clinic=plan.clinic, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.revise_plan(plan, data=_plan_data(form), change_reason=form.cleaned_data["change_reason"],
                                       acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Version {new.version} drafted. Sign it to replace version {plan.version}.")
            return redirect("plans:plan", plan_id=new.pk)
    context = {"form": form, "patient": plan.patient, "plan": plan}
    return render(request, "plans/plan_form.html", context, status=422 if form.errors else 200)


@staff_required
@require_POST
def plan_booster(request, plan_id: int):
    plan = get_plan_for_user(request.user, plan_id, Perm.CLINICAL_SIGN)
    form = BoosterForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"on": "Give the booster's date."})
        services.add_booster(plan, on=form.cleaned_data["on"], acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:plan", plan_id=plan.pk)
    messages.success(request, "Booster added to the plan. Book it below.")
    return redirect("plans:book", plan_id=plan.pk)
