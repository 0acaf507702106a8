"""The visit (one session in a chair), its check-in checklist, holds, the physician's order, REMS enrolment."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User, phone_validator
from ketaclinic.clinical.dosing import WeightBasis
from ketaclinic.patients.models import Patient
from ketaclinic.visits.models.protocol import SessionProtocol


class Route(models.TextChoices):
    IV_KETAMINE = "iv-ketamine", "IV ketamine"
    ESKETAMINE = "esketamine", "Esketamine nasal spray"


class RemsEnrollment(models.Model):
    """The patient's SPRAVATO REMS enrolment (Patient Enrollment Form signed by patient and prescriber, §3.6)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="rems_enrollments")
    enrolled_on = models.DateField()
    prescriber = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField("REMS patient id", max_length=40, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-enrolled_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient"], condition=Q(ended_on__isnull=True), name="rems_one_active_enrollment"),
        ]

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Visit(models.Model):
    class Status(models.TextChoices):
        CHECKED_IN = "checked_in", "Checked in"
        DOSING = "dosing", "Dosing"
        OBSERVATION = "observation", "Observation"
        READY_FOR_DISCHARGE = "ready_for_discharge", "Ready for discharge"
        DISCHARGED = "discharged", "Discharged"
        CANCELLED = "cancelled", "Cancelled"

    OPEN_STATUSES = (Status.CHECKED_IN, Status.DOSING, Status.OBSERVATION, Status.READY_FOR_DISCHARGE)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="visits")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    route = models.CharField(max_length=12, choices=Route.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKED_IN)
    protocol = models.ForeignKey(SessionProtocol, on_delete=models.PROTECT, related_name="visits")
    appointment = models.OneToOneField(
        "plans.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="visit",
        help_text="The booking this visit fulfils; empty for a walk-in.",
    )
    chair = models.CharField(max_length=40, blank=True, help_text="Where the patient sits today.")
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    weight_kg = models.DecimalField(
        "today's weight (kg)", max_digits=5, decimal_places=1, null=True, blank=True,
        help_text="The measured weight this visit's dose is based on.",
    )
    weight_measured_on = models.DateField(null=True, blank=True)
    # When drug first reached the patient and when dosing ended (infusion end or last device); phases hang on them.
    dosing_started_at = models.DateTimeField(null=True, blank=True)
    dosing_ended_at = models.DateTimeField(null=True, blank=True)
    observation_started_at = models.DateTimeField(
        null=True, blank=True, help_text="IV: end of the infusion. Esketamine: the first device (§3.5).",
    )
    observation_min_required = models.PositiveSmallIntegerField()
    ride_name = models.CharField("ride home", max_length=120, blank=True)
    ride_phone = models.CharField("ride's phone", max_length=30, blank=True, validators=[phone_validator])
    ready_without_observation_rule_at = models.DateTimeField(
        null=True, blank=True, help_text="Esketamine: when the patient would have been ready but for the 2-hour rule.",
    )
    ready_for_discharge_at = models.DateTimeField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-checked_in_at", "-id"]
        indexes = [models.Index(fields=["clinic", "status", "checked_in_at"], name="visit_clinic_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status__in=["checked_in", "dosing", "observation", "ready_for_discharge"]),
                name="visit_one_open_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} visit #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_esketamine(self) -> bool:
        return self.route == Route.ESKETAMINE


class ChecklistItem(models.Model):
    """One item of the check-in checklist, recorded with who and when. Re-recording keeps the audit trail."""

    class Item(models.TextChoices):
        IDENTITY = "identity", "Identity confirmed (two identifiers)"
        CONSENT_PLAN = "consent_plan", "Consent and treatment plan current"
        FASTING = "fasting", "Fasting confirmed"
        RIDE = "ride", "Ride home named, with a phone number"
        PREGNANCY = "pregnancy", "Pregnancy status"
        MEDICATIONS = "medications", "Concomitant medications reviewed"
        PRE_SESSION_SCALE = "pre_session_scale", "Pre-session rating scale done"
        WEIGHT = "weight", "Weight current"
        PREDOSE_VITALS = "predose_vitals", "Pre-dose vital signs"
        REMS = "rems", "REMS: clinic certified and patient enrolled"

    class Status(models.TextChoices):
        DONE = "done", "Done"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checklist")
    item = models.CharField(max_length=20, choices=Item.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DONE)
    value = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["visit", "id"]
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="checklist_item_once_per_visit")]


class Hold(models.Model):
    """Dosing may not start while a hold is open; a passing recheck or a physician override clears it."""

    class Kind(models.TextChoices):
        VITALS = "vitals", "Pre-dose vital signs"
        PREGNANCY = "pregnancy", "Pregnancy"

    class Clearance(models.TextChoices):
        RECHECK = "recheck", "Recheck passed"
        OVERRIDE = "override", "Physician override"

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="holds")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    message = models.CharField(max_length=300)
    reading = models.ForeignKey("visits.VitalReading", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    clearance = models.CharField(max_length=10, choices=Clearance.choices, blank=True)
    clearing_reading = models.ForeignKey(
        "visits.VitalReading", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    override_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["opened_at", "id"]

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None


class DoseOrder(models.Model):
    """What to give today: copied from the signed plan at check-in, or entered on the visit by a physician."""

    class Source(models.TextChoices):
        PLAN = "plan", "Signed treatment plan"
        PHYSICIAN = "physician", "Physician order on this visit"

    visit = models.OneToOneField(Visit, on_delete=models.CASCADE, related_name="order")
    source = models.CharField(max_length=10, choices=Source.choices)
    plan_reference = models.CharField(max_length=80, blank=True, help_text="Which plan the order came from.")
    dose_mg_per_kg = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    weight_basis = models.CharField(
        max_length=10, choices=[(b.value, b.value) for b in WeightBasis], default="actual", blank=True,
    )
    weight_cap_kg = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    infusion_duration_min = models.PositiveSmallIntegerField(null=True, blank=True)
    esketamine_dose_mg = models.PositiveSmallIntegerField(null=True, blank=True)
    physician_override = models.BooleanField(default=False)
    override_reason = models.CharField(max_length=300, blank=True)
    ordered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField(default=timezone.now)
