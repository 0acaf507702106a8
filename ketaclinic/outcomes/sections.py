"""What this area adds to shared pages: the staff chart section, the portal home section, the staff banner."""

from django.urls import reverse

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.outcomes import scales, trends
from ketaclinic.outcomes.models import QuestionnaireAssignment, QuestionnaireResponse, TreatmentCourse
from ketaclinic.outcomes.services import open_safety_tasks_for

BANNER_MAX_TASKS = 5
CHART_RECENT_RESPONSES = 8


def chart_context(request, patient) -> dict | None:
    """Courses, trends of the scales the patient has scores on, the latest responses and open questionnaires.

    Left out for a reader who may not record when there is nothing to show; a clinician who may record sees it
    with its buttons (start a course, record a scale), the way into this area for a new patient.
    """
    can_record = access.can(request.user, Perm.CLINICAL_RECORD, patient.clinic_id)
    courses = list(TreatmentCourse.objects.filter(patient=patient).select_related("outcome", "clinic")[:5])
    recent = list(
        QuestionnaireResponse.objects.filter(patient=patient).exclude(status=QuestionnaireResponse.Status.AMENDED)
        .order_by("-taken_at", "-pk")[:CHART_RECENT_RESPONSES]
    )
    codes = set(
        QuestionnaireResponse.objects.filter(patient=patient, status=QuestionnaireResponse.Status.FINAL)
        .values_list("instrument", flat=True).distinct()
    )
    open_assignments = list(QuestionnaireAssignment.objects.filter(patient=patient, status="open").order_by("due_at")[:10])
    if not (courses or recent or open_assignments or can_record):
        return None
    trend_list = [trends.build_trend(patient, code, course=courses[0] if courses else None)
                  for code in scales.TRENDABLE_CODES if code in codes]
    return {
        "patient": patient,
        "courses": courses,
        "recent": recent,
        "trends": [{"trend": t, "text": trends.describe(t), "slug": scales.definition(t.code).slug} for t in trend_list],
        "open_assignments": open_assignments,
        "open_tasks": list(patient.safety_tasks.filter(acknowledged_at__isnull=True)),
        "can_record": can_record,
    }


def portal_context(request, patient) -> dict:
    due = list(
        QuestionnaireAssignment.objects.filter(patient=patient, status=QuestionnaireAssignment.Status.OPEN)
        .order_by("due_at", "pk")[:10]
    )
    # The portal home is not ours: speak the patient's language in this section whatever the request asked for.
    return {"due": due, "patient_language": patient.preferred_language}


def banner_context(request) -> dict | None:
    tasks = open_safety_tasks_for(request.user)
    shown = list(tasks[:BANNER_MAX_TASKS])
    if not shown:
        return None
    count = tasks.count()  # always asked, so the page's query count does not change with the number of tasks
    return {
        "tasks": shown, "count": count, "more": count - len(shown),
        "many_clinics": len({t.clinic_id for t in shown}) > 1 or len(access.clinic_ids(request.user)) > 1,
        "list_url": reverse("outcomes:safety_list"),
    }
