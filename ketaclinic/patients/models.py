import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, phone_validator

# Plausible adult/adolescent body size; outside it is almost surely a typo or a unit mix-up (lb for kg).
WEIGHT_MIN_KG = Decimal("20")
WEIGHT_MAX_KG = Decimal("400")
HEIGHT_MIN_CM = Decimal("100")
HEIGHT_MAX_CM = Decimal("250")


def search_key(text: str) -> str:
    """Lower-case, accents stripped: 'Núñez' and 'nunez' find each other."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def digits(text: str) -> str:
    return "".join(c for c in text or "" if c.isdigit())


def validate_not_future(value):
    if value > timezone.localdate():
        raise ValidationError("must not be in the future.")


class Patient(models.Model):
    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        UNKNOWN = "unknown", "Not recorded"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish (Español)"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=20, help_text="Medical record number, unique within the clinic. Leave empty to assign the next one.")
    legal_first_name = models.CharField("legal first name", max_length=80)
    legal_last_name = models.CharField("legal last name", max_length=80)
    preferred_name = models.CharField("preferred name", max_length=80, blank=True)
    date_of_birth = models.DateField("date of birth", validators=[validate_not_future])
    sex_at_birth = models.CharField("sex assigned at birth", max_length=10, choices=Sex.choices)
    gender_identity = models.CharField("gender identity", max_length=60, blank=True)
    pronouns = models.CharField(max_length=30, blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(blank=True)
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    emergency_contact_name = models.CharField("emergency contact", max_length=120, blank=True)
    emergency_contact_phone = models.CharField("emergency contact phone", max_length=30, blank=True, validators=[phone_validator])
    emergency_contact_relationship = models.CharField("relationship", max_length=60, blank=True)
    preferred_language = models.CharField("preferred language", max_length=2, choices=Language.choices, default=Language.ENGLISH)
    weight_kg = models.DecimalField(
        "weight (kg)", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(WEIGHT_MIN_KG), MaxValueValidator(WEIGHT_MAX_KG)],
    )
    height_cm = models.DecimalField(
        "height (cm)", max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(HEIGHT_MIN_CM), MaxValueValidator(HEIGHT_MAX_CM)],
    )
    measured_on = models.DateField("weight and height measured on", null=True, blank=True, validators=[validate_not_future])
    # Normalised copies for indexed prefix search; kept in step by save().
    last_name_key = models.CharField(max_length=80, editable=False, default="")
    first_name_key = models.CharField(max_length=80, editable=False, default="")
    preferred_name_key = models.CharField(max_length=80, editable=False, default="")
    phone_digits = models.CharField(max_length=20, editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_last_name", "legal_first_name", "id"]
        constraints = [models.UniqueConstraint(fields=["clinic", "mrn"], name="patient_mrn_unique_in_clinic")]
        indexes = [
            models.Index(fields=["clinic", "last_name_key"], name="patient_last_name"),
            models.Index(fields=["clinic", "first_name_key"], name="patient_first_name"),
            models.Index(fields=["clinic", "preferred_name_key"], name="patient_preferred_name"),
            models.Index(fields=["clinic", "date_of_birth"], name="patient_dob"),
            models.Index(fields=["clinic", "phone_digits"], name="patient_phone"),
        ]

    AUDITED_FIELDS = (
        "mrn", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "sex_at_birth",
        "gender_identity", "pronouns", "phone", "email", "address_line1", "address_line2", "city", "state",
        "postal_code", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
        "preferred_language", "weight_kg", "height_cm", "measured_on",
    )

    def __str__(self) -> str:
        return f"{self.display_name} ({self.mrn})"

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"

    def age_on(self, day) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def age_years(self) -> int:
        return self.age_on(timezone.localdate())

    def clean(self):
        if self.weight_kg is not None and self.measured_on is None:
            raise ValidationError({"measured_on": "Say when the weight was measured."})

    def save(self, *args, **kwargs):
        self.mrn = (self.mrn or "").strip().upper()
        self.last_name_key = search_key(self.legal_last_name)
        self.first_name_key = search_key(self.legal_first_name)
        self.preferred_name_key = search_key(self.preferred_name)
        self.phone_digits = digits(self.phone)[-10:]
        super().save(*args, **kwargs)
