"""Every change to a patient record: validated in full, written in one transaction with its audit row."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.patients.models import Patient

EDITABLE_FIELDS = Patient.AUDITED_FIELDS


def _apply(patient: Patient, data: dict[str, Any]) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a patient field that can be set." for name in sorted(unknown)})
    for name, value in data.items():
        setattr(patient, name, "" if value is None and _is_text(name) else value)


def _is_text(name: str) -> bool:
    return Patient._meta.get_field(name).get_internal_type() == "CharField"


def _assign_mrn(patient: Patient) -> None:
    # Hold the clinic row while taking the next number so two registrations never get the same MRN.
    clinic = Clinic.objects.select_for_update().get(pk=patient.clinic_id)
    patient.mrn = f"{clinic.mrn_prefix}{clinic.mrn_next:06d}"
    Clinic.objects.filter(pk=clinic.pk).update(mrn_next=clinic.mrn_next + 1)


def _save_checked(patient: Patient) -> None:
    patient.full_clean(validate_constraints=False)
    duplicate = Patient.objects.filter(clinic_id=patient.clinic_id, mrn__iexact=patient.mrn).exclude(pk=patient.pk)
    if duplicate.exists():
        raise ValidationError({"mrn": f"MRN {patient.mrn} is already used at this clinic."})
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError:
        raise ValidationError({"mrn": f"MRN {patient.mrn} is already used at this clinic."}) from None


@transaction.atomic
def create_patient(*, clinic: Clinic, data: dict[str, Any], acting_user: User) -> Patient:
    patient = Patient(clinic=clinic)
    _apply(patient, data)
    if not patient.mrn:
        _assign_mrn(patient)
    _save_checked(patient)
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="patient", object_id=patient.pk, clinic=clinic,
        patient=patient, summary="Registered patient",
        changes={k: [None, v] for k, v in audit.snapshot(patient, EDITABLE_FIELDS).items() if v not in ("", None)},
    )
    return patient


@transaction.atomic
def update_patient(patient: Patient, *, data: dict[str, Any], acting_user: User) -> Patient:
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    before = audit.snapshot(patient, EDITABLE_FIELDS)
    _apply(patient, data)
    if not patient.mrn:
        raise ValidationError({"mrn": "An existing patient keeps an MRN; it cannot be emptied."})
    _save_checked(patient)
    changes = audit.changed(before, audit.snapshot(patient, EDITABLE_FIELDS))
    if changes:
        audit.record(
            audit.Action.UPDATE, actor=acting_user, object_type="patient", object_id=patient.pk,
            clinic=patient.clinic_id, patient=patient, summary="Changed patient details", changes=changes,
        )
    return patient


def record_chart_opened(patient: Patient, *, acting_user: User, via: str = "chart") -> None:
    audit.record(
        audit.Action.VIEW, actor=acting_user, object_type="patient", object_id=patient.pk,
        clinic=patient.clinic_id, patient=patient, summary=f"Opened {via}",
    )
