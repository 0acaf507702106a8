"""What every visit page shares: the page's context, and running one service from one small form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import session_day
from ketaclinic.core.forms import add_service_errors
from ketaclinic.visits import forms, queries
from ketaclinic.visits.models import DoseAdministration, Route, Visit
from ketaclinic.visits.services import checkin, discharge
from ketaclinic.visits.services.dosing import S as DoseStatus


def visit_url(visit: Visit, anchor: str = "") -> str:
    return reverse("visits:detail", args=[visit.pk]) + (f"#{anchor}" if anchor else "")


def run(request, visit: Visit, key: str, form, call, *, done: str, anchor: str = ""):
    """Validate ``form``, call the service; on success redirect to the visit, on error show the page again
    with this form's errors next to its fields (422)."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(visit_url(visit, anchor))
    return render_visit(request, visit, {key: form}, status=422)


def render_visit(request, visit: Visit, bound: dict | None = None, *, status: int = 200):
    return render(request, "visits/visit.html", visit_context(request, visit, bound or {}), status=status)


def permissions(user, visit: Visit) -> dict:
    return {
        "can_record": access.can(user, Perm.CLINICAL_RECORD, visit.clinic_id) and visit.is_open,
        "can_sign": access.can(user, Perm.CLINICAL_SIGN, visit.clinic_id),
        "can_ack": access.can(user, Perm.SAFETY_ACKNOWLEDGE, visit.clinic_id),
    }


def live_context(visit: Visit, now=None, ack_form=None) -> dict:
    """The polled part of the page: alerts to acknowledge (each with its own form), timers, and the flowsheet."""
    now = now or timezone.now()
    readings = list(visit.readings.select_related("recorded_by").prefetch_related("alerts"))
    last = max((r.measured_at for r in readings), default=None)
    visit.last_reading_at = last
    from ketaclinic.visits.services.vitals import vitals_next_due

    due_at = vitals_next_due(visit, last)
    return {
        "readings": readings,
        "open_alerts": [(a, _ack_form(a, ack_form)) for r in readings for a in r.alerts.all() if a.acknowledged_at is None],
        "vitals_due_at": due_at, "vitals_overdue": due_at is not None and due_at < now,
        "clock": discharge.clock(visit, now), "readiness": discharge.current_readiness(visit, now),
        "now": now,
    }


def _ack_form(alert, bound):
    prefix = f"ack{alert.pk}"
    return bound if bound is not None and bound.prefix == prefix else forms.AcknowledgeForm(prefix=prefix)


def visit_context(request, visit: Visit, bound: dict) -> dict:
    now = timezone.now()
    dose = visit.doses.exclude(status=DoseStatus.VOIDED).select_related(
        "calculated_by", "second_check_by", "administered_by").first()
    context = {
        "visit": visit, "patient": visit.patient, "tz": visit.clinic.tz, **permissions(request.user, visit),
        **live_context(visit, now, bound.get("ack")), "order": getattr(visit, "order", None),
        "dose": dose, "holds": list(visit.holds.all()), "events": list(visit.events.all()),
        "cadss_scores": (scores := list(visit.cadss_scores.all())), "cadss_points": cadss_points(visit, scores), "assessment": discharge.latest_assessment(visit),
        "timeline": queries.timeline(visit), "forms": _forms(visit, bound), "is_iv": visit.route == Route.IV_KETAMINE,
    }
    if visit.status == Visit.Status.CHECKED_IN:
        context["checklist"] = [(line, context["forms"].get(f"check_{line.item}")) for line in checkin.checklist(visit)]
        context["blockers"] = checkin.dosing_blockers(visit)
    if dose is not None and dose.drug == DoseAdministration.Drug.ESKETAMINE:
        context.update(_devices(dose, now))
    return context


def cadss_points(visit: Visit, scores) -> list[tuple[str, bool]]:
    """The usual CADSS times (clinical.md §5.9, common practice): before dosing, ~40 min after, before discharge."""
    start = visit.dosing_started_at
    if start is None:
        return [("Before dosing", bool(scores))]
    forty = start + timezone.timedelta(minutes=session_day.CADSS_AFTER_DOSE_MIN)
    window = timezone.timedelta(minutes=session_day.ESKETAMINE_BP_RECHECK_WINDOW_MIN)
    return [
        ("Before dosing", any(s.measured_at < start for s in scores)),
        ("About 40 minutes after the start", any(abs(s.measured_at - forty) <= window for s in scores)),
        ("Before discharge", any(s.measured_at > forty + window for s in scores)),
    ]


def _devices(dose: DoseAdministration, now) -> dict:
    given = list(dose.device_log.select_related("observed_by"))
    wait = session_day.device_wait_remaining(given[-1].administered_at if given else None, now)
    return {"devices_given": given, "next_device": len(given) + 1 if len(given) < (dose.devices or 0) else None,
            "device_wait_s": int(wait.total_seconds())}


def _forms(visit: Visit, bound: dict) -> dict:
    default = {
        "vitals": forms.VitalsForm(), "event": forms.EventForm(prefix="event"), "cadss": forms.CadssForm(prefix="cadss"),
        "order": forms.IvOrderForm() if visit.route == Route.IV_KETAMINE else forms.EsketamineOrderForm(),
        "prepare": forms.IvPrepareForm() if visit.route == Route.IV_KETAMINE else forms.EsketaminePrepareForm(),
        "second_check": forms.SecondCheckForm(), "infusion": forms.InfusionChangeForm(), "reason": forms.ReasonForm(),
        "discharge": forms.DischargeForm(visit=visit), "cancel": forms.ReasonForm(), "discharge_button": forms.ReasonForm(),
        **{f"check_{item}": form_class(prefix=item) for item, form_class in forms.CHECK_FORMS.items()},
    }
    default.update(bound)
    return default
