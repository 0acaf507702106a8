"""Staff pages about one patient: courses, recording a scale, responses, amendments, assignments, trends."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.outcomes import forms, scales, services, trends
from ketaclinic.outcomes.access import get_course_for_user, get_response_for_user
from ketaclinic.outcomes.models import QuestionnaireResponse, TreatmentCourse
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.patients.services import record_chart_opened


def _render_form(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def course_new(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    form = forms.CourseForm(request.POST or None, initial={"started_on": timezone.localdate(timezone.now(), patient.clinic.tz)})
    if request.method == "POST" and form.is_valid():
        try:
            course = services.start_course(patient, acting_user=request.user, **{
                k: v or None for k, v in form.cleaned_data.items()})
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Started {course}.")
            return redirect("outcomes:course", course_id=course.pk)
    return _render_form(request, "outcomes/course_form.html", {"patient": patient}, form)


@staff_required
def course_detail(request, course_id: int):
    course = get_course_for_user(request.user, course_id)
    record_chart_opened(course.patient, acting_user=request.user, via="treatment course")
    responses = course.responses.exclude(status=QuestionnaireResponse.Status.AMENDED).select_related("entered_by")
    context = {
        "course": course, "patient": course.patient, "outcome": getattr(course, "outcome", None),
        "page": paginate(request, responses.order_by("-taken_at", "-pk")),
        "induction_form": forms.InductionForm(initial={"on": timezone.localdate(timezone.now(), course.clinic.tz)}),
        "end_form": forms.EndCourseForm(initial={"on": timezone.localdate(timezone.now(), course.clinic.tz)}),
        "can_record": course.is_open and _can_record(request, course),
    }
    return render(request, "outcomes/course.html", context)


def _can_record(request, obj) -> bool:
    return access.can(request.user, Perm.CLINICAL_RECORD, obj.clinic_id)


def _require_valid(form) -> None:
    """A small action form posted from another page: its errors go to a message, each naming its field."""
    if not form.is_valid():
        raise ValidationError([f"{form.fields[k].label or k}: {' '.join(v)}" for k, v in form.errors.items()])


@staff_required
@require_POST
def course_complete_induction(request, course_id: int):
    course = get_course_for_user(request.user, course_id, Perm.CLINICAL_RECORD)
    form = forms.InductionForm(request.POST)
    try:
        _require_valid(form)
        services.complete_induction(course, on=form.cleaned_data["on"], acting_user=request.user)
        messages.success(request, "Induction completed; the course is in maintenance.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("outcomes:course", course_id=course.pk)


@staff_required
@require_POST
def course_end(request, course_id: int):
    course = get_course_for_user(request.user, course_id, Perm.CLINICAL_RECORD)
    form = forms.EndCourseForm(request.POST)
    try:
        _require_valid(form)
        services.change_course_status(course, acting_user=request.user, **form.cleaned_data)
        messages.success(request, "The course is closed; its open questionnaires are cancelled.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("outcomes:course", course_id=course.pk)


@staff_required
def record_choose(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    definitions = [scales.definition(code) for code in scales.STAFF_CODES]
    return render(request, "outcomes/record_choose.html", {"patient": patient, "definitions": definitions})


@staff_required
@require_http_methods(["GET", "POST"])
def record(request, patient_id: int, slug: str):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    definition = scales.by_slug(slug)
    if definition is None:
        raise Http404("No such scale.")
    courses = list(TreatmentCourse.objects.filter(patient=patient))
    form = forms.StaffQuestionnaireForm(definition, request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        course = next((c for c in courses if c.pk == form.cleaned_data["course"]), None)
        try:
            response = services.record_response(
                patient, definition.code, form.answers(), acting_user=request.user, entered_by_patient=False,
                course=course, context=form.cleaned_data["context"], sex=form.cleaned_data.get("sex") or None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Recorded {definition.code}: {response.total}, {response.severity}.")
            return redirect("outcomes:response", response_id=response.pk)
    return _render_form(request, "outcomes/record_form.html", {"patient": patient, "definition": definition}, form)


@staff_required
def response_detail(request, response_id: int):
    response = get_response_for_user(request.user, response_id)
    record_chart_opened(response.patient, acting_user=request.user, via=f"{response.instrument} response")
    definition = scales.definition(response.instrument)
    items = [(item, response.answers[i] if i < len(response.answers) else None) for i, item in enumerate(definition.items)]
    context = {"response": response, "patient": response.patient, "definition": definition, "items": items,
               "can_amend": response.status == "final" and _can_record(request, response)}
    return render(request, "outcomes/response.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def response_amend(request, response_id: int):
    response = get_response_for_user(request.user, response_id, Perm.CLINICAL_RECORD)
    definition = scales.definition(response.instrument)
    form = forms.StaffQuestionnaireForm(definition, request.POST or None, initial_answers=response.answers)
    reason = forms.AmendForm(request.POST or None)
    for name in ("course", "context", "sex"):
        form.fields.pop(name, None)
    if request.method == "POST" and form.is_valid() and reason.is_valid():
        try:
            new = services.amend_response(response, form.answers(), reason=reason.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Amended: {new.instrument} is now {new.total}, {new.severity}.")
            return redirect("outcomes:response", response_id=new.pk)
    context = {"response": response, "patient": response.patient, "definition": definition, "reason_form": reason}
    return render(request, "outcomes/amend_form.html", {**context, "form": form},
                  status=422 if form.errors or reason.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def assign(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    form = forms.AssignForm(request.POST or None, initial={"due_on": timezone.localdate(timezone.now(), patient.clinic.tz)})
    if request.method == "POST" and form.is_valid():
        due_at = dt.datetime.combine(form.cleaned_data["due_on"], dt.time(0, 0), tzinfo=patient.clinic.tz)
        try:
            services.assign_questionnaire(patient, form.cleaned_data["instrument"], due_at=due_at, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{form.cleaned_data['instrument']} is waiting in the patient's portal.")
            return redirect("patients:chart", patient_id=patient.pk)
    return _render_form(request, "outcomes/assign_form.html", {"patient": patient}, form)


@staff_required
def patient_responses(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW)
    record_chart_opened(patient, acting_user=request.user, via="questionnaire history")
    rows = QuestionnaireResponse.objects.filter(patient=patient).select_related("entered_by", "course").order_by("-taken_at", "-pk")
    return render(request, "outcomes/responses.html", {"patient": patient, "page": paginate(request, rows)})


@staff_required
def trend_svg(request, patient_id: int, slug: str):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW)
    return _svg(request, patient, slug, via="trend chart")


def _svg(request, patient, slug: str, *, via: str) -> HttpResponse:
    definition = scales.by_slug(slug)
    if definition is None or definition.code not in scales.TRENDABLE_CODES:
        raise Http404("No such chart.")
    record_chart_opened(patient, acting_user=request.user, via=f"{definition.code} {via}")
    svg = trends.render_svg(trends.build_trend(patient, definition.code), sex=patient.sex_at_birth, tz=patient.clinic.tz)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
