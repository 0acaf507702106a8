"""Notes, the REMS monitoring form (queue, data, sign, submission, amendments), adverse events, REMS enrolment."""

from django.http import Http404

from ninja import Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.visits.access import (
    get_adverse_event_for_user,
    get_form_for_user,
    get_note_for_user,
    get_visit_for_user,
)
from ketaclinic.visits.api import record_schemas as s
from ketaclinic.visits.api.base import router
from ketaclinic.visits.models import AdverseEvent, MonitoringForm, Note
from ketaclinic.visits.services import pmf, records

RECORD = Perm.CLINICAL_RECORD


# --- notes -----------------------------------------------------------------------------------------------------------
@router.get("/{int:visit_id}/notes", response={200: list[s.NoteOut], **ERRORS})
def list_notes(request, visit_id: int):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id)
    if request.user.is_patient:
        raise Http404("No such record.")
    return list(Note.objects.filter(visit=visit).prefetch_related("amendments"))


@router.post("/{int:visit_id}/notes", response={201: s.NoteOut, **WRITE_ERRORS})
def create_note(request, visit_id: int, payload: s.NoteIn):
    personal_only(request)
    visit = get_visit_for_user(request.user, visit_id, RECORD)
    return Status(201, records.create_note(visit, kind=payload.kind, body=payload.body, sign=payload.sign, acting_user=request.user))


@router.patch("/notes/{int:note_id}", response={200: s.NoteOut, **WRITE_ERRORS}, summary="Change your own draft")
def update_note(request, note_id: int, payload: s.NoteBodyIn):
    personal_only(request)
    return records.update_note(get_note_for_user(request.user, note_id, RECORD), body=payload.body, acting_user=request.user)


@router.post("/notes/{int:note_id}/sign", response={200: s.NoteOut, **WRITE_ERRORS}, summary="Sign and lock your draft")
def sign_note(request, note_id: int):
    personal_only(request)
    return records.sign_note(get_note_for_user(request.user, note_id, RECORD), acting_user=request.user)


@router.post("/notes/{int:note_id}/amendments", response={201: s.NoteAmendmentOut, **WRITE_ERRORS})
def amend_note(request, note_id: int, payload: s.NoteAmendmentIn):
    personal_only(request)
    note = get_note_for_user(request.user, note_id, RECORD)
    return Status(201, records.amend_note(note, body=payload.body, reason=payload.reason, acting_user=request.user))


# --- monitoring forms ---------------------------------------------------------------------------------------------------
def _form_out(form: MonitoringForm) -> dict:
    return {"id": form.pk, "visit_id": form.visit_id, "patient_id": form.visit.patient_id, **pmf.as_data(form)}


@router.get("/monitoring-forms", response={200: list[s.MonitoringFormRowOut], **ERRORS},
            summary="REMS monitoring forms: those not submitted first, by due date")
@paginate(Pagination)
def form_queue(request, clinic_id: int, status: str | None = None):
    personal_only(request)
    access.require(request.user, Perm.CLINICAL_VIEW, clinic_id)
    rows = MonitoringForm.objects.filter(visit__clinic_id=clinic_id).select_related("visit").order_by("submitted_at", "due_on", "id")
    return rows.filter(status=status) if status else rows


@router.get("/monitoring-forms/{int:form_id}", response={200: s.MonitoringFormOut, **ERRORS}, summary="The form as data")
def read_form(request, form_id: int):
    personal_only(request)
    form = get_form_for_user(request.user, form_id)
    from ketaclinic.accounts import audit

    audit.record(audit.Action.EXPORT, actor=request.user, object_type="monitoring_form", object_id=form.pk,
                 clinic=form.visit.clinic_id, patient=form.visit.patient_id, summary="REMS monitoring form through the API")
    return _form_out(form)


@router.patch("/monitoring-forms/{int:form_id}", response={200: s.MonitoringFormOut, **WRITE_ERRORS}, summary="Edit the draft")
def update_form(request, form_id: int, payload: s.FormDataIn):
    personal_only(request)
    form = pmf.update_form(get_form_for_user(request.user, form_id, RECORD), data=payload.data, acting_user=request.user)
    return _form_out(form)


@router.post("/monitoring-forms/{int:form_id}/sign", response={200: s.MonitoringFormOut, **WRITE_ERRORS},
             summary="Sign", description="422 naming every required field that is empty or invalid.")
def sign_form(request, form_id: int):
    personal_only(request)
    return _form_out(pmf.sign_form(get_form_for_user(request.user, form_id, RECORD), acting_user=request.user))


@router.post("/monitoring-forms/{int:form_id}/submission", response={200: s.MonitoringFormOut, **WRITE_ERRORS})
def record_submission(request, form_id: int, payload: s.SubmissionIn):
    personal_only(request)
    form = get_form_for_user(request.user, form_id, RECORD)
    return _form_out(pmf.record_submission(form, method=payload.method, reference=payload.reference, acting_user=request.user))


@router.post("/monitoring-forms/{int:form_id}/amendments", response={201: s.MonitoringFormOut, **WRITE_ERRORS})
def amend_form(request, form_id: int, payload: s.FormAmendIn):
    personal_only(request)
    form = get_form_for_user(request.user, form_id, RECORD)
    pmf.amend_form(form, changes=payload.data, reason=payload.reason, acting_user=request.user)
    return Status(201, _form_out(MonitoringForm.objects.select_related("visit").get(pk=form.pk)))


# --- adverse events ---------------------------------------------------------------------------------------------------------
@router.get("/adverse-events", response={200: list[s.AdverseEventOut], **ERRORS}, summary="Serious unreported first")
@paginate(Pagination)
def list_adverse_events(request, clinic_id: int, serious: bool | None = None):
    personal_only(request)
    access.require(request.user, Perm.CLINICAL_VIEW, clinic_id)
    rows = AdverseEvent.objects.filter(clinic_id=clinic_id).prefetch_related("follow_ups").order_by("-serious", "reported_at", "-onset_at", "-id")
    return rows.filter(serious=serious) if serious is not None else rows


@router.post("/adverse-events", response={201: s.AdverseEventOut, **WRITE_ERRORS})
def create_adverse_event(request, payload: s.AdverseEventIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, RECORD)
    visit = get_visit_for_user(request.user, payload.visit_id, RECORD) if payload.visit_id else None
    data = payload.dict(exclude={"patient_id", "visit_id"})
    return Status(201, records.record_adverse_event(patient, data=data, visit=visit, acting_user=request.user))


@router.get("/adverse-events/{int:event_id}", response={200: s.AdverseEventOut, **ERRORS})
def read_adverse_event(request, event_id: int):
    personal_only(request)
    return get_adverse_event_for_user(request.user, event_id)


@router.patch("/adverse-events/{int:event_id}", response={200: s.AdverseEventOut, **WRITE_ERRORS})
def update_adverse_event(request, event_id: int, payload: s.AdverseEventPatch):
    personal_only(request)
    event = get_adverse_event_for_user(request.user, event_id, RECORD)
    return records.update_adverse_event(event, data=payload.dict(exclude_unset=True), acting_user=request.user)


@router.post("/adverse-events/{int:event_id}/follow-ups", response={201: s.AdverseEventOut, **WRITE_ERRORS})
def add_follow_up(request, event_id: int, payload: s.FollowUpIn):
    personal_only(request)
    event = get_adverse_event_for_user(request.user, event_id, RECORD)
    records.add_follow_up(event, note=payload.note, acting_user=request.user)
    return Status(201, AdverseEvent.objects.get(pk=event.pk))


@router.post("/adverse-events/{int:event_id}/report", response={200: s.AdverseEventOut, **WRITE_ERRORS},
             summary="Record that a serious event was reported")
def report_adverse_event(request, event_id: int, payload: s.ReportIn):
    personal_only(request)
    event = get_adverse_event_for_user(request.user, event_id, RECORD)
    return records.mark_reported(event, reported_to=payload.reported_to, reference=payload.reference, acting_user=request.user)


# --- REMS enrolment ---------------------------------------------------------------------------------------------------------
@router.post("/rems-enrollments", response={201: s.RemsEnrollmentOut, **WRITE_ERRORS}, summary="Record a SPRAVATO REMS enrolment")
def enrol(request, payload: s.RemsEnrollmentIn):
    personal_only(request)
    patient = get_patient_for_user(request.user, payload.patient_id, RECORD)
    prescriber = User.objects.filter(pk=payload.prescriber_id).first()
    return Status(201, records.record_rems_enrollment(patient, enrolled_on=payload.enrolled_on, prescriber=prescriber,
                                                      reference=payload.reference, acting_user=request.user))


