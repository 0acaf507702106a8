"""Informed consent signed electronically: who, when, the typed name and the exact text version signed."""

from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import User
from ketaclinic.intake.models.candidacy import CandidacyDecision, WrittenOnce
from ketaclinic.intake.models.choices import Route
from ketaclinic.patients.models import Patient


class InformedConsent(WrittenOnce):
    class Where(models.TextChoices):
        PORTAL = "portal", "In the patient portal"
        CLINIC = "clinic", "At the clinic, with staff present"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    route = models.CharField(max_length=16, choices=Route.choices)
    text_version = models.CharField(max_length=40, help_text="The consent text's version, e.g. iv-ketamine-2026.1.")
    text_sha256 = models.CharField(max_length=64, help_text="Digest of the exact text shown, to prove what was read.")
    typed_name = models.CharField("typed name", max_length=170)
    signed_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+",
                                  help_text="The account that recorded the signature (the patient's or staff's).")
    where = models.CharField(max_length=8, choices=Where.choices)
    decision = models.ForeignKey(CandidacyDecision, on_delete=models.PROTECT, related_name="consents",
                                 help_text="The signed decision that approved the route at the time.")

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = "informed consent"
        indexes = [models.Index(fields=["patient", "route"], name="consent_patient_route")]

    def __str__(self) -> str:
        return f"Consent for {self.get_route_display()} ({self.text_version})"

    @property
    def is_withdrawn(self) -> bool:
        return hasattr(self, "withdrawal")


class ConsentWithdrawal(WrittenOnce):
    consent = models.OneToOneField(InformedConsent, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=1000, blank=True)

    class Meta:
        verbose_name = "consent withdrawal"
