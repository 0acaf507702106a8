"""Who may reach which intake record. Every view and endpoint of the area starts here.

Staff reach records of their clinics by role (another clinic's answer 404); a patient reaches only their
own intake and consent, through the portal or the API, and nothing else of this area.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm
from ketaclinic.intake.models import ConsultationRequest, InformedConsent, Intake
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.patients.models import Patient


def get_consultation_request_for_user(user: User, request_id, perm: str = Perm.INTAKE_QUEUE) -> ConsultationRequest:
    if not user.is_authenticated or user.is_patient:
        raise Http404("No such request.")
    try:
        request = ConsultationRequest.objects.select_related("clinic", "patient").get(pk=int(request_id))
    except (ConsultationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request.") from None
    access.require(user, perm, request.clinic_id)
    return request


def get_patient_for_intake(user: User, patient_id, perm: str) -> Patient:
    """The patient whose intake ``user`` may read (CLINICAL_VIEW) or change (CLINICAL_RECORD).

    A patient may read and fill in their own intake (and sign their own consent), never anyone else's.
    """
    if user.is_authenticated and user.is_patient:
        patient = get_patient_for_user(user, patient_id, Perm.PATIENT_VIEW)  # 404 unless their own
        if perm not in (Perm.CLINICAL_VIEW, Perm.CLINICAL_RECORD):
            raise PermissionDenied("Patients cannot do this.")
        return patient
    return get_patient_for_user(user, patient_id, perm)


def portal_patient(user: User) -> Patient:
    return Patient.objects.select_related("clinic").get(pk=user.portal_account.patient_id)


def get_intake(patient: Patient) -> Intake | None:
    return Intake.objects.filter(patient=patient).first()


def get_consent_for_user(user: User, consent_id, perm: str = Perm.CLINICAL_VIEW) -> InformedConsent:
    try:
        consent = InformedConsent.objects.select_related("patient__clinic", "signed_by").get(pk=int(consent_id))
    except (InformedConsent.DoesNotExist, ValueError, TypeError):
        raise Http404("No such consent.") from None
    get_patient_for_intake(user, consent.patient_id, perm)
    return consent
