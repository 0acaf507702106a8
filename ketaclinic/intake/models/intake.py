"""A patient's intake: the history the candidacy engine reads, filled in the portal or by staff.

The intake is a working record until it is submitted for review; what the physician judged is kept
separately, frozen, in a ``CandidacyEvaluation`` (the engine's input and output at that moment).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import User
from ketaclinic.intake.models.choices import Adherence, MoodState, TrialOutcome, YesNoUnsure
from ketaclinic.patients.models import Patient

# Plausibility limits for typed-in screening vitals, [lo, hi] inclusive: the candidacy engine's own ranges
# for blood pressure (issue 4: 40–300 / 20–200 mmHg); heart rate and SpO2 outside these are typing errors.
SYSTOLIC_RANGE_MMHG = (40, 300)
DIASTOLIC_RANGE_MMHG = (20, 200)
HEART_RATE_RANGE_BPM = (20, 250)
SPO2_RANGE_PCT = (50, 100)
MAX_TRIAL_WEEKS = 520  # ten years on one drug; more is a typing error
MAX_DAILY_DOSE_MG = 10000


def _range(bounds):
    return [MinValueValidator(bounds[0]), MaxValueValidator(bounds[1])]


class Intake(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        AWAITING_REVIEW = "awaiting_review", "Awaiting physician review"
        DECIDED = "decided", "Decision signed"

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="intake")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    conditions = models.JSONField(default=list, blank=True, help_text="Condition codes, e.g. major-depression.")
    current_mood_state = models.CharField("current mood state", max_length=10, choices=MoodState.choices, blank=True)
    pregnant = models.BooleanField("pregnant or may be pregnant", default=False)
    breastfeeding = models.BooleanField(default=False)
    psychotherapy_tried = models.BooleanField("has had psychotherapy", default=False)
    in_psychotherapy_now = models.BooleanField("in psychotherapy now", default=False)
    psychotherapy_history = models.TextField(
        "psychotherapy history", max_length=2000, blank=True,
        help_text="Kinds of therapy (CBT, DBT, EMDR…), for how long, and the current therapist if any.",
    )
    history = models.JSONField(default=dict, blank=True, help_text="Medical history: {history key: true/false}.")
    other_medical_history = models.TextField("other medical history", max_length=2000, blank=True)
    no_known_allergies = models.BooleanField("no known allergies", default=False)
    screening_bp_systolic_mmhg = models.PositiveSmallIntegerField(
        "screening blood pressure, systolic (mmHg)", null=True, blank=True, validators=_range(SYSTOLIC_RANGE_MMHG))
    screening_bp_diastolic_mmhg = models.PositiveSmallIntegerField(
        "screening blood pressure, diastolic (mmHg)", null=True, blank=True, validators=_range(DIASTOLIC_RANGE_MMHG))
    screening_heart_rate_bpm = models.PositiveSmallIntegerField(
        "screening heart rate (beats/min)", null=True, blank=True, validators=_range(HEART_RATE_RANGE_BPM))
    screening_spo2_pct = models.PositiveSmallIntegerField(
        "screening SpO2 (%)", null=True, blank=True, validators=_range(SPO2_RANGE_PCT))
    screening_vitals_at = models.DateTimeField("screening vitals taken at", null=True, blank=True)
    screening_vitals_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consultation_request = models.ForeignKey(
        "intake.ConsultationRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # What a patient may fill in themselves; vitals are measured by staff.
    PATIENT_FIELDS = (
        "conditions", "current_mood_state", "pregnant", "breastfeeding", "psychotherapy_tried",
        "in_psychotherapy_now", "psychotherapy_history", "history", "other_medical_history", "no_known_allergies",
    )
    VITALS_FIELDS = (
        "screening_bp_systolic_mmhg", "screening_bp_diastolic_mmhg", "screening_heart_rate_bpm", "screening_spo2_pct",
        "screening_vitals_at",
    )
    AUDITED_FIELDS = (*PATIENT_FIELDS, *VITALS_FIELDS, "status")

    class Meta:
        indexes = [models.Index(fields=["status", "submitted_at"], name="intake_status_submitted")]

    def __str__(self) -> str:
        return f"Intake of patient {self.patient_id}"

    @property
    def screening_bp_mmhg(self) -> tuple[int, int] | None:
        if self.screening_bp_systolic_mmhg is None or self.screening_bp_diastolic_mmhg is None:
            return None
        return self.screening_bp_systolic_mmhg, self.screening_bp_diastolic_mmhg

    @property
    def is_editable_by_patient(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AntidepressantTrial(models.Model):
    """One antidepressant tried: the structured history payers ask for (clinical.md §4.1)."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="trials")
    drug = models.CharField("antidepressant (generic name)", max_length=80)
    dose_mg_per_day = models.DecimalField(
        "highest daily dose (mg)", max_digits=7, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_DAILY_DOSE_MG)])
    weeks = models.PositiveSmallIntegerField(
        "weeks taken", validators=[MaxValueValidator(MAX_TRIAL_WEEKS)],
        help_text="How long it was taken at that dose, in weeks.")
    adequate_dose = models.CharField(
        "adequate dose", max_length=6, choices=YesNoUnsure.choices, default=YesNoUnsure.UNSURE,
        help_text="At least the minimum therapeutic dose (clinician's judgement; 'not sure' does not count).")
    adherence = models.CharField(max_length=8, choices=Adherence.choices, default=Adherence.UNKNOWN)
    outcome = models.CharField(max_length=20, choices=TrialOutcome.choices)
    notes = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("drug", "dose_mg_per_day", "weeks", "adequate_dose", "adherence", "outcome", "notes")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.drug}, {self.weeks} weeks"


class Medication(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField("medication (generic name)", max_length=80)
    dose = models.CharField(max_length=40, blank=True, help_text="For example 0.5 mg.")
    frequency = models.CharField(max_length=40, blank=True, help_text="For example twice a day, as needed.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("name", "dose", "frequency")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.name, self.dose, self.frequency) if part)


class Allergy(models.Model):
    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SEVERE = "severe", "Severe (anaphylaxis)"
        UNKNOWN = "unknown", "Not known"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=80)
    reaction = models.CharField(max_length=120, blank=True)
    severity = models.CharField(max_length=8, choices=Severity.choices, default=Severity.UNKNOWN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("substance", "reaction", "severity")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "allergies"

    def __str__(self) -> str:
        return self.substance
