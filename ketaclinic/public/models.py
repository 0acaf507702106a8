"""What the public sees of a clinic: its directory listing (the clinic's own choice) and moderated patient reviews.

Nothing here holds clinical data. A review is linked to its author so that eligibility and moderation can be
checked, but the author is never shown publicly.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketaclinic.accounts.models import Clinic, User
from ketaclinic.patients.models import Patient

# A first consultation more than a year away is almost surely a typo (weeks entered as days, or similar).
WAIT_MAX_DAYS = 365
RATING_MIN = 1
RATING_MAX = 5
REVIEW_BODY_MAX_CHARS = 2000
REPLY_BODY_MAX_CHARS = 1500


class RouteOffered(models.TextChoices):
    # Route names shared with the clinical core (ketaclinic.clinical.protocols.Route) where one exists.
    IV_KETAMINE = "iv-ketamine", _("IV ketamine infusion")
    ESKETAMINE = "esketamine", _("Esketamine nasal spray (Spravato)")
    KAP = "kap", _("Ketamine-assisted psychotherapy")
    IM_KETAMINE = "im-ketamine", _("Intramuscular ketamine")


class LeadSpecialty(models.TextChoices):
    ANESTHESIOLOGY = "anesthesiology", _("Anesthesiologist")
    PSYCHIATRY = "psychiatry", _("Psychiatrist")
    EMERGENCY = "emergency", _("Emergency physician")
    OTHER = "other", _("Other physician")


class Equipment(models.TextChoices):
    # What clinical.md §1.4 [9] and §3.6 [29] ask to be at hand: continuous cardiovascular and respiratory
    # monitoring, a pulse oximeter (the esketamine REMS), and equipment to manage airway and cardiovascular events.
    PULSE_OXIMETRY = "pulse-oximetry", _("Pulse oximetry (oxygen level)")
    AUTOMATIC_BP = "automatic-bp", _("Automatic blood-pressure cuff")
    ECG = "ecg", _("ECG heart monitor")
    CAPNOGRAPHY = "capnography", _("Capnography (breathing monitor)")
    AIRWAY_KIT = "airway-kit", _("Oxygen and airway equipment")
    DEFIBRILLATOR = "defibrillator", _("Defibrillator and emergency cart")


class Language(models.TextChoices):
    # Languages most spoken in Los Angeles County homes after English; a clinic ticks the ones its staff speak.
    ENGLISH = "en", "English"
    SPANISH = "es", "Español"
    CHINESE = "zh", "中文"
    KOREAN = "ko", "한국어"
    TAGALOG = "tl", "Tagalog"
    ARMENIAN = "hy", "Հայերեն"
    VIETNAMESE = "vi", "Tiếng Việt"
    PERSIAN = "fa", "فارسی"
    RUSSIAN = "ru", "Русский"
    JAPANESE = "ja", "日本語"


class ClinicListing(models.Model):
    """A clinic's entry in the public directory. Absent or ``listed=False``: the clinic is not shown at all."""

    AUDITED_FIELDS = (
        "listed", "about_en", "about_es", "lead_name", "lead_specialty", "lead_board_certified",
        "anesthesiologist_on_site", "psychiatrist_on_site", "crna_on_site", "equipment", "routes", "languages",
        "first_consultation_wait_days", "accepting_new_patients",
    )

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="listing")
    listed = models.BooleanField(
        _("show in the public directory"), default=False,
        help_text=_("Untick to take the clinic out of the directory at once. Reviews are kept."),
    )
    about_en = models.TextField(_("about the clinic (English)"), max_length=600, blank=True)
    about_es = models.TextField(
        _("about the clinic (Spanish)"), max_length=600, blank=True,
        help_text=_("Shown to Spanish readers; when empty they see the English text."),
    )
    lead_name = models.CharField(_("medical lead"), max_length=120, help_text=_("For example Dr. Ana Reyes, MD."))
    lead_specialty = models.CharField(_("medical lead's specialty"), max_length=20, choices=LeadSpecialty.choices)
    lead_board_certified = models.BooleanField(_("the medical lead is board-certified"), default=False)
    anesthesiologist_on_site = models.BooleanField(_("an anesthesiologist is on site during treatments"), default=False)
    psychiatrist_on_site = models.BooleanField(_("a psychiatrist is on site during treatments"), default=False)
    crna_on_site = models.BooleanField(_("a nurse anesthetist (CRNA) is on site during treatments"), default=False)
    equipment = models.JSONField(_("monitoring equipment"), default=list, blank=True)
    routes = models.JSONField(_("treatments offered"), default=list)
    languages = models.JSONField(_("languages spoken"), default=list)
    first_consultation_wait_days = models.PositiveSmallIntegerField(
        _("usual wait for a first consultation (days)"),
        validators=[MaxValueValidator(WAIT_MAX_DAYS)], null=True, blank=True,
        help_text=_("Leave empty if you cannot say; the directory then shows “ask the clinic”."),
    )
    accepting_new_patients = models.BooleanField(_("accepting new patients"), default=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"Directory listing of {self.clinic}"

    def route_labels(self) -> list[str]:
        return [RouteOffered(r).label for r in self.routes if r in RouteOffered.values]

    def equipment_labels(self) -> list[str]:
        return [Equipment(e).label for e in self.equipment if e in Equipment.values]

    def language_labels(self) -> list[str]:
        return [Language(code).label for code in self.languages if code in Language.values]


class Review(models.Model):
    """A patient's review of their clinic. Staff publish or reject it; nobody edits what the patient wrote."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for moderation")
        PUBLISHED = "published", _("Published")
        REJECTED = "rejected", _("Not published")
        WITHDRAWN = "withdrawn", _("Withdrawn by the patient")

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="reviews")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reviews")
    # The sign-in that wrote it (None for demo rows and once a portal account is closed); never shown publicly.
    author = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("your review"), max_length=REVIEW_BODY_MAX_CHARS)
    language = models.CharField(max_length=2, choices=[("en", "English"), ("es", "Español")], default="en")
    # Copied from the treatment course when the review is written: the proof of eligibility stays with the review.
    induction_completed_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_at = models.DateTimeField(default=timezone.now)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rejection_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reply_body = models.TextField(_("the clinic's reply"), max_length=REPLY_BODY_MAX_CHARS, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["clinic", "status", "-submitted_at"], name="review_clinic_status")]
        constraints = [
            # One live review per patient and clinic; after a rejection or a withdrawal the patient may write again.
            models.UniqueConstraint(
                fields=["patient", "clinic"], condition=Q(status__in=["pending", "published"]),
                name="review_one_live_per_patient",
            ),
            models.CheckConstraint(condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX), name="review_rating_1_5"),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} of {self.clinic_id} ({self.status})"
