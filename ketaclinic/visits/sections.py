"""What this area adds to shared pages: the patient chart, the portal, the staff banner, the floor board,
and the outcomes area's dosing dates. Registered from VisitsConfig.ready()."""

from django.db.models import Count, Q
from django.urls import reverse

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.visits.models import AdverseEvent, RemsEnrollment, Visit, VitalAlert

RECENT_VISITS = 5


def chart_section(request, patient):
    """Recent visits, REMS enrolment, and check-in buttons. Shown even with no visits (to check in)."""
    visits = list(
        Visit.objects.filter(patient=patient).annotate(
            open_alerts=Count("alerts", filter=Q(alerts__acknowledged_at__isnull=True)))
        .order_by("-checked_in_at", "-id")[:RECENT_VISITS]
    )
    open_visit = next((v for v in visits if v.is_open), None)
    return {
        "patient": patient, "visits": visits, "open_visit": open_visit, "tz": patient.clinic.tz,
        "rems": RemsEnrollment.objects.filter(patient=patient, ended_on__isnull=True).first(),
        "can_record": access.can(request.user, Perm.CLINICAL_RECORD, patient.clinic_id),
        "open_adverse_events": AdverseEvent.objects.filter(patient=patient, serious=True, reported_at__isnull=True).count(),
    }


def portal_section(request, patient):
    visits = list(Visit.objects.filter(patient=patient, status=Visit.Status.DISCHARGED).order_by("-discharged_at")[:RECENT_VISITS])
    if not visits:
        return None
    return {"visits": visits, "tz": patient.clinic.tz}


def alert_banner(request):
    """Every page tells staff at once when a vital-sign alert waits for acknowledgement at their clinic
    (except the page of that very visit, which shows the alert itself)."""
    clinic = request.clinic
    if clinic is None or not access.can(request.user, Perm.SAFETY_ACKNOWLEDGE, clinic.pk):
        return None
    rows = (
        VitalAlert.objects.filter(visit__clinic=clinic, visit__status__in=Visit.OPEN_STATUSES, acknowledged_at__isnull=True)
        .values("visit_id", "visit__chair").annotate(n=Count("pk"), action=Count("pk", filter=Q(level="action")))
        .order_by("visit_id")
    )
    here = _visit_on_screen(request)
    links = [{"url": reverse("visits:detail", args=[r["visit_id"]]), "chair": r["visit__chair"], "n": r["n"],
              "action": r["action"]} for r in rows if r["visit_id"] != here]
    return {"alerts": links} if links else None


def _visit_on_screen(request) -> int | None:
    match = request.resolver_match
    if match is None or match.app_name != "visits":
        return None
    return match.kwargs.get("visit_id")


def serious_event_banner(request):
    clinic = request.clinic
    if clinic is None or not access.can(request.user, Perm.CLINICAL_RECORD, clinic.pk):
        return None
    count = AdverseEvent.objects.filter(clinic=clinic, serious=True, reported_at__isnull=True).count()
    return {"count": count} if count else None


def dosing_dates(course) -> list:
    """For outcomes: when this course's doses began (visits of the same patient and route in its dates)."""
    visits = Visit.objects.filter(patient_id=course.patient_id, route=course.route, dosing_started_at__isnull=False,
                                  dosing_started_at__date__gte=course.started_on)
    if course.ended_on:
        visits = visits.filter(dosing_started_at__date__lte=course.ended_on)
    return list(visits.values_list("dosing_started_at", flat=True))
