"""/api/v1/outcomes/: courses, questionnaire assignments, responses (submit and read), safety tasks, scales.

Same rules as the pages: another clinic's record answers 404; a patient (portal user with a personal token)
reads and answers only their own questionnaires; every write is the same service the pages call.
"""

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.clinical import instruments
from ketaclinic.outcomes import reports, scales, services
from ketaclinic.outcomes.access import (
    get_course_for_user,
    get_patient_for_recording,
    get_response_for_user,
    get_task_for_user,
)
from ketaclinic.outcomes.models import (
    QuestionnaireAssignment,
    QuestionnaireResponse,
    SafetyTask,
    TreatmentCourse,
)
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.patients.services import record_chart_opened

router = Router(tags=["outcomes"])


class CourseOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    route: str = Field(examples=["iv-ketamine"])
    condition: str = Field(examples=["major-depression"])
    primary_scale: str = Field(examples=["PHQ-9"])
    started_on: dt.date
    induction_completed_on: dt.date | None
    ended_on: dt.date | None
    status: str = Field(examples=["active"])


class CourseIn(Schema):
    patient_id: int
    route: str = Field(description="iv-ketamine or esketamine")
    condition: str = Field(description="major-depression, bipolar-depression, generalized-anxiety, panic-disorder, ptsd, ocd or chronic-pain")
    started_on: dt.date
    primary_scale: str | None = Field(None, description="PHQ-9 or GAD-7; by default from the condition")


class InductionIn(Schema):
    on: dt.date


class AssignmentOut(Schema):
    id: int
    patient_id: int
    course_id: int | None
    instrument: str
    context: str
    due_at: dt.datetime
    session_number: int | None
    status: str


class AssignmentIn(Schema):
    patient_id: int
    instrument: str = Field(examples=["PHQ-9"])
    due_at: dt.datetime
    course_id: int | None = None


class ResponseOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    course_id: int | None
    assignment_id: int | None
    instrument: str
    status: str = Field(description="draft, final or amended")
    context: str
    answers: list[int | None]
    total: int | None
    severity: str
    flags: list[str]
    subscores: dict[str, int]
    rule_version: str
    loinc_panel: str = Field(description="Empty where no verified LOINC code exists (clinical.md §5.0)")
    loinc_total: str
    session_number: int | None
    taken_at: dt.datetime
    entered_by_patient: bool
    amends_id: int | None
    safety_task_opened: bool = Field(False, description="True when this answer opened an urgent safety task")

    @staticmethod
    def resolve_safety_task_opened(obj) -> bool:
        return scales.is_safety_signal(obj.flags) and obj.status != "draft"


class ResponseIn(Schema):
    patient_id: int
    instrument: str = Field(examples=["PHQ-9"])
    answers: list[int | None] = Field(description="Item order; null only in a draft", examples=[[1, 1, 2, 1, 0, 1, 0, 0, 0]])
    course_id: int | None = None
    assignment_id: int | None = None
    context: str = "scheduled"
    sex: str | None = Field(None, description="For AUDIT-C; by default the patient's sex at birth")
    draft: bool = Field(False, description="Save unfinished answers to resume later; never scored")


class SafetyTaskOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    response_id: int
    reason: str
    detail: str
    opened_at: dt.datetime
    acknowledged_by_id: int | None
    acknowledged_at: dt.datetime | None
    action_taken: str


class SafetyTaskAcknowledgeIn(Schema):
    action_taken: str = Field(examples=["Called the patient at 10:05; C-SSRS screener low risk; safety plan reviewed."])


class ItemOut(Schema):
    number: int
    label: str
    lo: int
    hi: int
    wording: str | None
    loinc: str | None


class BandOut(Schema):
    lo: int
    hi: int
    label: str


class InstrumentOut(Schema):
    code: str
    title: str
    items: list[ItemOut]
    bands: list[BandOut]
    max_total: int
    loinc_panel: str | None
    loinc_total: str | None
    self_report: bool


class InductionOutcomesOut(Schema):
    courses: int
    responders: int
    remitters: int
    no_follow_up: int
    measured: int
    response_rate: float | None = Field(description="Percent of measured courses")
    remission_rate: float | None
    no_follow_up_share: float | None


def _visible(queryset, user):
    """Rows of patients the user may see clinically: their own (a patient) or their clinics' (staff)."""
    if user.is_patient:
        return queryset.filter(patient_id=user.portal_account.patient_id)
    return queryset.filter(clinic_id__in=access.clinic_ids(user, Perm.CLINICAL_VIEW))


def _course_of(patient, course_id):
    if course_id is None:
        return None
    course = TreatmentCourse.objects.filter(pk=course_id, patient=patient).first()
    if course is None:
        raise Http404("No such course.")
    return course


@router.get("/instruments", response={200: list[InstrumentOut], **ERRORS}, summary="Rating scales and their bands")
def list_instruments(request):
    personal_only(request)
    return [
        dict(code=d.code, title=d.title, items=list(d.items), bands=list(d.bands), max_total=d.max_total,
             loinc_panel=d.loinc_panel, loinc_total=d.loinc_total, self_report=d.code in scales.SELF_REPORT_CODES)
        for d in instruments.INSTRUMENTS.values()
    ]


@router.get("/courses", response={200: list[CourseOut], **ERRORS}, summary="Treatment courses you may see")
@paginate(Pagination)
def list_courses(request, patient_id: int | None = None):
    personal_only(request)
    courses = _visible(TreatmentCourse.objects.order_by("-started_on", "-pk"), request.user)
    if patient_id is not None:
        courses = courses.filter(patient=get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW))
    return courses


@router.post("/courses", response={201: CourseOut, **WRITE_ERRORS}, summary="Start a treatment course")
def start_course(request, payload: CourseIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, Perm.CLINICAL_RECORD)
    data = payload.dict(exclude={"patient_id"})
    return Status(201, services.start_course(patient, acting_user=request.user, **data))


@router.get("/courses/{course_id}", response={200: CourseOut, **ERRORS})
def read_course(request, course_id: int):
    personal_only(request)
    return get_course_for_user(request.user, course_id)


@router.post("/courses/{course_id}/induction-complete", response={200: CourseOut, **WRITE_ERRORS})
def complete_induction(request, course_id: int, payload: InductionIn):
    personal_only(request)
    course = get_course_for_user(request.user, course_id, Perm.CLINICAL_RECORD)
    return services.complete_induction(course, on=payload.on, acting_user=request.user)


@router.get("/assignments", response={200: list[AssignmentOut], **ERRORS}, summary="Questionnaires assigned")
@paginate(Pagination)
def list_assignments(request, patient_id: int | None = None, status: Literal["open", "completed", "expired", "cancelled"] | None = None):
    personal_only(request)
    rows = _visible(QuestionnaireAssignment.objects.order_by("due_at", "pk"), request.user)
    if patient_id is not None:
        rows = rows.filter(patient=get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW))
    return rows.filter(status=status) if status else rows


@router.post("/assignments", response={201: AssignmentOut, **WRITE_ERRORS}, summary="Ask a patient for a scale in the portal")
def assign(request, payload: AssignmentIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, Perm.CLINICAL_RECORD)
    assignment = services.assign_questionnaire(
        patient, payload.instrument, due_at=payload.due_at, acting_user=request.user, course=_course_of(patient, payload.course_id)
    )
    return Status(201, assignment)


@router.get("/responses", response={200: list[ResponseOut], **ERRORS}, summary="Questionnaire responses")
@paginate(Pagination)
def list_responses(request, patient_id: int | None = None, instrument: str | None = None):
    personal_only(request)
    rows = _visible(QuestionnaireResponse.objects.order_by("-taken_at", "-pk"), request.user)
    if patient_id is not None:
        patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW)
        record_chart_opened(patient, acting_user=request.user, via="questionnaire responses through the API")
        rows = rows.filter(patient=patient)
    return rows.filter(instrument=instrument) if instrument else rows


@router.get("/responses/{response_id}", response={200: ResponseOut, **ERRORS})
def read_response(request, response_id: int):
    personal_only(request)
    response = get_response_for_user(request.user, response_id)
    record_chart_opened(response.patient, acting_user=request.user, via="a questionnaire response through the API")
    return response


@router.post("/responses", response={201: ResponseOut, **WRITE_ERRORS}, summary="Submit answers (scored) or a draft")
def submit_response(request, payload: ResponseIn):
    """Scored by the library; bad answers answer 422 naming the item. PHQ-9 item 9 ≥ 1 or a high C-SSRS opens
    an urgent safety task (``safety_task_opened``): show the patient the clinic's crisis text at once."""
    personal_only(request)
    patient, by_patient = get_patient_for_recording(request.user, payload.patient_id)
    assignment = None
    if payload.assignment_id is not None:
        assignment = QuestionnaireAssignment.objects.filter(pk=payload.assignment_id, patient=patient).first()
        if assignment is None:
            raise Http404("No such assignment.")
    common = dict(acting_user=request.user, entered_by_patient=by_patient, course=_course_of(patient, payload.course_id),
                  context=payload.context, assignment=assignment)
    if payload.draft:
        return Status(201, services.save_draft(patient, payload.instrument, payload.answers, **common))
    return Status(201, services.record_response(patient, payload.instrument, payload.answers, sex=payload.sex, **common))


@router.get("/safety-tasks", response={200: list[SafetyTaskOut], **ERRORS}, summary="Urgent safety tasks")
@paginate(Pagination)
def list_safety_tasks(request, open: bool = True):  # noqa: A002 (the query parameter's public name)
    personal_only(request)
    if request.user.is_patient:
        return SafetyTask.objects.none()
    clinic_ids = access.clinic_ids(request.user, Perm.SAFETY_ACKNOWLEDGE)
    return SafetyTask.objects.filter(clinic_id__in=clinic_ids, acknowledged_at__isnull=open).order_by("opened_at", "pk")


@router.post("/safety-tasks/{task_id}/acknowledge", response={200: SafetyTaskOut, **WRITE_ERRORS})
def acknowledge(request, task_id: int, payload: SafetyTaskAcknowledgeIn):
    personal_only(request)
    task = get_task_for_user(request.user, task_id)
    return services.acknowledge_safety_task(task, action_taken=payload.action_taken, acting_user=request.user)


@router.get("/reports/induction", response={200: InductionOutcomesOut, **ERRORS}, summary="End-of-induction outcomes")
def induction_outcomes(request, clinic_id: int, condition: str | None = None, route: str | None = None):
    personal_only(request)
    access.require(request.user, Perm.OUTCOMES_VIEW, clinic_id)
    return reports.clinic_induction_outcomes([clinic_id], condition=condition, route=route)
