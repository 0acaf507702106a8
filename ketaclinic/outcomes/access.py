"""One access helper per object type: another clinic's record, or another patient's, answers 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.outcomes.models import QuestionnaireAssignment, QuestionnaireResponse, SafetyTask, TreatmentCourse
from ketaclinic.patients.access import PATIENT_SELF_PERMS, get_patient_for_user


def _get(model, pk, select_related=()):
    try:
        return model.objects.select_related("clinic", "patient", *select_related).get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.") from None


def _check(user, obj, perm: str, *, patients_may: bool) -> None:
    if user.is_authenticated and user.is_patient:
        if user.portal_account.patient_id != obj.patient_id:
            raise Http404("No such record.")
        if not patients_may or perm not in PATIENT_SELF_PERMS:
            raise PermissionDenied("Patients cannot do this through the portal.")
        return
    access.require(user, perm, obj.clinic_id)


def get_course_for_user(user, course_id, perm: str = Perm.CLINICAL_VIEW) -> TreatmentCourse:
    course = _get(TreatmentCourse, course_id)
    _check(user, course, perm, patients_may=True)
    return course


def get_response_for_user(user, response_id, perm: str = Perm.CLINICAL_VIEW) -> QuestionnaireResponse:
    response = _get(QuestionnaireResponse, response_id, ("course", "entered_by"))
    _check(user, response, perm, patients_may=True)
    return response


def get_assignment_for_user(user, assignment_id, perm: str = Perm.CLINICAL_VIEW) -> QuestionnaireAssignment:
    assignment = _get(QuestionnaireAssignment, assignment_id, ("course",))
    _check(user, assignment, perm, patients_may=True)
    return assignment


def get_task_for_user(user, task_id, perm: str = Perm.SAFETY_ACKNOWLEDGE) -> SafetyTask:
    task = _get(SafetyTask, task_id, ("response", "acknowledged_by"))
    _check(user, task, perm, patients_may=False)
    return task


def get_patient_for_recording(user, patient_id):
    """(patient, entered_by_patient): a patient records for themselves; staff need clinical.record."""
    if user.is_authenticated and user.is_patient:
        return get_patient_for_user(user, patient_id, Perm.CLINICAL_VIEW), True
    return get_patient_for_user(user, patient_id, Perm.CLINICAL_RECORD), False
