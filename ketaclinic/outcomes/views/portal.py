"""The patient's own pages: questionnaires due (stop and resume), the answer page, the result with the crisis
text when an answer signals risk, and their own trend. In the patient's language (English or Spanish)."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ketaclinic.core.decorators import patient_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.outcomes import forms, scales, services, trends
from ketaclinic.outcomes.access import get_assignment_for_user, get_response_for_user
from ketaclinic.outcomes.models import QuestionnaireAssignment, QuestionnaireResponse
from ketaclinic.outcomes.views.patient_pages import _svg
from ketaclinic.patients.services import record_chart_opened


def in_patients_language(view):
    """Render in the patient's preferred language (page chrome only; see docs/outcomes.md on scale wording)."""

    @patient_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        patient = request.user.portal_account.patient
        with translation.override(patient.preferred_language):
            response = view(request, patient, *args, **kwargs)
            response.headers.setdefault("Content-Language", patient.preferred_language)
            return response

    return wrapper


@in_patients_language
def portal_list(request, patient):
    due = list(QuestionnaireAssignment.objects.filter(patient=patient, status=QuestionnaireAssignment.Status.OPEN).order_by("due_at", "pk"))
    drafts = {r.assignment_id: r for r in QuestionnaireResponse.objects.filter(
        patient=patient, status=QuestionnaireResponse.Status.DRAFT, assignment__in=due)}
    rows = [{"assignment": a, "draft": drafts.get(a.pk), "title": scales.definition(a.instrument).title} for a in due]
    return render(request, "outcomes/portal/list.html", {"patient": patient, "rows": rows})


def _answer_context(patient, assignment, definition, form):
    return {"patient": patient, "assignment": assignment, "definition": definition, "form": form,
            "wording_in_english": translation.get_language() != "en"}


@in_patients_language
@require_http_methods(["GET", "POST"])
def portal_answer(request, patient, assignment_id: int):
    assignment = get_assignment_for_user(request.user, assignment_id)
    if assignment.status != QuestionnaireAssignment.Status.OPEN:
        messages.info(request, _("This questionnaire is already closed."))
        return redirect("outcomes:portal_list")
    definition = scales.definition(assignment.instrument)
    draft = assignment.responses.filter(status=QuestionnaireResponse.Status.DRAFT, entered_by_patient=True).first()
    saving = request.POST.get("action") == "save"
    form = forms.QuestionnaireForm(definition, request.POST or None, require_all=not saving,
                                   initial_answers=draft.answers if draft else None)
    if request.method == "POST" and form.is_valid():
        try:
            return _submit(request, patient, assignment, definition, form.answers(), saving)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "outcomes/portal/answer.html", _answer_context(patient, assignment, definition, form),
                  status=422 if form.errors else 200)


def _submit(request, patient, assignment, definition, answers, saving: bool):
    common = dict(acting_user=request.user, entered_by_patient=True, assignment=assignment, context=assignment.context)
    if saving:
        draft = services.save_draft(patient, definition.code, answers, course=assignment.course, **common)
        messages.success(request, _("Saved: %(n)s of %(total)s answered. You can finish later.")
                         % {"n": draft.answered_count, "total": definition.item_count})
        return redirect("outcomes:portal_list")
    response = services.record_response(patient, definition.code, answers, course=assignment.course, **common)
    return redirect("outcomes:portal_done", response_id=response.pk)


@in_patients_language
def portal_done(request, patient, response_id: int):
    response = get_response_for_user(request.user, response_id)
    if response.status == QuestionnaireResponse.Status.DRAFT:
        raise Http404("No such response.")
    context = {
        "patient": patient, "response": response, "definition": scales.definition(response.instrument),
        "crisis": scales.is_safety_signal(response.flags), "safety": services.get_safety_settings(patient.clinic),
    }
    return render(request, "outcomes/portal/done.html", context)


@in_patients_language
def portal_progress(request, patient):
    record_chart_opened(patient, acting_user=request.user, via="own progress in the portal")
    codes = set(QuestionnaireResponse.objects.filter(patient=patient, status=QuestionnaireResponse.Status.FINAL,
                                                     instrument__in=scales.SELF_REPORT_CODES).values_list("instrument", flat=True))
    charts = []
    for code in scales.TRENDABLE_CODES:
        if code in codes:
            trend = trends.build_trend(patient, code)
            charts.append({"code": code, "slug": scales.definition(code).slug, "text": trends.describe(trend)})
    return render(request, "outcomes/portal/progress.html", {"patient": patient, "charts": charts})


@in_patients_language
def portal_trend_svg(request, patient, slug: str):
    definition = scales.by_slug(slug)
    if definition is None or definition.code not in scales.SELF_REPORT_CODES:
        raise Http404("No such chart.")
    return _svg(request, patient, slug, via="own trend chart in the portal")

