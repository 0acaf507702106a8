"""Consultation requests from the public, and the anonymous count of self-screens.

A request holds only what the person typed into the form. People who do the self-screen and leave leave
nothing behind but one more in a daily count per outcome.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User, phone_validator


class ScreenOutcome(models.TextChoices):
    WORTH_CONSULTATION = "worth-consultation", "Worth a consultation"
    TALK_TO_DOCTOR = "talk-to-doctor", "Talk to your doctor first"
    CRISIS = "crisis", "Crisis resources shown"


class ConsultationRequest(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        REGISTERED = "registered", "Registered as a patient"
        CLOSED = "closed", "Closed"

    class ContactMethod(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "Email"

    class BestTime(models.TextChoices):
        MORNING = "morning", "Mornings (8 am – noon)"
        AFTERNOON = "afternoon", "Afternoons (noon – 5 pm)"
        EVENING = "evening", "Early evenings (5 – 7 pm)"
        ANY = "any", "Any time"

    class CloseReason(models.TextChoices):
        NO_ANSWER = "no-answer", "Could not reach them"
        NOT_INTERESTED = "not-interested", "No longer interested"
        REFERRED = "referred", "Referred elsewhere"
        DUPLICATE = "duplicate", "Duplicate request"
        SPAM = "spam", "Spam or not a real request"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="consultation_requests")
    first_name = models.CharField("first name", max_length=80)
    last_name = models.CharField("last name", max_length=80)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    email = models.EmailField(blank=True)
    contact_method = models.CharField("how to contact you", max_length=10, choices=ContactMethod.choices, default=ContactMethod.PHONE)
    best_time = models.CharField("best time to reach you", max_length=10, choices=BestTime.choices, default=BestTime.ANY)
    language = models.CharField(max_length=2, choices=[("en", "English"), ("es", "Spanish (Español)")], default="en")
    message = models.TextField("anything you would like us to know", max_length=1000, blank=True)
    # Kept only when the person ticks "share my self-screen result" on the result page.
    self_screen_outcome = models.CharField(max_length=20, choices=ScreenOutcome.choices, blank=True)
    self_screen_phq9_total = models.PositiveSmallIntegerField("self-screen PHQ-9 total", null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    close_reason = models.CharField(max_length=16, choices=CloseReason.choices, blank=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.SET_NULL, related_name="consultation_requests"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    status_changed_at = models.DateTimeField(default=timezone.now)

    AUDITED_FIELDS = (
        "clinic", "first_name", "last_name", "phone", "email", "contact_method", "best_time", "language", "message",
        "self_screen_outcome", "self_screen_phq9_total", "status", "close_reason", "patient",
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["clinic", "status", "created_at"], name="consult_queue")]

    def __str__(self) -> str:
        return f"Consultation request #{self.pk}"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.CONTACTED)

    def clean(self):
        if not self.phone and not self.email:
            raise ValidationError({"phone": "Give a phone number or an email address so the clinic can reach you."})
        if self.contact_method in (self.ContactMethod.PHONE, self.ContactMethod.TEXT) and not self.phone:
            raise ValidationError({"phone": "Give a phone number, or choose email as the way to contact you."})
        if self.contact_method == self.ContactMethod.EMAIL and not self.email:
            raise ValidationError({"email": "Give an email address, or choose a phone call or text."})


class ConsultationNote(models.Model):
    """One line of the front desk's work on a request: a call, a message left, a closing reason."""

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("status after", max_length=12, choices=ConsultationRequest.Status.choices)
    text = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "id"]


class SelfScreenTally(models.Model):
    """How many self-screens ended in each outcome, per day and language: a count, nothing about anyone."""

    day = models.DateField()
    outcome = models.CharField(max_length=20, choices=ScreenOutcome.choices)
    language = models.CharField(max_length=2)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "outcome", "language"], name="self_screen_tally_unique")]
