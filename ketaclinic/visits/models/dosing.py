"""What was given: the dose record (linked from the controlled-substance ledger) and each esketamine device."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts.models import User
from ketaclinic.visits.models.visit import Visit


class DoseAdministration(models.Model):
    """One dose given at a visit. IV: calculated by one nurse, confirmed by a second, then infused.
    Esketamine: prepared with its lot number, then given device by device (``EsketamineDevice``)."""

    class Drug(models.TextChoices):
        KETAMINE = "ketamine", "Ketamine (racemic), IV"
        ESKETAMINE = "esketamine", "Esketamine nasal spray"

    class Status(models.TextChoices):
        AWAITING_CHECK = "awaiting_check", "Waiting for the second nurse's check"
        READY = "ready", "Ready to give"
        RUNNING = "running", "Running"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        STOPPED = "stopped", "Stopped early"
        VOIDED = "voided", "Voided before it was given"

    ACTIVE_STATUSES = (Status.AWAITING_CHECK, Status.READY, Status.RUNNING, Status.PAUSED, Status.COMPLETED, Status.STOPPED)

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="doses")
    drug = models.CharField(max_length=12, choices=Drug.choices)
    status = models.CharField(max_length=16, choices=Status.choices)
    dose_mg = models.DecimalField(max_digits=7, decimal_places=1)
    volume_ml = models.DecimalField("drug volume (mL)", max_digits=7, decimal_places=2, null=True, blank=True)
    concentration_mg_per_ml = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    lot_number = models.CharField(max_length=40)
    devices = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Esketamine: 28 mg devices.")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    administered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    second_check_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    second_check_at = models.DateTimeField(null=True, blank=True)
    calculated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    calculated_at = models.DateTimeField(default=timezone.now)
    # IV calculation inputs and results, as computed by ketaclinic.clinical.dosing.iv_infusion.
    weight_kg = models.DecimalField("dosing weight (kg)", max_digits=5, decimal_places=1, null=True, blank=True)
    weight_basis = models.CharField(max_length=10, blank=True)
    dose_mg_per_kg = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(null=True, blank=True)
    diluent_ml = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    total_volume_ml = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    rate_ml_per_h = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    rate_mg_per_kg_per_h = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    physician_override = models.BooleanField(default=False)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["visit", "id"]
        constraints = [
            models.UniqueConstraint(fields=["visit"], condition=~Q(status="voided"), name="dose_one_active_per_visit"),
        ]

    def __str__(self) -> str:
        return f"{self.dose_mg} mg {self.get_drug_display()} (visit #{self.visit_id})"

    @property
    def is_iv(self) -> bool:
        return self.drug == self.Drug.KETAMINE


class EsketamineDevice(models.Model):
    """One 28 mg device, self-administered under a clinician's direct observation (§3.3)."""

    dose = models.ForeignKey(DoseAdministration, on_delete=models.PROTECT, related_name="device_log")
    number = models.PositiveSmallIntegerField()
    administered_at = models.DateTimeField()
    observed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["dose", "number"]
        constraints = [models.UniqueConstraint(fields=["dose", "number"], name="device_number_once_per_dose")]
