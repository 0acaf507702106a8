"""The patient account: charges, invoices, payments, refunds, adjustments, payment plans and statements.

Money is integer cents. The balance is always computed, never stored:
    balance = charges (not voided) − payments + refunds − adjustments
so it cannot drift from the rows that make it up (docs/billing.md, "Reconciliation").
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.billing.models.insurance import Payer, PriorAuthorization
from ketaclinic.billing.models.prices import PriceList
from ketaclinic.patients.models import Patient

_USER = settings.AUTH_USER_MODEL


class PackagePurchase(models.Model):
    """An IV induction package sold at one price; each infusion charged under it carries an equal share."""

    class Status(models.TextChoices):
        ACTIVE = "active", "In use"
        USED = "used", "All infusions charged"
        CANCELLED = "cancelled", "Cancelled"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="package_purchases")
    price_list = models.ForeignKey(PriceList, on_delete=models.PROTECT, related_name="+")
    price_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    infusions = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    purchased_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("price_cents", "infusions", "purchased_on", "status")

    class Meta:
        ordering = ["patient", "-purchased_on", "-id"]


class Invoice(models.Model):
    class Status(models.TextChoices):
        ISSUED = "issued", "Issued"
        VOID = "void", "Void"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField(max_length=20)
    issued_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ISSUED)
    note = models.CharField(max_length=200, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("number", "issued_on", "due_on", "status", "note", "void_reason")

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["clinic", "number"], name="invoice_number_unique_in_clinic")]
        indexes = [models.Index(fields=["clinic", "-issued_on"], name="invoice_clinic_issued")]

    def __str__(self) -> str:
        return f"Invoice {self.number}"


class Charge(models.Model):
    """One claim line: a code, its units and its amount on a date of service."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        VOID = "void", "Voided"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="charges")
    service_date = models.DateField("date of service")
    code = models.CharField(max_length=10)
    modifiers = models.CharField(max_length=11, blank=True, help_text="Up to four, e.g. KX.")
    description = models.CharField(max_length=120)
    session_type = models.CharField(max_length=30, blank=True)
    units = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    unit_price_cents = models.PositiveIntegerField()
    amount_cents = models.PositiveIntegerField()
    diagnosis_codes = models.JSONField(default=list, blank=True)
    ndc = models.CharField("NDC", max_length=13, blank=True)
    claimable = models.BooleanField(default=True)
    rendering_provider = models.ForeignKey(_USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    prior_authorization = models.ForeignKey(
        PriorAuthorization, null=True, blank=True, on_delete=models.PROTECT, related_name="charges"
    )
    package = models.ForeignKey(PackagePurchase, null=True, blank=True, on_delete=models.PROTECT, related_name="charges")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="charges")
    visit = models.ForeignKey("visits.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="charges",
                              help_text="The completed visit the charge came from; empty for a charge made by hand.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.ACTIVE)
    void_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = (
        "service_date", "code", "modifiers", "description", "units", "unit_price_cents", "amount_cents",
        "diagnosis_codes", "ndc", "rendering_provider", "prior_authorization", "package", "invoice", "status",
        "void_reason",
    )

    class Meta:
        ordering = ["service_date", "id"]
        indexes = [
            models.Index(fields=["patient", "service_date"], name="charge_patient_date"),
            models.Index(fields=["clinic", "service_date"], name="charge_clinic_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(units__gte=1), name="charge_units_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} × {self.units} on {self.service_date}"


class PaymentPlan(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Paid in full"
        CANCELLED = "cancelled", "Cancelled"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        BIWEEKLY = "biweekly", "Every two weeks"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="payment_plans")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payment_plans")
    total_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("invoice", "total_cents", "frequency", "status", "note")

    class Meta:
        ordering = ["patient", "-created_at", "-id"]


class PlanInstalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount_cents = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_instalment_number_unique")]


class Payment(models.Model):
    """Money received. No card processing is built in: staff record what the terminal or payer reports."""

    class Method(models.TextChoices):
        CARD = "card", "Card"
        CASH = "cash", "Cash"
        CHECK = "check", "Check"
        HSA_FSA = "hsa_fsa", "HSA or FSA card"
        FINANCING = "financing", "Financing company"
        INSURANCE = "insurance", "Insurance payment"
        SAVINGS = "savings", "Manufacturer savings programme"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    payment_plan = models.ForeignKey(PaymentPlan, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    payer = models.ForeignKey(Payer, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    received_on = models.DateField()
    amount_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    method = models.CharField(max_length=10, choices=Method.choices)
    reference = models.CharField(
        max_length=60, blank=True, help_text="Card's last four digits, check number, financing or payer reference.",
    )
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("invoice", "payment_plan", "payer", "received_on", "amount_cents", "method", "reference", "note")

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["patient", "received_on"], name="payment_patient_date")]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive")]


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="refunds")
    refunded_on = models.DateField()
    amount_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    reason = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("payment", "refunded_on", "amount_cents", "reason")

    class Meta:
        ordering = ["-refunded_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive")]


class Adjustment(models.Model):
    """A reduction of what the patient owes that is not money received (write-off, discount...)."""

    class Reason(models.TextChoices):
        CONTRACTUAL = "contractual", "Contractual (payer's allowed amount)"
        DISCOUNT = "discount", "Discount"
        COURTESY = "courtesy", "Courtesy or hardship"
        BAD_DEBT = "bad_debt", "Bad debt write-off"
        CORRECTION = "correction", "Correction"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adjustments")
    invoice = models.ForeignKey(Invoice, null=True, blank=True, on_delete=models.PROTECT, related_name="adjustments")
    adjusted_on = models.DateField()
    amount_cents = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("invoice", "adjusted_on", "amount_cents", "reason", "note")

    class Meta:
        ordering = ["-adjusted_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="adjustment_amount_positive")]


class Statement(models.Model):
    """A statement as sent: the period's activity and balances, frozen when it was made."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="statements")
    period_start = models.DateField()
    period_end = models.DateField()
    opening_balance_cents = models.IntegerField()
    charges_cents = models.PositiveIntegerField()
    payments_cents = models.PositiveIntegerField()
    refunds_cents = models.PositiveIntegerField()
    adjustments_cents = models.PositiveIntegerField()
    closing_balance_cents = models.IntegerField()
    generated_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["patient", "-period_end", "-id"]
        constraints = [models.CheckConstraint(condition=Q(period_start__lte=models.F("period_end")),
                                              name="statement_period_in_order")]


class VisitCharging(models.Model):
    """Marks a completed visit as charged. One row per visit (unique), so a visit is never charged twice,
    even when the discharge hook and a person pressing "create charges" race."""

    visit = models.OneToOneField("visits.Visit", on_delete=models.PROTECT, related_name="charging")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    charged_at = models.DateTimeField(default=timezone.now)
    charged_by = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=200, blank=True, help_text="Why a visit made no charges, when it made none.")
