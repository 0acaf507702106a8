"""Writing the audit trail. Call inside the transaction of the change so both land or neither does."""

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from django.db import models

from ketaclinic.accounts.models import AuditEvent, Clinic, User

Action = AuditEvent.Action


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The audited fields' current values, JSON-ready (foreign keys as ids)."""
    return {name: _plain(getattr(instance, instance._meta.get_field(name).attname)) for name in fields}


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record(
    action: str,
    *,
    actor: User | None,
    object_type: str,
    object_id: Any = "",
    clinic: Clinic | int | None = None,
    patient: Any = None,
    summary: str = "",
    changes: dict | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "system",
        object_type=object_type,
        object_id=str(object_id or ""),
        clinic_id=getattr(clinic, "pk", clinic),
        patient_id=getattr(patient, "pk", patient),
        summary=summary[:200],
        changes=changes or {},
    )
