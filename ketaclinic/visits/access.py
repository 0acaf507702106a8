"""The one place that decides which visits (and records hanging off them) a user may reach."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.patients.access import PATIENT_SELF_PERMS
from ketaclinic.visits.models import AdverseEvent, MonitoringForm, Note, Visit


def visits_visible_to(user, perm: str = Perm.CLINICAL_VIEW) -> QuerySet[Visit]:
    if not user.is_authenticated:
        return Visit.objects.none()
    if user.is_patient:
        if perm not in PATIENT_SELF_PERMS:
            return Visit.objects.none()
        return Visit.objects.filter(patient_id=user.portal_account.patient_id)
    return Visit.objects.filter(clinic_id__in=access.clinic_ids(user, perm))


def get_visit_for_user(user, visit_id, perm: str = Perm.CLINICAL_VIEW, *, for_update: bool = False, light: bool = False) -> Visit:
    """The visit, 404 if the user has no business with it, 403 if their role may not ``perm`` there.

    Patients reach their own visits read-only; staff through their clinic role. ``light`` loads only the ids the
    check needs (the readings endpoint, called by every monitor every few minutes, reloads what it writes under lock).
    """
    if light:
        queryset = Visit.objects.only("id", "clinic_id", "patient_id", "status")
    else:
        queryset = Visit.objects.select_related("patient", "clinic", "protocol")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        visit = queryset.get(pk=int(visit_id))
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such visit.") from None
    if user.is_authenticated and user.is_patient:
        if user.portal_account.patient_id != visit.patient_id:
            raise Http404("No such visit.")
        if perm not in PATIENT_SELF_PERMS:
            raise PermissionDenied("Patients cannot do this through the portal.")
        return visit
    access.require(user, perm, visit.clinic_id)
    return visit


def get_note_for_user(user, note_id, perm: str = Perm.CLINICAL_VIEW) -> Note:
    note = _get(Note.objects.select_related("visit__patient", "visit__clinic", "author"), note_id)
    _require_staff(user, perm, note.visit.clinic_id)
    return note


def get_form_for_user(user, form_id, perm: str = Perm.CLINICAL_VIEW) -> MonitoringForm:
    form = _get(MonitoringForm.objects.select_related("visit__patient", "visit__clinic"), form_id)
    _require_staff(user, perm, form.visit.clinic_id)
    return form


def get_adverse_event_for_user(user, event_id, perm: str = Perm.CLINICAL_VIEW) -> AdverseEvent:
    event = _get(AdverseEvent.objects.select_related("patient", "clinic", "visit"), event_id)
    _require_staff(user, perm, event.clinic_id)
    return event


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.") from None


def _require_staff(user, perm: str, clinic_id: int) -> None:
    if not user.is_authenticated or user.is_patient:
        raise Http404("No such record.")
    access.require(user, perm, clinic_id)
