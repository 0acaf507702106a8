"""Filling in an intake: the patient in the portal or staff at the clinic; then submitting it for review."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import User
from ketaclinic.clinical import candidacy
from ketaclinic.intake.models import Allergy, AntidepressantTrial, Condition, Intake, Medication, YesNoUnsure
from ketaclinic.patients.models import Patient

Status = Intake.Status
OBJECT_TYPE = "intake"
# What the engine calls a field → the intake field a person corrects.
_ENGINE_FIELDS = {
    "conditions": "conditions", "current_mood_state": "current_mood_state", "history": "history",
    "antidepressant_trials": "trials", "blood_pressure_mmhg": "screening_bp_systolic_mmhg",
    "medications": "medications", "pregnant": "pregnant", "age_years": "patient",
}
CHILD_MODELS = {"trial": AntidepressantTrial, "medication": Medication, "allergy": Allergy}


def _record(action, intake: Intake, acting_user: User | None, summary: str, changes=None, object_type=OBJECT_TYPE,
            object_id=None) -> None:
    audit.record(
        action, actor=acting_user, object_type=object_type, object_id=object_id or intake.pk,
        clinic=intake.patient.clinic_id, patient=intake.patient_id, summary=summary, changes=changes,
    )


@transaction.atomic
def start_intake(patient: Patient, *, acting_user: User | None, consultation_request=None) -> Intake:
    """The patient's intake, opened now if they have none (idempotent)."""
    intake, created = Intake.objects.get_or_create(patient=patient, defaults={"consultation_request": consultation_request})
    if created:
        _record(audit.Action.CREATE, intake, acting_user, "Started the intake")
    return intake


def _locked(intake: Intake) -> Intake:
    return Intake.objects.select_for_update().select_related("patient__clinic").get(pk=intake.pk)


def check_editable(intake: Intake, *, by_patient: bool) -> None:
    if by_patient and intake.status != Status.IN_PROGRESS:
        raise ValidationError("Your intake has been sent to the clinic; call the clinic to change anything.")


def _clean_choices(data: dict[str, Any]) -> None:
    if "conditions" in data:
        conditions = data["conditions"] or []
        unknown = [c for c in conditions if c not in Condition.values]
        if not isinstance(conditions, (list, tuple)) or unknown:
            raise ValidationError({"conditions": f"Unknown condition {unknown[0] if unknown else conditions!r}."})
        data["conditions"] = sorted(set(conditions))
    if "history" in data:
        history = data["history"] or {}
        if not isinstance(history, dict):
            raise ValidationError({"history": "Must be a set of yes/no answers."})
        for key, value in history.items():
            if key not in candidacy.HISTORY_KEYS:
                raise ValidationError({"history": f"Unknown history item {key!r}."})
            if not isinstance(value, bool):
                raise ValidationError({"history": f"{key}: answer yes or no."})
        data["history"] = {key: value for key, value in sorted(history.items()) if value}


@transaction.atomic
def update_intake(intake: Intake, *, data: dict[str, Any], acting_user: User, by_patient: bool = False) -> Intake:
    """Change the intake's answers. A patient may change only their answers, and only before submitting."""
    intake = _locked(intake)
    check_editable(intake, by_patient=by_patient)
    allowed = Intake.PATIENT_FIELDS if by_patient else (*Intake.PATIENT_FIELDS, *Intake.VITALS_FIELDS)
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: "cannot be changed here." for name in sorted(unknown)})
    data = dict(data)
    _clean_choices(data)
    before = audit.snapshot(intake, Intake.AUDITED_FIELDS)
    for name, value in data.items():
        setattr(intake, name, "" if value is None and name in ("current_mood_state", "psychotherapy_history", "other_medical_history") else value)
    if set(data) & set(Intake.VITALS_FIELDS):
        _check_vitals(intake, acting_user, time_given="screening_vitals_at" in data)
    intake.full_clean()
    changes = audit.changed(before, audit.snapshot(intake, Intake.AUDITED_FIELDS))
    if changes:
        intake.updated_at = timezone.now()
        intake.save()
        _record(audit.Action.UPDATE, intake, acting_user, "Changed the intake", changes)
        _after_change(intake, acting_user)
    return intake


def _check_vitals(intake: Intake, acting_user: User, *, time_given: bool) -> None:
    systolic, diastolic = intake.screening_bp_systolic_mmhg, intake.screening_bp_diastolic_mmhg
    if (systolic is None) != (diastolic is None):
        missing = "screening_bp_diastolic_mmhg" if diastolic is None else "screening_bp_systolic_mmhg"
        raise ValidationError({missing: "Enter both blood pressure numbers, or neither."})
    if systolic is not None and diastolic >= systolic:
        raise ValidationError({"screening_bp_diastolic_mmhg": f"Diastolic {diastolic} must be below systolic {systolic} (swapped?)."})
    any_reading = any(getattr(intake, f) is not None for f in Intake.VITALS_FIELDS if f != "screening_vitals_at")
    if any_reading:
        if not time_given or intake.screening_vitals_at is None:
            intake.screening_vitals_at = timezone.now()
        if intake.screening_vitals_at > timezone.now() + dt.timedelta(minutes=5):
            raise ValidationError({"screening_vitals_at": "must not be in the future."})
        intake.screening_vitals_by = acting_user


def _after_change(intake: Intake, acting_user: User) -> None:
    """Once submitted, every change re-runs the engine, so the physician always reviews the current facts."""
    if intake.status != Status.IN_PROGRESS:
        from ketaclinic.intake.services.candidacy import evaluate_intake

        evaluate_intake(intake, acting_user=acting_user)


@transaction.atomic
def add_item(intake: Intake, kind: str, *, data: dict[str, Any], acting_user: User, by_patient: bool = False) -> Model:
    """Add an antidepressant trial, a medication or an allergy (``kind``: trial, medication, allergy)."""
    model = CHILD_MODELS[kind]
    intake = _locked(intake)
    check_editable(intake, by_patient=by_patient)
    unknown = set(data) - set(model.AUDITED_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a field here." for name in sorted(unknown)})
    item = model(intake=intake, **{k: ("" if v is None and _is_text(model, k) else v) for k, v in data.items()})
    item.full_clean(exclude=["intake"])
    item.save()
    if kind == "allergy" and intake.no_known_allergies:
        intake.no_known_allergies = False
        intake.save(update_fields=["no_known_allergies"])
    _record(audit.Action.CREATE, intake, acting_user, f"Added {model._meta.verbose_name} to the intake",
            {k: [None, v] for k, v in audit.snapshot(item, model.AUDITED_FIELDS).items() if v not in ("", None)},
            object_type=f"intake_{kind}", object_id=item.pk)
    _after_change(intake, acting_user)
    return item


@transaction.atomic
def remove_item(intake: Intake, kind: str, item_id: int, *, acting_user: User, by_patient: bool = False) -> None:
    model = CHILD_MODELS[kind]
    intake = _locked(intake)
    check_editable(intake, by_patient=by_patient)
    item = model.objects.filter(intake=intake, pk=item_id).first()
    if item is None:
        raise ValidationError({"item": f"No such {model._meta.verbose_name} on this intake."})
    before = audit.snapshot(item, model.AUDITED_FIELDS)
    item.delete()
    _record(audit.Action.DELETE, intake, acting_user, f"Removed {model._meta.verbose_name} from the intake",
            {k: [v, None] for k, v in before.items() if v not in ("", None)}, object_type=f"intake_{kind}",
            object_id=item_id)
    _after_change(intake, acting_user)


def _is_text(model, name: str) -> bool:
    return model._meta.get_field(name).get_internal_type() in ("CharField", "TextField")


def check_complete(intake: Intake) -> None:
    """What a physician needs before reviewing; errors name the field to fill in."""
    errors = {}
    if not intake.conditions:
        errors["conditions"] = "Choose at least one condition you are seeking treatment for."
    if not intake.current_mood_state:
        errors["current_mood_state"] = "Say how your mood is now."
    if not intake.no_known_allergies and not intake.allergies.exists():
        errors["no_known_allergies"] = "List your allergies, or tick “No known allergies”."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def submit_intake(intake: Intake, *, acting_user: User, by_patient: bool = False) -> Intake:
    """Send the intake for physician review: checked complete, then judged by the engine."""
    from ketaclinic.intake.services.candidacy import evaluate_intake

    intake = _locked(intake)
    if intake.status != Status.IN_PROGRESS:
        raise ValidationError("This intake has already been sent for review.")
    check_complete(intake)
    intake.status = Status.AWAITING_REVIEW
    intake.submitted_at = timezone.now()
    intake.submitted_by = acting_user
    intake.save()
    _record(audit.Action.UPDATE, intake, acting_user, "Sent the intake for physician review",
            {"status": [Status.IN_PROGRESS, Status.AWAITING_REVIEW]})
    evaluate_intake(intake, acting_user=acting_user)
    return intake


def engine_input(intake: Intake, *, today: dt.date) -> dict:
    """The candidacy engine's intake dict for this patient on ``today`` (in the clinic's time zone)."""
    patient = intake.patient
    data = {
        "age_years": patient.age_on(today),
        "sex": patient.sex_at_birth,
        "pregnant": intake.pregnant,
        "conditions": sorted(intake.conditions),
        "current_mood_state": intake.current_mood_state,
        "antidepressant_trials": [
            {"drug": t.drug, "weeks": t.weeks, "adequate_dose": t.adequate_dose == YesNoUnsure.YES, "outcome": t.outcome}
            for t in intake.trials.all()
        ],
        "psychotherapy_tried": intake.psychotherapy_tried,
        "history": {key: True for key in sorted(candidacy.HISTORY_KEYS) if intake.history.get(key)},
        "medications": [m.name for m in intake.medications.all()],
    }
    if intake.screening_bp_mmhg is not None:
        data["blood_pressure_mmhg"] = list(intake.screening_bp_mmhg)
    return data


def engine_error(error: ValueError) -> ValidationError:
    """The engine's ``field: message`` as a ValidationError on the intake field a person can correct."""
    text = str(error)
    head = text.split(":", 1)[0].split("[", 1)[0].split(".", 1)[0].strip()
    return ValidationError({_ENGINE_FIELDS.get(head, "__all__"): text})
