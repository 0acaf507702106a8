"""The flowsheet: vital-sign readings with their alerts, events and interventions, CADSS, discharge assessments.

Readings keep the raw values, where they came from (nurse or monitor) and when they were measured and
received; their alerts keep the message and level as judged then (clinical.md §10.3 design rule 3).
"""

from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import ApiToken, User
from ketaclinic.visits.models.dosing import DoseAdministration
from ketaclinic.visits.models.visit import Visit

VITAL_FIELDS = ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "spo2_pct", "respiratory_rate_per_min", "moaa_s")


class VitalReading(models.Model):
    class Source(models.TextChoices):
        MANUAL = "manual", "Typed by staff"
        DEVICE = "device", "Posted by a monitor"

    class Phase(models.TextChoices):
        PRE_DOSE = "pre-dose", "Pre-dose"
        DOSING = "dosing", "Dosing"
        RECOVERY = "recovery", "Recovery"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="readings")
    measured_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    phase = models.CharField(max_length=10, choices=Phase.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    idempotency_key = models.CharField(max_length=80)
    payload_digest = models.CharField(max_length=64, help_text="SHA-256 of the values, to spot a key reused for other values.")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    device_token = models.ForeignKey(ApiToken, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    device_label = models.CharField(max_length=80, blank=True)
    systolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    diastolic_mmhg = models.PositiveSmallIntegerField(null=True, blank=True)
    heart_rate_bpm = models.PositiveSmallIntegerField(null=True, blank=True)
    spo2_pct = models.PositiveSmallIntegerField("SpO2 (%)", null=True, blank=True)
    respiratory_rate_per_min = models.PositiveSmallIntegerField(null=True, blank=True)
    moaa_s = models.PositiveSmallIntegerField("MOAA/S", null=True, blank=True)
    received_after_discharge = models.BooleanField(default=False)

    class Meta:
        ordering = ["visit", "measured_at", "id"]
        indexes = [models.Index(fields=["visit", "measured_at"], name="reading_visit_measured")]
        constraints = [
            # Per visit, so one clinic's keys say nothing about another's; a monitor sends a fresh UUID per reading.
            models.UniqueConstraint(fields=["visit", "idempotency_key"], name="reading_idempotency_key_once_per_visit"),
        ]

    def values(self) -> dict:
        return {name: getattr(self, name) for name in VITAL_FIELDS if getattr(self, name) is not None}

    @property
    def blood_pressure(self) -> str:
        if self.systolic_mmhg is None or self.diastolic_mmhg is None:
            return ""
        return f"{self.systolic_mmhg}/{self.diastolic_mmhg}"


class VitalAlert(models.Model):
    class Level(models.TextChoices):
        CAUTION = "caution", "Caution"
        HOLD = "hold", "Hold"
        ACTION = "action", "Action"

    class Action(models.TextChoices):
        RECHECK = "recheck", "Rechecked"
        SLOWED = "slowed", "Slowed the infusion"
        STOPPED = "stopped", "Stopped the infusion"
        MEDICATION = "medication", "Medication given"
        PHYSICIAN = "physician", "Physician called"
        OTHER = "other", "Other (say what)"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="alerts")
    reading = models.ForeignKey(VitalReading, on_delete=models.PROTECT, related_name="alerts")
    parameter = models.CharField(max_length=30)
    level = models.CharField(max_length=8, choices=Level.choices)
    message = models.CharField(max_length=200)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=12, choices=Action.choices, blank=True)
    action_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["visit", "reading__measured_at", "id"]
        indexes = [models.Index(fields=["visit", "acknowledged_at"], name="alert_visit_ack")]


class ClinicalEvent(models.Model):
    """Something that happened or was done: symptoms, medications, and changes to the infusion."""

    class Kind(models.TextChoices):
        NAUSEA = "nausea", "Nausea"
        VOMITING = "vomiting", "Vomiting"
        ANTIEMETIC = "antiemetic", "Antiemetic given"
        ANXIETY = "anxiety", "Anxiety"
        ANXIOLYTIC = "anxiolytic", "Anxiolytic given"
        HEADACHE = "headache", "Headache"
        HYPERTENSION_TREATED = "antihypertensive", "Antihypertensive given"
        OXYGEN = "oxygen", "Oxygen given"
        PAUSE = "pause", "Infusion paused"
        RESUME = "resume", "Infusion resumed"
        RATE_CHANGE = "rate_change", "Infusion rate changed"
        STOP = "stop", "Infusion stopped"
        OTHER = "other", "Other"

    INFUSION_KINDS = (Kind.PAUSE, Kind.RESUME, Kind.RATE_CHANGE, Kind.STOP)
    MEDICATION_KINDS = (Kind.ANTIEMETIC, Kind.ANXIOLYTIC, Kind.HYPERTENSION_TREATED)

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="events")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    medication = models.CharField(max_length=80, blank=True)
    medication_dose = models.CharField(max_length=40, blank=True, help_text="With its unit and route, e.g. 4 mg IV.")
    new_rate_ml_per_h = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    dose = models.ForeignKey(DoseAdministration, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["visit", "occurred_at", "id"]


class DissociationScore(models.Model):
    """A CADSS total (23-item, 0–92), typically pre-dose, ~40 min and before discharge (clinical.md §5.9)."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="cadss_scores")
    measured_at = models.DateTimeField()
    total = models.PositiveSmallIntegerField()
    rule_version = models.CharField(max_length=30)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["visit", "measured_at", "id"]


class DischargeAssessment(models.Model):
    """One look at whether the patient may leave: the raw answers, the rule applied and the conclusion."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="discharge_assessments")
    assessed_at = models.DateTimeField(default=timezone.now)
    assessed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10)
    aldrete_scores = models.JSONField(default=dict, blank=True)
    aldrete_total = models.PositiveSmallIntegerField(null=True, blank=True)
    aldrete_ready_min_total = models.PositiveSmallIntegerField(null=True, blank=True)
    checklist = models.JSONField(default=dict, blank=True, help_text="{item: true/false} of the clinic checklist.")
    vitals_near_baseline = models.BooleanField()
    vitals_detail = models.CharField(max_length=200, blank=True)
    ride_present = models.BooleanField()
    observation_ends_at = models.DateTimeField()
    ready = models.BooleanField()
    unmet = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["visit", "assessed_at", "id"]
