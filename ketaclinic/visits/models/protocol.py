"""A clinic's session-day protocol: its own limits, stored with who approved them and since when.

Each change is a new row (the old one stays, so a visit keeps pointing at the rules it was run under).
A clinic with no row runs on the shipped defaults, which are themselves saved as a row on first use.
"""

from dataclasses import fields as dataclass_fields
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User
from ketaclinic.clinical import dosing, protocols, session_day, vitals

VITAL_LIMIT_FIELDS = tuple(f.name for f in dataclass_fields(vitals.VitalLimits))


class DischargeMethod(models.TextChoices):
    ALDRETE = "aldrete", "Modified Aldrete score (≥ 9)"
    CHECKLIST = "checklist", "Clinic discharge checklist"


class SessionProtocol(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="session_protocols")
    effective_from = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Empty for the shipped defaults.",
    )
    iv_observation_min = models.PositiveSmallIntegerField(
        "IV observation (minutes)", default=protocols.IV_OBSERVATION_MAX_MIN,
        validators=[MinValueValidator(protocols.IV_OBSERVATION_MIN_MIN), MaxValueValidator(240)],
        help_text="After the infusion ends; 30 to 60 minutes is usual (patient guide, clinical.md §0b).",
    )
    esketamine_observation_min = models.PositiveSmallIntegerField(
        "esketamine observation (minutes)", default=protocols.ESKETAMINE_OBSERVATION_MIN_MIN,
        validators=[MinValueValidator(protocols.ESKETAMINE_OBSERVATION_MIN_MIN), MaxValueValidator(480)],
        help_text="From the first device; the SPRAVATO label requires at least 120 (clinical.md §3.5).",
    )
    weight_max_age_days = models.PositiveSmallIntegerField(
        "weight valid for (days)", default=session_day.WEIGHT_MAX_AGE_DAYS,
        validators=[MaxValueValidator(session_day.WEIGHT_MAX_AGE_DAYS_LIMIT)],
        help_text="An older weight is re-measured at check-in before a weight-based dose. Not in the reference: a default to review.",
    )
    max_dose_mg_per_kg_without_override = models.DecimalField(
        "highest IV dose without a physician override (mg/kg)", max_digits=4, decimal_places=2,
        default=dosing.IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(dosing.IV_MAX_DOSE_MG_PER_KG_WITHOUT_OVERRIDE)],
        help_text="Up to 1.0 mg/kg is studied (clinical.md §1.1); above 0.75 is common practice only.",
    )
    dosing_vitals_interval_min = models.PositiveSmallIntegerField(
        "vitals while dosing, every (minutes)", default=vitals.DOSING_VITALS_INTERVAL_MIN,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="Every 10 minutes in the Emory and Yale cohorts (clinical.md §1.6).",
    )
    recovery_vitals_interval_min = models.PositiveSmallIntegerField(
        "vitals in recovery, every (minutes)", default=vitals.RECOVERY_VITALS_INTERVAL_MIN,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Every 15 minutes after the infusion until discharge (clinical.md §1.6).",
    )
    near_baseline_tolerance_pct = models.PositiveSmallIntegerField(
        "near baseline within (±%)", default=vitals.NEAR_BASELINE_TOLERANCE_PCT,
        validators=[MaxValueValidator(100)],
        help_text="Blood pressure and heart rate within this much of the pre-dose reading (mirrors PADSS, §9.2).",
    )
    discharge_method = models.CharField(max_length=10, choices=DischargeMethod.choices, default=DischargeMethod.ALDRETE)
    vital_limits = models.JSONField(
        default=dict, blank=True, help_text="The clinic's alert limits where they differ from the shipped defaults.",
    )

    class Meta:
        ordering = ["clinic", "-effective_from", "-id"]
        get_latest_by = "effective_from"

    def __str__(self) -> str:
        return f"Session protocol of {self.clinic} from {self.effective_from:%Y-%m-%d}"

    @property
    def is_shipped_default(self) -> bool:
        return self.approved_by_id is None

    def limits(self) -> vitals.VitalLimits:
        return vitals.VitalLimits(**{k: v for k, v in self.vital_limits.items() if k in VITAL_LIMIT_FIELDS})

    def dose_limits(self) -> dosing.DoseLimits:
        return dosing.DoseLimits(max_dose_mg_per_kg_without_override=self.max_dose_mg_per_kg_without_override)

    def cadence(self) -> vitals.VitalsCadence:
        return vitals.VitalsCadence(
            dosing=timezone.timedelta(minutes=self.dosing_vitals_interval_min),
            recovery=timezone.timedelta(minutes=self.recovery_vitals_interval_min),
        )

    def observation_min(self, route: str) -> int:
        return self.esketamine_observation_min if route == "esketamine" else self.iv_observation_min

    def clean(self):
        unknown = set(self.vital_limits) - set(VITAL_LIMIT_FIELDS)
        if unknown:
            raise ValidationError({"vital_limits": f"unknown limits: {', '.join(sorted(unknown))}."})
        try:
            self.limits()
        except (TypeError, ValueError) as error:
            raise ValidationError({"vital_limits": str(error)}) from None
