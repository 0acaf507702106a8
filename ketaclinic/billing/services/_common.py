"""Helpers every billing service uses: validated saves, audit rows, the clinic's today, money checks."""

import datetime as dt
from typing import Any, Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ketaclinic.accounts import audit


def clinic_today(clinic) -> dt.date:
    """Today in the clinic's own time zone (a bill dated at 11 pm in Los Angeles is not tomorrow's)."""
    return timezone.localdate(timezone=clinic.tz)


def apply_fields(obj: models.Model, data: dict[str, Any], allowed: Iterable[str]) -> None:
    allowed = set(allowed)
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({name: "is not a field that can be set here." for name in sorted(unknown)})
    for name, value in data.items():
        field = obj._meta.get_field(name)
        if value is None and field.get_internal_type() in ("CharField", "TextField") and not field.null:
            value = ""
        setattr(obj, name if not field.is_relation else field.name, value)


def save_checked(obj: models.Model, *, exclude: Iterable[str] = ()) -> models.Model:
    """full_clean (errors keyed by field), then save. Call inside the service's transaction."""
    obj.full_clean(exclude=list(exclude), validate_constraints=False)
    obj.save()
    return obj


def record_create(obj: models.Model, *, actor, object_type: str, clinic, patient=None, summary: str,
                  fields: Iterable[str] | None = None) -> None:
    fields = fields if fields is not None else getattr(obj, "AUDITED_FIELDS", ())
    changes = {k: [None, v] for k, v in audit.snapshot(obj, fields).items() if v not in ("", None, [], {})}
    audit.record(audit.Action.CREATE, actor=actor, object_type=object_type, object_id=obj.pk, clinic=clinic,
                 patient=patient, summary=summary, changes=changes)


def record_update(obj: models.Model, before: dict, *, actor, object_type: str, clinic, patient=None,
                  summary: str) -> dict:
    changes = audit.changed(before, audit.snapshot(obj, before.keys()))
    if changes:
        audit.record(audit.Action.UPDATE, actor=actor, object_type=object_type, object_id=obj.pk, clinic=clinic,
                     patient=patient, summary=summary, changes=changes)
    return changes


def require_positive_cents(field: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({field: "Enter an amount in whole cents."})
    if value <= 0:
        raise ValidationError({field: "Enter an amount greater than $0.00."})
    return value


def require_same_clinic(field: str, obj, clinic_id: int, what: str = "record") -> None:
    """An id from a form or the API that points into another clinic is refused, never followed."""
    if obj is not None and getattr(obj, "clinic_id", None) != clinic_id:
        raise ValidationError({field: f"That {what} belongs to another clinic."})


def require_same_patient(field: str, obj, patient_id: int, what: str = "record") -> None:
    if obj is not None and obj.patient_id != patient_id:
        raise ValidationError({field: f"That {what} belongs to another patient."})
