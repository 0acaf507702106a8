"""Protocols, treatment plans, the clinic's calendar (chairs, hours, shifts) and appointments.

Double-booking is impossible in the database itself, on SQLite and PostgreSQL alike: every booked
appointment owns one ``ChairSlot`` row per 15-minute slot it holds (unique per chair and slot) and, for a
monitored dose, one ``NurseSlot`` row per slot (unique per nurse, slot and seat, with ``seat < ratio``).
Two bookings racing for the same chair cannot both insert the same slot row; see docs/plans.md.

Clinical numbers are defined once in ``ketaclinic.clinical.protocols`` / ``dosing`` with their sources;
the defaults here refer to them. Times are UTC in the database; opening hours and shifts are wall-clock
times in the clinic's own time zone (``clinic.tz``), converted per date so a DST change is handled.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.clinical import dosing, protocols
from ketaclinic.patients.models import Patient

SLOT_MINUTES = 15  # the booking grain: every start and end falls on a quarter hour
SLOT = dt.timedelta(minutes=SLOT_MINUTES)
# Patients one nurse may monitor at once. clinical.md gives no figure: [UNSOURCED – common practice],
# a clinic-editable default shown as such on the settings page.
DEFAULT_NURSE_RATIO = 3
NURSE_RATIO_MAX = 8  # input sanity bound, not a clinical number
# The clinic's own IV fasting rule (clinical.md §0b: "fasting for a few hours" — the hours are the
# clinic's). [UNSOURCED – common practice] clinic-editable defaults.
DEFAULT_IV_FASTING_FOOD_H = 4
DEFAULT_IV_FASTING_LIQUIDS_H = 2
# Esketamine: no food for ≥2 h and no liquids for ≥30 min before a dose; clinical.md §3.3 [20].
ESKETAMINE_FASTING_FOOD_H = 2
ESKETAMINE_FASTING_LIQUIDS_MIN = 30
REMINDER_HOURS_BEFORE = (72, 24)  # the reminder times
DEFAULT_THERAPY_SESSION_MIN = 60  # 90837 "60 min" psychotherapy; clinical.md §7.2 [UNSOURCED – standard CPT]


class Route(models.TextChoices):
    IV = protocols.Route.IV.value, "IV ketamine"
    ESKETAMINE = protocols.Route.ESKETAMINE.value, "Esketamine nasal spray"


class Protocol(models.Model):
    """A clinic's protocol, versioned: a change is a new row with a higher ``version`` in the same family.

    The approved row with the highest version whose ``effective_from`` has come is the current one; plans
    keep a foreign key to the exact version they were made with.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="protocols")
    family = models.SlugField(max_length=60, help_text="A short name shared by every version, e.g. iv-standard.")
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=120)
    route = models.CharField(max_length=20, choices=Route.choices)
    # IV ketamine (clinical.md §1.1, §1.2)
    dose_mg_per_kg = models.DecimalField(
        "dose (mg/kg)", max_digits=4, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.05"))],
        help_text="Conventional 0.5 mg/kg (clinical.md §1.1).",
    )
    weight_basis = models.CharField(
        max_length=10, choices=[(b.value, b.value.title()) for b in dosing.WeightBasis], default=dosing.WeightBasis.ACTUAL,
        help_text="[UNSOURCED – common practice] clinics choose; most use actual weight (clinical.md §1.1).",
    )
    weight_cap_kg = models.DecimalField("weight cap (kg)", max_digits=5, decimal_places=1, null=True, blank=True)
    infusion_min = models.PositiveIntegerField("infusion (minutes)", null=True, blank=True)
    induction_infusions = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(protocols.IV_INDUCTION_MAX_INFUSIONS)],
        help_text="Six over two to three weeks is usual (clinical.md §1.2).",
    )
    min_gap_days = models.PositiveIntegerField(
        "days from one infusion to the next", default=protocols.IV_INDUCTION_MIN_GAP_DAYS,
        validators=[MinValueValidator(protocols.IV_INDUCTION_MIN_GAP_DAYS), MaxValueValidator(protocols.DAYS_PER_WEEK)],
    )
    booster_min_interval_days = models.PositiveIntegerField(
        "booster: at least this many days after the last dose", null=True, blank=True,
        help_text="Boosters every 2–12 weeks are market practice (clinical.md §1.2).",
    )
    # Esketamine (clinical.md §3.1, §3.2)
    indication = models.CharField(
        max_length=10, blank=True, choices=[(i.value, i.value) for i in protocols.Indication],
    )
    dose_mg = models.PositiveIntegerField("dose (mg)", null=True, blank=True)
    maintenance_every_weeks = models.PositiveIntegerField(null=True, blank=True)
    through_week = models.PositiveIntegerField(null=True, blank=True)
    observation_min = models.PositiveIntegerField(
        "observation (minutes)", help_text="IV 30–60 minutes (§0b); esketamine at least 120 (§3.5)."
    )
    # Ketamine-assisted psychotherapy pairing
    kap_preparation_sessions = models.PositiveIntegerField("KAP preparation sessions", default=0)
    kap_integration_per_dose = models.BooleanField("KAP integration session after each dose", default=False)
    kap_session_min = models.PositiveIntegerField("KAP session (minutes)", default=DEFAULT_THERAPY_SESSION_MIN)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)
    effective_from = models.DateField()
    change_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["clinic", "family", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "family", "version"], name="protocol_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def is_kap(self) -> bool:
        return bool(self.kap_preparation_sessions or self.kap_integration_per_dose)


class Chair(models.Model):
    """A treatment chair or a room: one patient at a time."""

    class Kind(models.TextChoices):
        CHAIR = "chair", "Infusion chair"
        ROOM = "room", "Room"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="chairs")
    name = models.CharField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CHAIR)
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["clinic", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="chair_name_unique_in_clinic")]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """Wall-clock hours in the clinic's time zone; one interval per weekday (no row: closed)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)], help_text="Monday 0 … Sunday 6")
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["clinic", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "weekday"], name="opening_hours_one_per_weekday"),
            models.CheckConstraint(condition=Q(opens_at__lt=F("closes_at")), name="opening_hours_open_before_close"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="opening_hours_weekday_range"),
        ]


class ClosedDay(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField()
    reason = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["clinic", "date"]
        constraints = [models.UniqueConstraint(fields=["clinic", "date"], name="closed_day_unique")]


class ClinicScheduling(models.Model):
    """A clinic's scheduling limits, kept as data with who approved them and since when."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="scheduling")
    nurse_ratio = models.PositiveSmallIntegerField(
        "patients one nurse may monitor at once", default=DEFAULT_NURSE_RATIO,
        validators=[MinValueValidator(1), MaxValueValidator(NURSE_RATIO_MAX)],
    )
    iv_fasting_food_h = models.PositiveSmallIntegerField("IV: no food for (hours)", default=DEFAULT_IV_FASTING_FOOD_H)
    iv_fasting_liquids_h = models.PositiveSmallIntegerField(
        "IV: no liquids for (hours)", default=DEFAULT_IV_FASTING_LIQUIDS_H
    )
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(nurse_ratio__gte=1, nurse_ratio__lte=NURSE_RATIO_MAX), name="scheduling_nurse_ratio_range"
            ),
        ]


class StaffShift(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="shifts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["clinic", "starts_at"]
        indexes = [models.Index(fields=["clinic", "starts_at"], name="shift_clinic_start")]
        constraints = [models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="shift_starts_before_end")]


class TreatmentPlan(models.Model):
    """A physician's plan. Signed plans are never edited: a change makes a new version (``supersedes``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"
        SUPERSEDED = "superseded", "Superseded by a newer version"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatment_plans")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="treatment_plans")
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="plans")
    route = models.CharField(max_length=20, choices=Route.choices)
    course = models.ForeignKey(
        "outcomes.TreatmentCourse", null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
        help_text="The measurement-based-care course; started when the first version is signed.",
    )
    version = models.PositiveIntegerField(default=1)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="newer_versions"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    start_on = models.DateField("first dose on")
    # IV
    dose_mg_per_kg = models.DecimalField("dose (mg/kg)", max_digits=4, decimal_places=2, null=True, blank=True)
    infusions = models.PositiveIntegerField(null=True, blank=True)
    # Esketamine
    indication = models.CharField(max_length=10, blank=True)
    dose_mg = models.PositiveIntegerField("dose (mg)", null=True, blank=True)
    maintenance_every_weeks = models.PositiveIntegerField(null=True, blank=True)
    through_week = models.PositiveIntegerField(null=True, blank=True)
    with_psychotherapy = models.BooleanField(
        "pair with ketamine-assisted psychotherapy", default=False,
        help_text="Adds the protocol's preparation and integration sessions.",
    )
    notes = models.TextField(blank=True)
    change_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["patient", "status"], name="plan_patient_status")]

    AUDITED_FIELDS = (
        "protocol", "route", "status", "start_on", "dose_mg_per_kg", "infusions", "indication", "dose_mg",
        "maintenance_every_weeks", "through_week", "with_psychotherapy", "notes", "change_reason",
    )

    def __str__(self) -> str:
        return f"{self.get_route_display()} plan v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class PlannedSession(models.Model):
    """One session a plan calls for, on a date; booking turns it into an appointment."""

    class Kind(models.TextChoices):
        DOSING = "dosing", "Dose"
        BOOSTER = "booster", "Booster dose"
        PREPARATION = "psychotherapy-preparation", "Psychotherapy: preparation"
        INTEGRATION = "psychotherapy-integration", "Psychotherapy: integration"

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="sessions")
    sequence = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    planned_on = models.DateField()
    week = models.PositiveIntegerField(null=True, blank=True)
    phase = models.CharField(max_length=12, blank=True)  # induction / maintenance (clinical.protocols.Phase)
    dose_mg = models.PositiveIntegerField(null=True, blank=True)
    dose_mg_per_kg = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    chair_min = models.PositiveIntegerField("minutes in the chair or room")
    follows = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="For an integration session: the dose it follows.",
    )

    class Meta:
        ordering = ["plan", "sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "sequence"], name="planned_session_sequence_unique")]

    @property
    def is_dose(self) -> bool:
        return self.kind in (self.Kind.DOSING, self.Kind.BOOSTER)


class Appointment(models.Model):
    class Kind(models.TextChoices):
        DOSING = "dosing", "Dose"
        BOOSTER = "booster", "Booster dose"
        CONSULTATION = "consultation", "Consultation"
        PREPARATION = "psychotherapy-preparation", "Psychotherapy: preparation"
        INTEGRATION = "psychotherapy-integration", "Psychotherapy: integration"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        CHECKED_IN = "checked_in", "Checked in"
        DOSING = "dosing", "Dosing"
        OBSERVATION = "observation", "Observation"
        READY_FOR_DISCHARGE = "ready_for_discharge", "Ready for discharge"
        DISCHARGED = "discharged", "Discharged"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments")
    chair = models.ForeignKey(Chair, on_delete=models.PROTECT, related_name="appointments")
    nurse = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="monitored_appointments"
    )
    nurse_seat = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False,
        help_text="Which of the nurse's places this visit holds, for its whole length (NurseSlot repeats it per slot).",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    route = models.CharField(max_length=20, choices=Route.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    planned_session = models.ForeignKey(
        PlannedSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="appointments"
    )
    plan = models.ForeignKey(TreatmentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    cancel_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["clinic", "starts_at"], name="appointment_clinic_start"),
            models.Index(fields=["patient", "starts_at"], name="appointment_patient_start"),
            models.Index(fields=["nurse", "starts_at"], name="appointment_nurse_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="appointment_starts_before_end"),
        ]

    AUDITED_FIELDS = ("chair", "nurse", "starts_at", "ends_at", "route", "kind", "status", "cancel_reason")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_dose(self) -> bool:
        return self.kind in (self.Kind.DOSING, self.Kind.BOOSTER)

    @property
    def is_active(self) -> bool:
        return self.status not in (self.Status.CANCELLED, self.Status.NO_SHOW)


class ChairSlot(models.Model):
    """One 15-minute slot of one chair, held by one appointment. The unique pair makes double-booking impossible."""

    chair = models.ForeignKey(Chair, on_delete=models.PROTECT, related_name="+")
    slot_start = models.DateTimeField()
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="chair_slots")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chair", "slot_start"], name="chair_slot_unique")]


class NurseSlot(models.Model):
    """One of a nurse's ``ratio`` seats in one 15-minute slot. Unique (nurse, slot, seat) and seat < ratio
    mean no nurse ever monitors more than ``ratio`` patients at once."""

    nurse = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    slot_start = models.DateTimeField()
    seat = models.PositiveSmallIntegerField()
    ratio = models.PositiveSmallIntegerField()
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="nurse_slots")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nurse", "slot_start", "seat"], name="nurse_slot_seat_unique"),
            models.CheckConstraint(
                condition=Q(seat__gte=0, seat__lt=F("ratio"), ratio__lte=NURSE_RATIO_MAX), name="nurse_slot_seat_below_ratio"
            ),
        ]


class ReminderSent(models.Model):
    """One reminder actually sent; unique so a retried task never sends twice."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    hours_before = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=5, choices=Channel.choices)
    starts_at = models.DateTimeField(help_text="The appointment time the reminder named.")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "hours_before", "channel", "starts_at"], name="reminder_sent_once"
            ),
        ]
