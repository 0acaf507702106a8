"""Recording rating-scale responses: validated and scored by the pure library, stored item by item, with the
safety path (urgent task, notifications on commit) in the same transaction."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.clinical import instruments, scale_schedule
from ketaclinic.clinical.instruments import InstrumentError
from ketaclinic.clinical.instruments.base import check_int_in_range
from ketaclinic.outcomes import dosing, scales
from ketaclinic.outcomes.models import Context, QuestionnaireAssignment, QuestionnaireResponse, TreatmentCourse
from ketaclinic.outcomes.services import safety, summary
from ketaclinic.outcomes.services.assignments import EXPIRE_AFTER, LOOKAHEAD

Status = QuestionnaireResponse.Status
# A device's clock may run a little ahead of the server's; beyond this a "taken at" in the future is a mistake.
CLOCK_SKEW = dt.timedelta(minutes=5)
AMENDMENT_REASON_MIN_CHARS = 5


def _check_context(context: str) -> None:
    if context not in Context.values:
        raise ValidationError({"context": f"{context!r} is not one of {', '.join(Context.values)}."})


def _check_enterer(patient, code: str, acting_user, entered_by_patient: bool) -> None:
    if entered_by_patient:
        account = getattr(acting_user, "portal_account", None)
        if account is None or account.patient_id != patient.pk:
            raise ValidationError({"entered_by_patient": "Only the patient can enter their own answers."})
        if code not in scales.SELF_REPORT_CODES:
            raise ValidationError({"instrument": f"{code} is asked by a clinician and cannot be answered in the portal."})


def _check_course(patient, course):
    if course is not None and course.patient_id != patient.pk:
        raise ValidationError({"course": "This course belongs to another patient."})
    return course


def _check_assignment(patient, code: str, assignment):
    if assignment is None:
        return None
    # Held until commit: two submissions racing for one questionnaire cannot both complete it.
    assignment = QuestionnaireAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.patient_id != patient.pk or assignment.instrument != code:
        raise ValidationError({"assignment": f"This assignment is not a {code} for this patient."})
    if assignment.status != QuestionnaireAssignment.Status.OPEN:
        raise ValidationError({"assignment": f"This questionnaire is {assignment.get_status_display().lower()}."})
    return assignment


def _open_course(patient):
    """The patient's one open course, if there is exactly one; otherwise the caller must say which."""
    open_courses = list(TreatmentCourse.objects.filter(patient=patient, status__in=["active", "maintenance"])[:2])
    return open_courses[0] if len(open_courses) == 1 else None


def _matching_assignment(patient, code: str, taken_at: dt.datetime):
    """The open assignment this answer fulfils: same scale, due around the time it was answered."""
    return (
        QuestionnaireAssignment.objects.select_for_update()
        .filter(patient=patient, instrument=code, status=QuestionnaireAssignment.Status.OPEN,
                due_at__lte=taken_at + LOOKAHEAD, due_at__gte=taken_at - EXPIRE_AFTER)
        .order_by("due_at", "pk")
        .first()
    )


def _session_number(course, assignment, taken_at: dt.datetime, given: int | None) -> int | None:
    """Dosing sessions received before the answer: as given, else from the dose records, else the assignment."""
    if given is not None:
        return given
    if course is not None:
        times = dosing.dosing_dates(course)
        if times:
            return scale_schedule.session_number_at(taken_at, times)
    if assignment is not None and assignment.session_number is not None:
        before_dose = assignment.context == Context.PRE_DOSE
        return assignment.session_number - 1 if before_dose else assignment.session_number
    return None


def _check_taken_at(taken_at) -> dt.datetime:
    taken_at = taken_at or timezone.now()
    if not isinstance(taken_at, dt.datetime) or timezone.is_naive(taken_at):
        raise ValidationError({"taken_at": "Enter a date and time with its time zone."})
    if taken_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"taken_at": "must not be in the future."})
    return taken_at


def _score(code: str, answers, sex):
    try:
        return instruments.score(code, answers, sex=sex)
    except InstrumentError as error:
        raise scales.as_validation_error(error) from None


def _draft_for(patient, code: str, assignment, entered_by_patient: bool):
    return (
        QuestionnaireResponse.objects.select_for_update()
        .filter(patient=patient, instrument=code, status=Status.DRAFT, assignment=assignment,
                entered_by_patient=entered_by_patient)
        .first()
    )


def _score_fields(result, definition) -> dict:
    return dict(
        answers=list(result.answers), total=result.total, severity=result.severity, flags=sorted(result.flags),
        subscores=dict(result.subscores), rule_version=result.rule_version,
        loinc_panel=definition.loinc_panel or "", loinc_total=definition.loinc_total or "",
    )


@transaction.atomic
def record_response(
    patient, code: str, answers, *, acting_user, entered_by_patient: bool, course=None, context: str = "scheduled",
    assignment=None, sex: str | None = None, taken_at: dt.datetime | None = None, session_number: int | None = None,
) -> QuestionnaireResponse:
    """Score and store a complete response; open an urgent safety task when it signals risk.

    Raises ValidationError keyed by the item it names ("item_9") or by "answers", "instrument", "course"...
    ``taken_at`` and ``session_number`` are for imports and the demo; a portal answer is taken now.
    """
    definition = scales.definition(code)
    _check_context(context)
    _check_enterer(patient, code, acting_user, entered_by_patient)
    _check_course(patient, course)
    taken_at = _check_taken_at(taken_at)
    assignment = _check_assignment(patient, code, assignment) or _matching_assignment(patient, code, taken_at)
    sex = sex if sex is not None else patient.sex_at_birth
    result = _score(code, answers, sex)
    course = course or (assignment.course if assignment else None) or _open_course(patient)
    response = _draft_for(patient, code, assignment, entered_by_patient) or QuestionnaireResponse(
        patient=patient, clinic_id=patient.clinic_id, instrument=code
    )
    for name, value in _score_fields(result, definition).items():
        setattr(response, name, value)
    response.status, response.course, response.assignment, response.context = Status.FINAL, course, assignment, context
    response.sex, response.taken_at = sex or "", taken_at
    response.taken_on = timezone.localdate(taken_at, patient.clinic.tz)
    response.session_number = _session_number(course, assignment, taken_at, session_number)
    response.entered_by = acting_user if getattr(acting_user, "pk", None) else None
    response.entered_by_patient = entered_by_patient
    response.full_clean(exclude=["patient", "clinic", "course", "assignment", "entered_by", "amends"])
    response.save()
    _close_assignment(assignment)
    _audit_final(response, acting_user)
    safety.open_tasks_for_response(response, acting_user=acting_user)
    if course is not None and code == course.primary_scale:
        summary.refresh_course_outcome(course)
    return response


def _close_assignment(assignment) -> None:
    if assignment is not None:
        assignment.status, assignment.closed_at = QuestionnaireAssignment.Status.COMPLETED, timezone.now()
        assignment.save(update_fields=["status", "closed_at"])


def _audit_final(response: QuestionnaireResponse, acting_user, *, summary_text: str | None = None) -> None:
    who = "patient" if response.entered_by_patient else "staff"
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="questionnaire_response", object_id=response.pk,
        clinic=response.clinic_id, patient=response.patient_id,
        summary=summary_text or f"Recorded {response.instrument} ({who}): {response.total}, {response.severity}",
        changes={"answers": [None, response.answers], "total": [None, response.total],
                 "flags": [None, response.flags], "rule_version": [None, response.rule_version]},
    )


def _check_partial(definition, answers) -> list:
    """A draft's answers: item order, None where not answered yet; each given answer must be in range."""
    if isinstance(answers, (str, bytes)) or not isinstance(answers, (list, tuple)):
        raise ValidationError({"answers": f"{definition.code} answers: expected a list in item order."})
    if len(answers) > definition.item_count:
        raise ValidationError({"answers": f"{definition.code}: {len(answers)} answers for {definition.item_count} items."})
    padded = list(answers) + [None] * (definition.item_count - len(answers))
    for item, value in zip(definition.items, padded):
        if value is not None:
            try:
                check_int_in_range(f"{definition.code} item {item.number}", value, item.lo, item.hi)
            except InstrumentError as error:
                raise scales.as_validation_error(error) from None
    return padded


@transaction.atomic
def save_draft(
    patient, code: str, answers, *, acting_user, entered_by_patient: bool, course=None, context: str = "scheduled",
    assignment=None,
) -> QuestionnaireResponse:
    """Keep what has been answered so far, to resume later. A draft is never scored."""
    definition = scales.definition(code)
    _check_context(context)
    _check_enterer(patient, code, acting_user, entered_by_patient)
    _check_course(patient, course)
    assignment = _check_assignment(patient, code, assignment)
    padded = _check_partial(definition, answers)
    draft = _draft_for(patient, code, assignment, entered_by_patient)
    created = draft is None
    if created:
        draft = QuestionnaireResponse(
            patient=patient, clinic_id=patient.clinic_id, instrument=code, status=Status.DRAFT,
            assignment=assignment, entered_by_patient=entered_by_patient,
        )
    before = list(draft.answers or [])
    now = timezone.now()
    draft.answers, draft.context = padded, context
    draft.course = course or (assignment.course if assignment else None) or draft.course
    draft.taken_at, draft.taken_on = now, timezone.localdate(now, patient.clinic.tz)
    draft.entered_by = acting_user if getattr(acting_user, "pk", None) else None
    draft.save()
    audit.record(
        audit.Action.CREATE if created else audit.Action.UPDATE, actor=acting_user,
        object_type="questionnaire_draft", object_id=draft.pk, clinic=draft.clinic_id, patient=patient,
        summary=f"Saved a {code} draft ({draft.answered_count} of {definition.item_count} answered)",
        changes={"answers": [before or None, padded]},
    )
    return draft


@transaction.atomic
def amend_response(response: QuestionnaireResponse, answers, *, reason: str, acting_user) -> QuestionnaireResponse:
    """Correct a final response: a new final response amends it; the old one stays, marked amended."""
    old = QuestionnaireResponse.objects.select_for_update().select_related("patient__clinic").get(pk=response.pk)
    if old.status != Status.FINAL:
        raise ValidationError({"response": f"Only a final response can be amended; this one is {old.get_status_display().lower()}."})
    reason = (reason or "").strip()
    if len(reason) < AMENDMENT_REASON_MIN_CHARS:
        raise ValidationError({"reason": "Say why the answers are corrected."})
    definition = scales.definition(old.instrument)
    result = _score(old.instrument, answers, old.sex or None)
    new = QuestionnaireResponse(
        patient=old.patient, clinic_id=old.clinic_id, course=old.course, instrument=old.instrument,
        context=old.context, sex=old.sex, session_number=old.session_number, taken_at=old.taken_at,
        taken_on=old.taken_on, entered_by=acting_user, entered_by_patient=False, amends=old,
        amendment_reason=reason[:300], **_score_fields(result, definition),
    )
    new.save()
    old.status = Status.AMENDED
    old.save(update_fields=["status", "updated_at"])
    _audit_final(new, acting_user, summary_text=f"Amended {old.instrument} response {old.pk}: {old.total} → {new.total}")
    if not scales.is_safety_signal(old.flags):
        safety.open_tasks_for_response(new, acting_user=acting_user)
    if new.course is not None and new.instrument == new.course.primary_scale:
        summary.refresh_course_outcome(new.course)
    return new
