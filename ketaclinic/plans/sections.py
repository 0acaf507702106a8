"""What the plans area adds to shared pages: the chart's "Treatment plan" card and the portal's visits."""

from django.utils import timezone

from ketaclinic.plans import courses, instructions, reminders
from ketaclinic.plans.models import Appointment, TreatmentPlan
from ketaclinic.plans.scheduling import scheduling_for

UPCOMING_SHOWN = 5


def _upcoming(patient):
    return list(
        Appointment.objects.filter(patient=patient, status=Appointment.Status.BOOKED, starts_at__gte=timezone.now())
        .select_related("chair", "clinic").order_by("starts_at")[:UPCOMING_SHOWN]
    )


def chart_context(request, patient):
    plan = (
        TreatmentPlan.objects.filter(patient=patient, status__in=[TreatmentPlan.Status.SIGNED, TreatmentPlan.Status.DRAFT])
        .select_related("protocol").order_by("-created_at").first()
    )
    upcoming = _upcoming(patient)
    if plan is None and not upcoming:
        return None  # no empty card on a chart with nothing planned (sections contract)
    booster = courses.booster_offer(plan) if plan and plan.status == TreatmentPlan.Status.SIGNED else None
    return {"patient": patient, "plan": plan, "upcoming": upcoming, "booster": booster}


def portal_context(request, patient):
    lang = instructions.language(patient)
    scheduling = scheduling_for(patient.clinic)
    visits = [
        {"when": reminders.when_text(a.starts_at.astimezone(a.clinic.tz), lang), "steps": instructions.preparation(a, scheduling, lang)}
        for a in _upcoming(patient)
    ]
    # On a phone: how to prepare for the next visit in full, the later ones as dates (the steps repeat).
    return {"next": visits[0] if visits else None, "later": visits[1:], "clinic": patient.clinic, "lang": lang}
