"""Clinic protocols: created and revised (a revision is a new version), never edited in place."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import dosing, protocols
from ketaclinic.plans.models import Protocol, Route

FIELDS = (
    "family", "name", "route", "dose_mg_per_kg", "weight_basis", "weight_cap_kg", "infusion_min",
    "induction_infusions", "min_gap_days", "booster_min_interval_days", "indication", "dose_mg",
    "maintenance_every_weeks", "through_week", "observation_min", "kap_preparation_sessions",
    "kap_integration_per_dose", "kap_session_min", "effective_from", "change_reason",
)
IV_ONLY = ("dose_mg_per_kg", "infusion_min", "induction_infusions")
ESKETAMINE_ONLY = ("indication", "dose_mg", "maintenance_every_weeks", "through_week")
KAP_PREPARATION_MAX = 6  # input sanity bound, not a clinical number


def check_protocol(protocol: Protocol) -> None:
    """Every limit validated against the pure core, errors keyed by field."""
    errors: dict[str, str] = {}
    if protocol.route == Route.IV:
        _check_iv(protocol, errors)
    elif protocol.route == Route.ESKETAMINE:
        _check_esketamine(protocol, errors)
    if protocol.kap_preparation_sessions > KAP_PREPARATION_MAX:
        errors["kap_preparation_sessions"] = f"At most {KAP_PREPARATION_MAX}."
    if errors:
        raise ValidationError(errors)
    try:
        protocol.full_clean(exclude=["clinic", "approved_by", "version"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def _check_iv(p: Protocol, errors: dict) -> None:
    for name in IV_ONLY:
        if getattr(p, name) in (None, ""):
            errors[name] = "IV protocols need this."
    if p.dose_mg_per_kg is not None and p.dose_mg_per_kg > dosing.IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE:
        errors["dose_mg_per_kg"] = (
            f"Above {dosing.IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE} mg/kg a dose needs a physician override on the "
            "day; a protocol may not default to it (clinical.md §1.1)."
        )
    if p.weight_basis == dosing.WeightBasis.CAPPED and not p.weight_cap_kg:
        errors["weight_cap_kg"] = "A capped weight basis needs the cap in kg."
    if p.infusion_min and p.observation_min is not None:
        try:
            protocols.chair_minutes(Route.IV, p.infusion_min, p.observation_min)
        except ValueError:
            errors["observation_min"] = f"IV observation is at least {protocols.IV_OBSERVATION_MIN_MIN} minutes (clinical.md §0b)."
    if p.booster_min_interval_days is not None and p.booster_min_interval_days < p.min_gap_days:
        errors["booster_min_interval_days"] = f"At least the {p.min_gap_days} days between doses."
    for name in ESKETAMINE_ONLY:
        if getattr(p, name) not in (None, ""):
            errors[name] = "Only esketamine protocols use this."


def _check_esketamine(p: Protocol, errors: dict) -> None:
    if p.observation_min is not None and p.observation_min < protocols.ESKETAMINE_OBSERVATION_MIN_MIN:
        errors["observation_min"] = (
            f"Esketamine needs at least {protocols.ESKETAMINE_OBSERVATION_MIN_MIN} minutes of observation (label; clinical.md §3.5)."
        )
    for name in IV_ONLY:
        if getattr(p, name) not in (None, ""):
            errors[name] = "Only IV protocols use this."
    if not p.indication:
        errors["indication"] = "Choose TRD or MDSI."
        return
    try:  # the pure core knows the label: let it judge the dose and the maintenance interval
        protocols.esketamine_schedule(
            dt.date(2026, 1, 5), indication=p.indication, dose_mg=p.dose_mg,
            maintenance_every_weeks=p.maintenance_every_weeks or 1, through_week=p.through_week or 8,
        )
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        errors[field if field in FIELDS else "indication"] = message


def _build(clinic, data: dict[str, Any], acting_user, version: int) -> Protocol:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError({name: "is not a protocol setting." for name in sorted(unknown)})
    protocol = Protocol(clinic=clinic, version=version, approved_by=acting_user, approved_at=timezone.now())
    for name, value in data.items():
        setattr(protocol, name, _blank_to_default(name, value))
    if protocol.effective_from is None:
        protocol.effective_from = timezone.now().astimezone(clinic.tz).date()
    return protocol


def _blank_to_default(name: str, value):
    if value is None and Protocol._meta.get_field(name).get_internal_type() in ("CharField", "SlugField"):
        return ""
    if value is None and not Protocol._meta.get_field(name).null:
        return Protocol._meta.get_field(name).get_default()
    return Decimal(str(value)) if isinstance(value, float) else value


def _save(protocol: Protocol, acting_user, summary: str, changes: dict) -> Protocol:
    try:
        with transaction.atomic():
            protocol.save()
    except IntegrityError:
        raise ValidationError({"family": "Someone saved a version of this protocol at the same moment; reload and try again."}) from None
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="protocol", object_id=protocol.pk,
                 clinic=protocol.clinic_id, summary=summary, changes=changes)
    return protocol


@transaction.atomic
def create_protocol(*, clinic, data: dict[str, Any], acting_user) -> Protocol:
    """A new protocol family, version 1, approved by ``acting_user`` (who must hold protocol.edit)."""
    access.require(acting_user, Perm.PROTOCOL_EDIT, clinic.pk)
    protocol = _build(clinic, data, acting_user, version=1)
    check_protocol(protocol)
    if Protocol.objects.filter(clinic=clinic, family=protocol.family).exists():
        raise ValidationError({"family": f"{protocol.family!r} already exists here; revise it instead."})
    snapshot = audit.snapshot(protocol, FIELDS)
    return _save(protocol, acting_user, f"Approved protocol {protocol.name} v1",
                 {k: [None, v] for k, v in snapshot.items() if v not in ("", None)})


@transaction.atomic
def revise_protocol(protocol: Protocol, *, data: dict[str, Any], acting_user) -> Protocol:
    """A new version of ``protocol`` with ``data`` changed; the old version stays for the plans that use it."""
    access.require(acting_user, Perm.PROTOCOL_EDIT, protocol.clinic_id)
    latest = Protocol.objects.filter(clinic_id=protocol.clinic_id, family=protocol.family).order_by("-version").first()
    if not (data.get("change_reason") or "").strip():
        raise ValidationError({"change_reason": "Say why the protocol changes."})
    merged = {**{name: getattr(latest, name) for name in FIELDS}, **data, "family": latest.family, "route": latest.route}
    merged.setdefault("effective_from", None)
    if "effective_from" not in data:
        merged["effective_from"] = None
    revised = _build(latest.clinic, merged, acting_user, version=latest.version + 1)
    check_protocol(revised)
    changes = audit.changed(audit.snapshot(latest, FIELDS), audit.snapshot(revised, FIELDS))
    return _save(revised, acting_user, f"Approved protocol {revised.name} v{revised.version}", changes)


def current_protocols(clinic, on: dt.date | None = None) -> list[Protocol]:
    """The version of each family in force on ``on`` (today in the clinic by default)."""
    on = on or timezone.now().astimezone(clinic.tz).date()
    newest: dict[str, Protocol] = {}
    for protocol in Protocol.objects.filter(clinic=clinic, effective_from__lte=on).order_by("family", "-version"):
        newest.setdefault(protocol.family, protocol)
    return sorted(newest.values(), key=lambda p: p.name)


def is_current(protocol: Protocol, on: dt.date | None = None) -> bool:
    return any(p.pk == protocol.pk for p in current_protocols(protocol.clinic, on))
