"""Who may reach a plan, an appointment or a protocol: the patient's clinic decides, as for the chart.

Another clinic's record answers 404; a patient (portal user) reaches only their own, and only to read.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.patients.access import PATIENT_SELF_PERMS
from ketaclinic.plans.models import Appointment, Protocol, StaffShift, TreatmentPlan


# Reading a plan: clinicians, and the front desk who books it (they need its sessions, not the chart).
PLAN_READERS = (Perm.CLINICAL_VIEW, Perm.SCHEDULE_BOOK)


def _check(user, perm, clinic_id: int, patient_id: int | None) -> None:
    """``perm`` is one permission or a tuple of which any one suffices."""
    perms = perm if isinstance(perm, tuple) else (perm,)
    if user.is_authenticated and user.is_patient:
        if patient_id is None or user.portal_account.patient_id != patient_id:
            raise Http404("No such record.")
        if not set(perms) & PATIENT_SELF_PERMS:
            raise PermissionDenied("Patients cannot do this through the portal.")
        return
    if not any(access.can(user, p, clinic_id) for p in perms):
        access.require(user, perms[0], clinic_id)  # 404 for another clinic, 403 for the wrong role


def require_any(user, perms: tuple, clinic_id: int) -> None:
    _check(user, perms, clinic_id, None)


def _get(queryset, pk):
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.") from None


def get_plan_for_user(user, plan_id, perm=PLAN_READERS) -> TreatmentPlan:
    plan = _get(TreatmentPlan.objects.select_related("patient", "clinic", "protocol", "signed_by", "created_by"), plan_id)
    _check(user, perm, plan.clinic_id, plan.patient_id)
    return plan


def get_appointment_for_user(user, appointment_id, perm: str = Perm.PATIENT_VIEW) -> Appointment:
    appointment = _get(Appointment.objects.select_related("patient", "clinic", "chair", "nurse", "plan"), appointment_id)
    _check(user, perm, appointment.clinic_id, appointment.patient_id)
    return appointment


def get_protocol_for_user(user, protocol_id, perm: str = Perm.CLINICAL_VIEW) -> Protocol:
    protocol = _get(Protocol.objects.select_related("clinic", "approved_by"), protocol_id)
    _check(user, perm, protocol.clinic_id, None)
    return protocol


def get_shift_for_user(user, shift_id, perm: str = Perm.SCHEDULE_BOOK) -> StaffShift:
    shift = _get(StaffShift.objects.select_related("user"), shift_id)
    _check(user, perm, shift.clinic_id, None)
    return shift
