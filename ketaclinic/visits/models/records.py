"""Signed records: session notes with amendments, the esketamine REMS monitoring form, adverse events.

A signed note or form is never changed in place: later changes are amendments, each signed by its author.
"""

from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User
from ketaclinic.patients.models import Patient
from ketaclinic.visits.models.visit import Visit


class Note(models.Model):
    class Kind(models.TextChoices):
        NURSE = "nurse", "Nurse session note"
        PHYSICIAN = "physician", "Physician session note"
        KAP_PREPARATION = "kap_preparation", "KAP: preparation"
        KAP_DOSING = "kap_dosing", "KAP: dosing session"
        KAP_INTEGRATION = "kap_integration", "KAP: integration"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    body = models.TextField()
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit", "created_at", "id"]

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class NoteAmendment(models.Model):
    note = models.ForeignKey(Note, on_delete=models.PROTECT, related_name="amendments")
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["note", "signed_at", "id"]


class MonitoringForm(models.Model):
    """The SPRAVATO REMS Patient Monitoring Form for one esketamine session, due within 7 days (§3.6, §3.7)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed, not yet submitted"
        SUBMITTED = "submitted", "Submitted"
        AMENDED = "amended", "Amended after submission: resubmit"

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="monitoring_form")
    form_version = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(default=dict, help_text="Field values; frozen once signed (changes are amendments).")
    due_on = models.DateField()
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submission_method = models.CharField(max_length=20, blank=True)
    submission_reference = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="pmf_status_due")]

    def current_data(self) -> dict:
        """The signed values with every amendment applied in order."""
        data = dict(self.data)
        for amendment in self.amendments.all():
            data.update(amendment.changes)
        return data


class MonitoringFormAmendment(models.Model):
    form = models.ForeignKey(MonitoringForm, on_delete=models.PROTECT, related_name="amendments")
    changes = models.JSONField(help_text="{field: new value}")
    previous = models.JSONField(help_text="{field: value before}")
    reason = models.CharField(max_length=200)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["form", "signed_at", "id"]


class AdverseEvent(models.Model):
    class Category(models.TextChoices):
        SEDATION = "sedation", "Sedation"
        DISSOCIATION = "dissociation", "Dissociation"
        RESPIRATORY_DEPRESSION = "respiratory_depression", "Respiratory depression"
        HYPERTENSION = "hypertension", "Blood pressure increase"
        NAUSEA_VOMITING = "nausea_vomiting", "Nausea or vomiting"
        PSYCHIATRIC = "psychiatric", "Psychiatric (e.g. suicidal thoughts, agitation)"
        CARDIAC = "cardiac", "Cardiac (chest pain, arrhythmia)"
        NEUROLOGICAL = "neurological", "Neurological (severe headache, seizure)"
        URINARY = "urinary", "Urinary (cystitis)"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SEVERE = "severe", "Severe"

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", "Resolved"
        RESOLVING = "resolving", "Resolving"
        NOT_RESOLVED = "not_resolved", "Not resolved"
        RESOLVED_WITH_SEQUELAE = "sequelae", "Resolved with lasting effects"
        FATAL = "fatal", "Fatal"
        UNKNOWN = "unknown", "Unknown"

    # FDA's definition of a serious adverse event (21 CFR 312.32 / MedWatch); any one makes it serious.
    class Seriousness(models.TextChoices):
        DEATH = "death", "Death"
        LIFE_THREATENING = "life_threatening", "Life-threatening"
        HOSPITALIZATION = "hospitalization", "Hospitalization (new or longer)"
        DISABILITY = "disability", "Persistent or significant disability"
        CONGENITAL = "congenital", "Congenital anomaly or birth defect"
        INTERVENTION = "intervention", "Needed intervention to prevent permanent harm"
        OTHER_IMPORTANT = "other_important", "Other important medical event"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events")
    onset_at = models.DateTimeField()
    category = models.CharField(max_length=24, choices=Category.choices)
    description = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    seriousness = models.JSONField(default=list, blank=True, help_text="Seriousness criteria met; empty if not serious.")
    serious = models.BooleanField(default=False, editable=False, help_text="Kept in step with seriousness.")
    outcome = models.CharField(max_length=14, choices=Outcome.choices)
    action_taken = models.CharField(max_length=300, blank=True)
    follow_up_plan = models.CharField(max_length=300, blank=True)
    follow_up_due_on = models.DateField(null=True, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_to = models.CharField(max_length=80, blank=True, help_text="E.g. SPRAVATO REMS 1-855-382-6022, FDA MedWatch.")
    report_reference = models.CharField(max_length=60, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-onset_at", "-id"]
        indexes = [models.Index(fields=["clinic", "serious", "reported_at"], name="ae_clinic_serious")]

    @property
    def needs_report(self) -> bool:
        return self.serious and self.reported_at is None


class AdverseEventFollowUp(models.Model):
    event = models.ForeignKey(AdverseEvent, on_delete=models.PROTECT, related_name="follow_ups")
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["event", "at", "id"]
