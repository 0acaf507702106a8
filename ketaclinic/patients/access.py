"""The one place that decides which patients a user may see. Views and API endpoints start here."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm
from ketaclinic.patients.models import Patient

# What a patient may do with their own record through the portal or the API.
PATIENT_SELF_PERMS = frozenset({Perm.PATIENT_VIEW, Perm.CLINICAL_VIEW})


def patients_visible_to(user: User, perm: str = Perm.PATIENT_VIEW) -> QuerySet[Patient]:
    if not user.is_authenticated:
        return Patient.objects.none()
    if user.is_patient:
        if perm not in PATIENT_SELF_PERMS:
            return Patient.objects.none()
        return Patient.objects.filter(pk=user.portal_account.patient_id)
    return Patient.objects.filter(clinic_id__in=access.clinic_ids(user, perm))


def get_patient_for_user(user: User, patient_id, perm: str = Perm.PATIENT_VIEW) -> Patient:
    """The patient, or 404 if the user has no business with them, or 403 if their role may not ``perm``."""
    try:
        patient = Patient.objects.select_related("clinic").get(pk=int(patient_id))
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None
    if user.is_authenticated and user.is_patient:
        if user.portal_account.patient_id != patient.pk:
            raise Http404("No such patient.")
        if perm not in PATIENT_SELF_PERMS:
            raise PermissionDenied("Patients cannot do this through the portal.")
        return patient
    access.require(user, perm, patient.clinic_id)
    return patient
