import hashlib
import secrets
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from ketaclinic.accounts.roles import Role

npi_validator = RegexValidator(r"^\d{10}$", "An NPI is exactly 10 digits.")
tax_id_validator = RegexValidator(r"^\d{2}-\d{7}$", "A tax id (EIN) looks like 12-3456789.")
# DEA registration: two letters then seven digits (DEA Practitioner's Manual; clinical.md §8 [70]).
dea_validator = RegexValidator(r"^[A-Z]{2}\d{7}$", "A DEA number is two capital letters and seven digits.")
phone_validator = RegexValidator(r"^\+?[\d\s().-]{7,20}$", "Enter a phone number of 7 to 20 digits.")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone, e.g. America/Los_Angeles.")


class Network(models.Model):
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class Clinic(models.Model):
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="clinics")
    name = models.CharField(max_length=120)
    address_line1 = models.CharField("address", max_length=200)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, default="CA")
    postal_code = models.CharField(max_length=10, validators=[RegexValidator(r"^\d{5}(-\d{4})?$", "Enter a US ZIP code.")])
    phone = models.CharField(max_length=30, validators=[phone_validator])
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles", validators=[validate_time_zone])
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[npi_validator])
    tax_id = models.CharField("tax id (EIN)", max_length=10, blank=True, validators=[tax_id_validator])
    dea_registration = models.CharField("DEA registration", max_length=9, blank=True, validators=[dea_validator])
    rems_certification_number = models.CharField("esketamine REMS certification number", max_length=40, blank=True)
    rems_certified_on = models.DateField("REMS certification date", null=True, blank=True)
    mrn_prefix = models.CharField(
        "MRN prefix", max_length=4, default="KC", help_text="Letters that start the medical record numbers this clinic assigns."
    )
    mrn_next = models.PositiveIntegerField(default=1, editable=False, help_text="Next number the clinic assigns as an MRN.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def rems_certified(self) -> bool:
        return bool(self.rems_certification_number and self.rems_certified_on)


class User(AbstractUser):
    """A person who signs in: staff (through memberships) or a patient (through a portal account)."""

    display_name = models.CharField(max_length=120, blank=True)
    credentials = models.CharField(max_length=60, blank=True, help_text="For example MD, RN, CRNA, LMFT.")
    npi = models.CharField("NPI", max_length=10, blank=True, validators=[npi_validator])

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_patient(self) -> bool:
        return hasattr(self, "portal_account")


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "clinic", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.clinic}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit rows are append-only.")

    def delete(self):
        raise PermissionError("Audit rows are append-only.")


class AuditEvent(models.Model):
    """Append-only: who did what to which record, when. Database triggers refuse UPDATE and DELETE too."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        VIEW = "view", "Opened"
        EXPORT = "export", "Exported"
        SIGN_IN = "sign_in", "Signed in"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    actor_label = models.CharField(max_length=150, help_text="The actor's name at the time, kept if the account goes.")
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=40, blank=True)
    summary = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="{field: [old, new]} for changed fields.")

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["clinic", "-at"], name="audit_clinic_at"),
            models.Index(fields=["patient", "-at"], name="audit_patient_at"),
            models.Index(fields=["actor", "-at"], name="audit_actor_at"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit rows are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit rows are append-only.")


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a SHA-256 digest is stored; the token is shown once."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", "Personal (acts as the user)"
        DEVICE = "device", "Device (may only write readings)"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSONAL)
    name = models.CharField(max_length=80, blank=True)
    prefix = models.CharField(max_length=8, help_text="The token's first characters, to tell tokens apart.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    TOKEN_BYTES = 32

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, *, kind: str = Kind.PERSONAL, name: str = "") -> tuple["ApiToken", str]:
        token = "kc_" + secrets.token_urlsafe(cls.TOKEN_BYTES)
        row = cls.objects.create(user=user, kind=kind, name=name, prefix=token[:8], digest=cls.digest_of(token))
        return row, token
