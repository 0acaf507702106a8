"""Measurement-based care: treatment courses, rating-scale responses, assignments, safety tasks, clinic settings.

Scoring, cut-offs and outcome classes live in the pure core (``ketaclinic.clinical.instruments``,
``ketaclinic.clinical.outcomes``, ``course_summary``, ``scale_schedule``); these models store raw answers, the
rule version and the conclusion apart (STYLE.md §9), so an old result stays explainable after a rule changes.
Every write goes through ``ketaclinic.outcomes.services``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, phone_validator
from ketaclinic.clinical import scale_schedule
from ketaclinic.clinical.candidacy.results import ESKETAMINE, IV_KETAMINE
from ketaclinic.patients.models import Patient


class Route(models.TextChoices):
    IV_KETAMINE = IV_KETAMINE, "IV ketamine"
    ESKETAMINE = ESKETAMINE, "Esketamine nasal spray"


class Condition(models.TextChoices):
    """The candidacy engine's condition strings (clinical.candidacy.intake.CONDITIONS), minus suicidal ideation,
    which is a risk state tracked by the safety path, not a course's indication."""

    MAJOR_DEPRESSION = "major-depression", "Major depression"
    BIPOLAR_DEPRESSION = "bipolar-depression", "Bipolar depression"
    GENERALIZED_ANXIETY = "generalized-anxiety", "Generalized anxiety"
    PANIC_DISORDER = "panic-disorder", "Panic disorder"
    PTSD = "ptsd", "PTSD"
    OCD = "ocd", "OCD"
    CHRONIC_PAIN = "chronic-pain", "Chronic pain"


class PrimaryScale(models.TextChoices):
    """The scales ``clinical.outcomes.classify_change`` has rules for (clinical.md §6)."""

    PHQ9 = "PHQ-9", "PHQ-9"
    GAD7 = "GAD-7", "GAD-7"


# Anxiety courses are measured on GAD-7; every other course on PHQ-9 (depressive symptoms), because
# classify_change has response/remission rules only for these two scales (clinical.md §6).
PRIMARY_SCALE_BY_CONDITION = {
    Condition.GENERALIZED_ANXIETY: PrimaryScale.GAD7,
    Condition.PANIC_DISORDER: PrimaryScale.GAD7,
}


def primary_scale_for(condition: str) -> str:
    return PRIMARY_SCALE_BY_CONDITION.get(condition, PrimaryScale.PHQ9)


class TreatmentCourse(models.Model):
    """An episode of care: one route for one condition, from the first dose to its end."""

    Route = Route
    Condition = Condition

    class Status(models.TextChoices):
        ACTIVE = "active", "Induction"
        MAINTENANCE = "maintenance", "Maintenance"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatment_courses")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="treatment_courses")
    route = models.CharField(max_length=20, choices=Route.choices)
    condition = models.CharField(max_length=30, choices=Condition.choices)
    primary_scale = models.CharField(
        "primary scale", max_length=10, choices=PrimaryScale.choices,
        help_text="The scale response and remission are measured on.",
    )
    started_on = models.DateField("started on", help_text="The day of the first dose (or the day it is planned).")
    induction_completed_on = models.DateField("induction completed on", null=True, blank=True)
    ended_on = models.DateField("ended on", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("route", "condition", "primary_scale", "started_on", "induction_completed_on", "ended_on", "status")

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["clinic", "started_on"], name="course_clinic_started"),
            models.Index(fields=["patient", "started_on"], name="course_patient_started"),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} for {self.get_condition_display().lower()} from {self.started_on:%m/%d/%Y}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.MAINTENANCE)

    @property
    def induction_ended_on(self):
        """Induction is over when it was completed, or when the course ended before completing it."""
        return self.induction_completed_on or self.ended_on


class Context(models.TextChoices):
    """Why a questionnaire was answered. The schedule's triggers plus the ways a score arrives otherwise."""

    INTAKE = scale_schedule.Trigger.INTAKE.value, "At intake"
    PRE_DOSE = scale_schedule.Trigger.PRE_DOSE.value, "Before a dosing session"
    AFTER_FIRST_DOSE = scale_schedule.Trigger.AFTER_FIRST_DOSE.value, "24 hours after the first dose"
    INDUCTION_WEEKLY = scale_schedule.Trigger.INDUCTION_WEEKLY.value, "Weekly during induction"
    MAINTENANCE_MONTHLY = scale_schedule.Trigger.MAINTENANCE_MONTHLY.value, "Monthly in maintenance"
    SCHEDULED = "scheduled", "Assigned by the clinic"
    IN_CLINIC = "in-clinic", "In the clinic"
    IMPORTED = "imported", "Imported"


class QuestionnaireAssignment(models.Model):
    """A scale the patient is asked to answer in the portal, by the clinic's schedule or by hand."""

    class Status(models.TextChoices):
        OPEN = "open", "Due"
        COMPLETED = "completed", "Answered"
        EXPIRED = "expired", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaire_assignments")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(TreatmentCourse, null=True, blank=True, on_delete=models.SET_NULL, related_name="assignments")
    instrument = models.CharField(max_length=16)
    context = models.CharField(max_length=24, choices=Context.choices, default=Context.SCHEDULED)
    due_at = models.DateTimeField()
    session_number = models.PositiveIntegerField(null=True, blank=True)
    schedule_key = models.CharField(
        max_length=80, blank=True, help_text="The schedule's stable key (empty when assigned by hand)."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Empty when the clinic's schedule assigned it.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "schedule_key"], condition=~Q(schedule_key=""), name="assignment_schedule_key_once"
            ),
        ]
        indexes = [models.Index(fields=["patient", "status", "due_at"], name="assignment_patient_due")]

    def __str__(self) -> str:
        return f"{self.instrument} due {self.due_at:%Y-%m-%d}"


class QuestionnaireResponse(models.Model):
    """One administration of one scale: every item as answered, and, once complete, its scored result.

    A draft holds what the patient has answered so far and is never scored. A final response is never
    changed: a correction is a new final response that ``amends`` it, and the old one becomes AMENDED.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"
        AMENDED = "amended", "Amended (superseded)"

    Context = Context

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="questionnaire_responses")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(TreatmentCourse, null=True, blank=True, on_delete=models.PROTECT, related_name="responses")
    assignment = models.ForeignKey(
        QuestionnaireAssignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    instrument = models.CharField(max_length=16)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.FINAL)
    context = models.CharField(max_length=24, choices=Context.choices, default=Context.SCHEDULED)
    answers = models.JSONField(help_text="Every item in order; null for an item a draft has not answered yet.")
    total = models.IntegerField(null=True, blank=True)
    severity = models.CharField(max_length=40, blank=True)
    flags = models.JSONField(default=list, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    rule_version = models.CharField(max_length=80, blank=True)
    sex = models.CharField(max_length=10, blank=True, help_text="The sex the scale was scored for (AUDIT-C).")
    loinc_panel = models.CharField("LOINC panel", max_length=10, blank=True)
    loinc_total = models.CharField("LOINC total", max_length=10, blank=True)
    session_number = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10_000)],
        help_text="Dosing sessions the patient had received before answering (0 before the first).",
    )
    taken_at = models.DateTimeField(default=timezone.now)
    taken_on = models.DateField(help_text="The clinic's local date of taken_at, for reporting windows.")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_by_patient = models.BooleanField(default=False)
    amends = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="amended_by")
    amendment_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-taken_at", "-id"]
        indexes = [
            models.Index(fields=["course", "instrument", "status", "taken_at"], name="response_course_scale"),
            models.Index(fields=["patient", "instrument", "status", "taken_at"], name="response_patient_scale"),
            models.Index(fields=["clinic", "taken_on"], name="response_clinic_day"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", total__isnull=True) | ~Q(status="draft"), name="response_draft_unscored"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(total__isnull=False), name="response_final_scored"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total if self.total is not None else '(draft)'}"

    @property
    def flag_list(self) -> list[str]:
        return list(self.flags or [])

    @property
    def answered_count(self) -> int:
        return sum(1 for a in self.answers or [] if a is not None)


class SafetyTask(models.Model):
    """An urgent task for the clinic's clinicians, opened by a response that signals suicide risk."""

    class Reason(models.TextChoices):
        PHQ9_ITEM9 = "phq9-item9", "PHQ-9 item 9 endorsed (thoughts of death or self-harm)"
        CSSRS_HIGH = "cssrs-high", "C-SSRS screener: high risk"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_tasks")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="safety_tasks")
    response = models.ForeignKey(QuestionnaireResponse, on_delete=models.PROTECT, related_name="safety_tasks")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    detail = models.CharField(max_length=200, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField("what was done", blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["clinic", "acknowledged_at", "opened_at"], name="safety_clinic_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True) | ~Q(action_taken=""), name="safety_ack_needs_action"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({'open' if self.is_open else 'acknowledged'})"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


# The US national lines; clinical.md has no crisis-line section, so these are the public numbers the site
# already shows (public/base.html) and clinic-editable defaults.
DEFAULT_CRISIS_LINE = "988"  # 988 Suicide & Crisis Lifeline (call or text)
DEFAULT_EMERGENCY_NUMBER = "911"
short_number_validator = RegexValidator(r"^[\d\s()+.-]{3,20}$", "Enter a number of 3 to 20 digits, e.g. 988.")


class ClinicSafetySettings(models.Model):
    """The crisis text a patient sees at once when a response signals risk. One row per clinic, made on first use."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="safety_settings")
    crisis_line = models.CharField(
        "crisis line", max_length=20, default=DEFAULT_CRISIS_LINE, validators=[short_number_validator],
        help_text="Call or text. 988 is the Suicide & Crisis Lifeline.",
    )
    emergency_number = models.CharField(
        "emergency number", max_length=20, default=DEFAULT_EMERGENCY_NUMBER, validators=[short_number_validator]
    )
    clinic_phone = models.CharField(
        "clinic number for patients in crisis", max_length=30, blank=True, validators=[phone_validator],
        help_text="Leave empty to show the clinic's main number.",
    )
    extra_text_en = models.TextField("extra text (English)", max_length=600, blank=True,
                                     help_text="For example after-hours instructions. Shown under the numbers.")
    extra_text_es = models.TextField("extra text (Spanish)", max_length=600, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = ("crisis_line", "emergency_number", "clinic_phone", "extra_text_en", "extra_text_es")

    def phone_for_patients(self) -> str:
        return self.clinic_phone or self.clinic.phone


class ClinicScaleSchedule(models.Model):
    """A clinic's questionnaire schedule (``clinical.scale_schedule.ScaleSchedule`` as data). Defaults there."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="scale_schedule")
    intake = models.JSONField(default=list, blank=True)
    pre_dose = models.JSONField(default=list, blank=True)
    after_first_dose = models.JSONField(default=list, blank=True)
    induction_weekly = models.JSONField(default=list, blank=True)
    maintenance_monthly = models.JSONField(default=list, blank=True)
    after_first_dose_hours = models.PositiveIntegerField(
        default=scale_schedule.AFTER_FIRST_DOSE_HOURS,
        validators=[MinValueValidator(scale_schedule.AFTER_FIRST_DOSE_HOURS_RANGE[0]),
                    MaxValueValidator(scale_schedule.AFTER_FIRST_DOSE_HOURS_RANGE[1])],
    )
    induction_interval_days = models.PositiveIntegerField(
        default=scale_schedule.INDUCTION_INTERVAL_DAYS,
        validators=[MinValueValidator(scale_schedule.INTERVAL_DAYS_RANGE[0]), MaxValueValidator(scale_schedule.INTERVAL_DAYS_RANGE[1])],
    )
    maintenance_interval_days = models.PositiveIntegerField(
        default=scale_schedule.MAINTENANCE_INTERVAL_DAYS,
        validators=[MinValueValidator(scale_schedule.INTERVAL_DAYS_RANGE[0]), MaxValueValidator(scale_schedule.INTERVAL_DAYS_RANGE[1])],
    )
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    TRIGGER_FIELDS = tuple(t.value.replace("-", "_") for t in scale_schedule.Trigger)
    AUDITED_FIELDS = (*TRIGGER_FIELDS, "after_first_dose_hours", "induction_interval_days", "maintenance_interval_days")

    @classmethod
    def defaults(cls) -> dict:
        d = scale_schedule.DEFAULT_SCHEDULE
        return {name: list(getattr(d, name)) for name in cls.TRIGGER_FIELDS}

    def as_schedule(self) -> scale_schedule.ScaleSchedule:
        return scale_schedule.ScaleSchedule(
            **{name: tuple(getattr(self, name)) for name in self.TRIGGER_FIELDS},
            after_first_dose_hours=self.after_first_dose_hours,
            induction_interval_days=self.induction_interval_days,
            maintenance_interval_days=self.maintenance_interval_days,
        )


class CourseOutcome(models.Model):
    """A course's outcome as ``clinical.course_summary`` computed it from its final primary-scale responses.

    Refreshed in the same transaction as every response, amendment and course change (services.summary), so
    the clinic outcomes page adds up one row per course instead of reading every response. The course's
    clinic, condition, route, start and state are copied here (by the same refresh) so the page reads one table.
    """

    course = models.OneToOneField(TreatmentCourse, primary_key=True, on_delete=models.CASCADE, related_name="outcome")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    condition = models.CharField(max_length=30, choices=Condition.choices)
    route = models.CharField(max_length=20, choices=Route.choices)
    started_on = models.DateField()
    induction_ended = models.BooleanField(default=False, help_text="Induction completed, or the course ended.")
    is_open = models.BooleanField(default=True, help_text="The course is in induction or maintenance.")
    scale = models.CharField(max_length=10)
    baseline_total = models.IntegerField(null=True)
    baseline_severity = models.CharField(max_length=40, blank=True)
    baseline_taken_on = models.DateField(null=True)
    end_of_induction_total = models.IntegerField(null=True)
    end_of_induction_class = models.CharField(max_length=20, blank=True)
    month3_total = models.IntegerField(null=True)
    month3_class = models.CharField(max_length=20, blank=True)
    latest_total = models.IntegerField(null=True)
    latest_class = models.CharField(max_length=20, blank=True)
    sessions_to_response = models.PositiveIntegerField(null=True)
    response_lost = models.BooleanField(default=False)
    rule_version = models.CharField(max_length=80)
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "condition", "route"], name="outcome_clinic_group"),
            models.Index(fields=["clinic"], name="outcome_booster_review", condition=Q(response_lost=True, is_open=True)),
        ]
