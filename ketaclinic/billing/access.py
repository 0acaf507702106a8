"""Who may see which billing record. Every billing view and endpoint starts here.

- Staff: ``billing.view`` to read money, ``billing.edit`` to change it, at the record's clinic
  (another clinic's record answers 404, a clinician without billing rights 403).
- Clinicians see coverage and prior authorisation status without money (``clinical.view``).
- A patient (portal user) reads their own invoices, plans, statements and superbills; anyone else's is 404,
  and they change nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.billing.models import (
    Charge,
    Coverage,
    Invoice,
    PackagePurchase,
    Payer,
    Payment,
    PaymentPlan,
    PriorAuthorization,
    Statement,
)
from ketaclinic.patients.models import Patient

# What a portal user may do with their own billing records.
PATIENT_SELF_PERMS = frozenset({Perm.BILLING_VIEW})


def _check(user, perm: str, clinic_id: int, patient_id: int | None) -> None:
    if user.is_authenticated and user.is_patient:
        if patient_id is None or user.portal_account.patient_id != patient_id:
            raise Http404("No such record.")
        if perm not in PATIENT_SELF_PERMS:
            raise PermissionDenied("Patients cannot do this through the portal.")
        return
    if perm == Perm.CLINICAL_VIEW and access.can(user, Perm.BILLING_VIEW, clinic_id):
        return  # billing staff may read the clinician-facing view of coverage too
    access.require(user, perm, clinic_id)


def get_patient(user, patient_id, perm: str = Perm.BILLING_VIEW) -> Patient:
    try:
        patient = Patient.objects.select_related("clinic").get(pk=int(patient_id))
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None
    _check(user, perm, patient.clinic_id, patient.pk)
    return patient


def _get(model, user, pk, perm: str, *, related=("patient__clinic",)):
    try:
        obj = model.objects.select_related(*related).get(pk=int(pk))
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such record.") from None
    _check(user, perm, obj.patient.clinic_id, obj.patient_id)
    return obj


def get_invoice(user, pk, perm: str = Perm.BILLING_VIEW) -> Invoice:
    return _get(Invoice, user, pk, perm)


def get_charge(user, pk, perm: str = Perm.BILLING_VIEW) -> Charge:
    return _get(Charge, user, pk, perm)


def get_payment(user, pk, perm: str = Perm.BILLING_VIEW) -> Payment:
    return _get(Payment, user, pk, perm)


def get_payment_plan(user, pk, perm: str = Perm.BILLING_VIEW) -> PaymentPlan:
    return _get(PaymentPlan, user, pk, perm)


def get_statement(user, pk, perm: str = Perm.BILLING_VIEW) -> Statement:
    return _get(Statement, user, pk, perm)


def get_package(user, pk, perm: str = Perm.BILLING_VIEW) -> PackagePurchase:
    return _get(PackagePurchase, user, pk, perm)


def get_coverage(user, pk, perm: str = Perm.BILLING_VIEW) -> Coverage:
    return _get(Coverage, user, pk, perm, related=("patient__clinic", "plan__payer"))


def get_prior_authorization(user, pk, perm: str = Perm.BILLING_VIEW) -> PriorAuthorization:
    return _get(PriorAuthorization, user, pk, perm, related=("patient__clinic", "coverage__plan__payer"))


def get_payer(user, pk, perm: str = Perm.BILLING_VIEW) -> Payer:
    try:
        payer = Payer.objects.select_related("clinic").get(pk=int(pk))
    except (Payer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such payer.") from None
    if user.is_authenticated and user.is_patient:
        raise Http404("No such payer.")
    access.require(user, perm, payer.clinic_id)
    return payer


def get_visit(user, pk, perm: str = Perm.BILLING_EDIT):
    from ketaclinic.visits.models import Visit

    try:
        visit = Visit.objects.select_related("patient", "clinic").get(pk=int(pk))
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such visit.") from None
    _check(user, perm, visit.clinic_id, visit.patient_id)
    return visit


def can(user, perm: str, clinic_id: int) -> bool:
    if user.is_authenticated and user.is_patient:
        return False
    return access.can(user, perm, clinic_id)
