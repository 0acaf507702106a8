from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import User
from ketaclinic.patients.models import Patient


class PortalAccount(models.Model):
    """Links a sign-in to exactly one patient record; such a user sees that record and nothing else."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="portal_account")
    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="portal_account")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"Portal account of {self.patient}"
