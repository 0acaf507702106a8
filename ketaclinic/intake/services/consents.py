"""Informed consent: signed electronically by the patient (typed name, time, text version), and withdrawn."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm
from ketaclinic.intake import consent_texts
from ketaclinic.intake.models import ROUTE_SHORT_NAMES, ConsentWithdrawal, InformedConsent, Intake, Route
from ketaclinic.intake.services.guard import current_consent, current_decision
from ketaclinic.patients.models import Patient, search_key

Where = InformedConsent.Where


def names_match(typed: str, patient: Patient) -> bool:
    """The typed name is the patient's legal first and last name; case, accents and spacing do not matter."""
    expected = search_key(f"{patient.legal_first_name} {patient.legal_last_name}").split()
    return search_key(typed).split() == expected


def _check_signer(patient: Patient, where: str, acting_user: User) -> None:
    if where == Where.PORTAL:
        if not (acting_user.is_patient and acting_user.portal_account.patient_id == patient.pk):
            raise PermissionDenied("Only the patient signs their consent in the portal.")
    elif where == Where.CLINIC:
        access.require(acting_user, Perm.CLINICAL_RECORD, patient.clinic_id)
    else:
        raise ValidationError({"where": "Say where the consent is signed: portal or clinic."})


@transaction.atomic
def sign_consent(patient: Patient, *, route: str, typed_name: str, agreed: bool, text_version: str, where: str,
                 acting_user: User) -> InformedConsent:
    """Record the patient's signature on the current consent text for ``route``.

    ``text_version`` is the version the page showed: if the clinic published a new one meanwhile, the patient
    reads the new one first.
    """
    _check_signer(patient, where, acting_user)
    Intake.objects.select_for_update().filter(patient=patient).first()  # one signature at a time per patient
    if route not in Route.values:
        raise ValidationError({"route": f"Unknown route {route!r}."})
    name = ROUTE_SHORT_NAMES[route]
    decision = current_decision(patient)
    if decision is None or route not in decision.approved_routes:
        raise ValidationError({"route": f"No signed candidacy decision approves {name} yet."})
    text = consent_texts.current(route)
    existing = current_consent(patient, route)
    if existing is not None and existing.text_version == text.version:
        raise ValidationError({"route": f"Consent for {name} is already signed."})
    errors = {}
    if text_version != text.version:
        errors["text_version"] = "The consent text was updated; please read the new version."
    if agreed is not True:
        errors["agreed"] = "Tick the box to confirm you have read and understood the text."
    if not names_match(typed_name, patient):
        errors["typed_name"] = "Type your full legal first and last name, as the clinic has it."
    if errors:
        raise ValidationError(errors)
    consent = InformedConsent.objects.create(
        patient=patient, route=route, text_version=text.version, text_sha256=text.sha256,
        typed_name=" ".join(typed_name.split()), signed_at=timezone.now(), signed_by=acting_user, where=where,
        decision=decision,
    )
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="informed_consent", object_id=consent.pk,
                 clinic=patient.clinic_id, patient=patient, summary=f"Signed consent for {name} ({text.version})",
                 changes={"route": [None, route], "text_version": [None, text.version], "where": [None, where]})
    return consent


@transaction.atomic
def withdraw_consent(consent: InformedConsent, *, reason: str, acting_user: User) -> ConsentWithdrawal:
    patient = consent.patient
    if acting_user.is_patient:
        if acting_user.portal_account.patient_id != patient.pk:
            raise PermissionDenied("Only the patient or their clinic may withdraw this consent.")
    else:
        access.require(acting_user, Perm.CLINICAL_RECORD, patient.clinic_id)
    consent = InformedConsent.objects.select_for_update().get(pk=consent.pk)
    if consent.is_withdrawn:
        raise ValidationError({"consent": "This consent is already withdrawn."})
    withdrawal = ConsentWithdrawal.objects.create(consent=consent, recorded_by=acting_user, reason=reason.strip())
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="consent_withdrawal", object_id=withdrawal.pk,
                 clinic=patient.clinic_id, patient=patient,
                 summary=f"Withdrew consent for {ROUTE_SHORT_NAMES[consent.route]}")
    return withdrawal
