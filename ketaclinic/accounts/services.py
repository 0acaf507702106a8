"""Changes to clinics, each validated, in one transaction, with its audit row."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import ApiToken, Clinic, Network, User

CLINIC_FIELDS = (
    "name", "address_line1", "address_line2", "city", "state", "postal_code", "phone", "time_zone", "npi",
    "tax_id", "dea_registration", "rems_certification_number", "rems_certified_on", "mrn_prefix",
)


def _apply(clinic: Clinic, data: dict[str, Any]) -> None:
    unknown = set(data) - set(CLINIC_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a clinic field that can be set." for name in sorted(unknown)})
    for name, value in data.items():
        setattr(clinic, name, "" if value is None and name != "rems_certified_on" else value)
    clinic.full_clean()


@transaction.atomic
def create_clinic(*, network: Network, data: dict[str, Any], acting_user: User) -> Clinic:
    clinic = Clinic(network=network)
    _apply(clinic, data)
    clinic.save()
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="clinic", object_id=clinic.pk, clinic=clinic,
        summary=f"Added clinic {clinic.name}", changes={k: [None, v] for k, v in audit.snapshot(clinic, CLINIC_FIELDS).items()},
    )
    return clinic


@transaction.atomic
def update_clinic(clinic: Clinic, *, data: dict[str, Any], acting_user: User) -> Clinic:
    clinic = Clinic.objects.select_for_update().get(pk=clinic.pk)
    before = audit.snapshot(clinic, CLINIC_FIELDS)
    _apply(clinic, data)
    clinic.save()
    changes = audit.changed(before, audit.snapshot(clinic, CLINIC_FIELDS))
    if changes:
        audit.record(audit.Action.UPDATE, actor=acting_user, object_type="clinic", object_id=clinic.pk, clinic=clinic,
                     summary="Changed clinic details", changes=changes)
    return clinic


@transaction.atomic
def issue_api_token(user: User, *, kind: str = ApiToken.Kind.PERSONAL, name: str = "", acting_user: User | None = None) -> str:
    row, token = ApiToken.issue(user, kind=kind, name=name)
    audit.record(audit.Action.CREATE, actor=acting_user or user, object_type="api_token", object_id=row.pk,
                 summary=f"Issued {kind} API token {row.prefix}… for {user.username}")
    return token
