"""A clinic's crisis text and questionnaire schedule: read (defaults until first saved) and changed with audit."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ketaclinic.accounts import audit
from ketaclinic.outcomes import scales
from ketaclinic.outcomes.models import ClinicSafetySettings, ClinicScaleSchedule


def get_safety_settings(clinic) -> ClinicSafetySettings:
    """The clinic's saved settings, or the published defaults (unsaved) until an admin changes them."""
    found = ClinicSafetySettings.objects.filter(clinic=clinic).first()
    return found or ClinicSafetySettings(clinic=clinic)


def get_scale_schedule(clinic) -> ClinicScaleSchedule:
    found = ClinicScaleSchedule.objects.filter(clinic=clinic).first()
    return found or ClinicScaleSchedule(clinic=clinic, **ClinicScaleSchedule.defaults())


def _apply(row, data: dict, fields) -> None:
    unknown = set(data) - set(fields)
    if unknown:
        raise ValidationError({name: "is not a setting that can be changed here." for name in sorted(unknown)})
    for name, value in data.items():
        setattr(row, name, value)


def _save_audited(row, before: dict, fields, *, acting_user, object_type: str, summary: str):
    row.updated_by = acting_user
    row.full_clean(exclude=["clinic", "updated_by"])
    created = row.pk is None
    row.save()
    changes = audit.changed(before, audit.snapshot(row, fields))
    if changes or created:
        audit.record(
            audit.Action.CREATE if created else audit.Action.UPDATE, actor=acting_user, object_type=object_type,
            object_id=row.pk, clinic=row.clinic_id, summary=summary, changes=changes,
        )
    return row


@transaction.atomic
def update_safety_settings(clinic, *, data: dict, acting_user) -> ClinicSafetySettings:
    row = ClinicSafetySettings.objects.select_for_update().filter(clinic=clinic).first() or ClinicSafetySettings(clinic=clinic)
    before = audit.snapshot(row, ClinicSafetySettings.AUDITED_FIELDS) if row.pk else {}
    _apply(row, {k: ("" if v is None else v) for k, v in data.items()}, ClinicSafetySettings.AUDITED_FIELDS)
    return _save_audited(row, before, ClinicSafetySettings.AUDITED_FIELDS, acting_user=acting_user,
                         object_type="clinic_safety_settings", summary="Changed the crisis text")


def _check_scales(data: dict) -> None:
    errors = {}
    for name in ClinicScaleSchedule.TRIGGER_FIELDS:
        codes = data.get(name)
        if codes is None:
            continue
        if not isinstance(codes, (list, tuple)):
            errors[name] = "Choose scales from the list."
            continue
        bad = [c for c in codes if c not in scales.SELF_REPORT_CODES]
        if bad:
            errors[name] = (f"{', '.join(map(str, bad))} cannot be answered in the portal; choose from "
                            f"{', '.join(scales.SELF_REPORT_CODES)}.")
        elif len(set(codes)) != len(codes):
            errors[name] = "Each scale once."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_scale_schedule(clinic, *, data: dict, acting_user) -> ClinicScaleSchedule:
    _check_scales(data)
    row = ClinicScaleSchedule.objects.select_for_update().filter(clinic=clinic).first() or ClinicScaleSchedule(
        clinic=clinic, **ClinicScaleSchedule.defaults()
    )
    before = audit.snapshot(row, ClinicScaleSchedule.AUDITED_FIELDS) if row.pk else {}
    _apply(row, {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}, ClinicScaleSchedule.AUDITED_FIELDS)
    return _save_audited(row, before, ClinicScaleSchedule.AUDITED_FIELDS, acting_user=acting_user,
                         object_type="clinic_scale_schedule", summary="Changed the questionnaire schedule")
