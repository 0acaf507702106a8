"""Insurance: payers and their plans, a patient's coverage, benefits checks, esketamine prior
authorisation, manufacturer savings enrolment, and the diagnoses billed for the patient.

Most payers do not cover IV ketamine for mental health; esketamine often is covered, usually after a
prior authorisation that asks for the diagnosis, the failed antidepressant trials and baseline scores
(clinical.md §0b Cost row, §4.1, §7.1, §7.2).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.clinical import pricing
from ketaclinic.patients.models import Patient


class Payer(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="payers")
    name = models.CharField(max_length=120)
    payer_code = models.CharField("electronic payer id", max_length=20, blank=True)
    phone = models.CharField("provider services phone", max_length=30, blank=True)
    address_line1 = models.CharField("claims address", max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField("ZIP code", max_length=10, blank=True)
    esketamine_in_network = models.BooleanField(
        "in network for esketamine", default=False,
        help_text="Listed publicly as an insurer the clinic accepts for esketamine.",
    )
    active = models.BooleanField(default=True)

    AUDITED_FIELDS = ("name", "payer_code", "phone", "address_line1", "city", "state", "postal_code",
                      "esketamine_in_network", "active")

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="payer_name_unique_in_clinic")]

    def __str__(self) -> str:
        return self.name


class InsurancePlan(models.Model):
    class PlanType(models.TextChoices):
        COMMERCIAL = "commercial", "Commercial"
        MEDICARE = "medicare", "Medicare"
        MEDICARE_ADVANTAGE = "medicare_advantage", "Medicare Advantage"
        MEDICAID = "medicaid", "Medicaid (Medi-Cal)"
        OTHER = "other", "Other"

    class EsketamineBilling(models.TextChoices):
        # clinical.md §7.1: Medicare G-codes include the drug; commercial payers use buy-and-bill (J0013 per mg
        # plus the visit) or the pharmacy benefit (drug from a specialty pharmacy; clinic bills the visit only).
        VISIT_INCLUDES_DRUG = "visit_includes_drug", "G2082/G2083 only, drug included (Medicare)"
        BUY_AND_BILL = "buy_and_bill", "Buy-and-bill: visit code plus J0013 per mg"
        PHARMACY_BENEFIT = "pharmacy_benefit", "Pharmacy benefit: clinic bills the visit only"

    payer = models.ForeignKey(Payer, on_delete=models.PROTECT, related_name="plans")
    name = models.CharField(max_length=120)
    plan_type = models.CharField(max_length=20, choices=PlanType.choices, default=PlanType.COMMERCIAL)
    esketamine_billing = models.CharField(
        "how esketamine is billed", max_length=20, choices=EsketamineBilling.choices,
        default=EsketamineBilling.PHARMACY_BENEFIT,
    )
    requires_kx_modifier = models.BooleanField(
        "add the KX modifier (REMS attested) to esketamine visit lines", default=False,
        help_text="Some payers ask for it (clinical.md §7.1).",
    )
    active = models.BooleanField(default=True)

    AUDITED_FIELDS = ("payer", "name", "plan_type", "esketamine_billing", "requires_kx_modifier", "active")

    class Meta:
        ordering = ["payer__name", "name"]
        constraints = [models.UniqueConstraint(fields=["payer", "name"], name="insurance_plan_unique_in_payer")]

    def __str__(self) -> str:
        return f"{self.payer.name} · {self.name}"


class Coverage(models.Model):
    class Priority(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"

    class Relationship(models.TextChoices):
        # CMS-1500 box 6
        SELF = "self", "Self"
        SPOUSE = "spouse", "Spouse"
        CHILD = "child", "Child"
        OTHER = "other", "Other"

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="coverages")
    plan = models.ForeignKey(InsurancePlan, on_delete=models.PROTECT, related_name="coverages")
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.PRIMARY)
    member_id = models.CharField("member id", max_length=40)
    group_number = models.CharField("group number", max_length=40, blank=True)
    subscriber_relationship = models.CharField(
        "patient's relationship to the subscriber", max_length=10, choices=Relationship.choices, default=Relationship.SELF
    )
    subscriber_first_name = models.CharField("subscriber first name", max_length=80, blank=True,
                                             help_text="Leave empty when the patient is the subscriber.")
    subscriber_last_name = models.CharField("subscriber last name", max_length=80, blank=True)
    subscriber_date_of_birth = models.DateField("subscriber date of birth", null=True, blank=True)
    effective_from = models.DateField("coverage starts", null=True, blank=True)
    effective_to = models.DateField("coverage ends", null=True, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = (
        "plan", "priority", "member_id", "group_number", "subscriber_relationship", "subscriber_first_name",
        "subscriber_last_name", "subscriber_date_of_birth", "effective_from", "effective_to", "active",
    )

    class Meta:
        ordering = ["patient", "priority", "-created_at"]
        indexes = [models.Index(fields=["patient", "active"], name="coverage_patient_active")]

    def __str__(self) -> str:
        return f"{self.plan} ({self.get_priority_display().lower()})"

    def subscriber_name(self) -> str:
        if self.subscriber_relationship == self.Relationship.SELF:
            return f"{self.patient.legal_first_name} {self.patient.legal_last_name}"
        return f"{self.subscriber_first_name} {self.subscriber_last_name}".strip()


class BenefitsCheck(models.Model):
    """What the payer said about the patient's benefits on one day (phone, portal or an eligibility check)."""

    class Method(models.TextChoices):
        PHONE = "phone", "Phone call"
        PORTAL = "portal", "Payer portal"
        ELIGIBILITY = "eligibility", "Electronic eligibility (270/271)"

    class Answer(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"
        UNKNOWN = "unknown", "Not known"

    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="benefits_checks")
    checked_on = models.DateField()
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.PHONE)
    reference = models.CharField("call or check reference", max_length=60, blank=True)
    esketamine_covered = models.CharField(max_length=8, choices=Answer.choices, default=Answer.UNKNOWN)
    iv_ketamine_covered = models.CharField(
        max_length=8, choices=Answer.choices, default=Answer.NO,
        help_text="Most payers do not cover IV ketamine for mental health (clinical.md §7.2).",
    )
    prior_auth_required = models.BooleanField("prior authorisation required for esketamine", default=True)
    deductible_cents = models.PositiveIntegerField("deductible this plan year", default=0)
    deductible_met_cents = models.PositiveIntegerField("deductible met so far", default=0)
    coinsurance_pct = models.DecimalField(
        "coinsurance (%)", max_digits=5, decimal_places=2, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    copay_cents = models.PositiveIntegerField("copay per visit", default=0)
    oop_max_cents = models.PositiveIntegerField("out-of-pocket maximum", null=True, blank=True,
                                                help_text="Empty: the plan has none or the payer did not say.")
    oop_met_cents = models.PositiveIntegerField("out-of-pocket spent so far", default=0)
    notes = models.TextField(max_length=2000, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = (
        "checked_on", "method", "reference", "esketamine_covered", "iv_ketamine_covered", "prior_auth_required",
        "deductible_cents", "deductible_met_cents", "coinsurance_pct", "copay_cents", "oop_max_cents",
        "oop_met_cents", "notes",
    )

    class Meta:
        ordering = ["coverage", "-checked_on", "-id"]

    @property
    def deductible_remaining_cents(self) -> int:
        return max(0, self.deductible_cents - self.deductible_met_cents)

    @property
    def oop_remaining_cents(self) -> int | None:
        return None if self.oop_max_cents is None else max(0, self.oop_max_cents - self.oop_met_cents)


class PriorAuthorization(models.Model):
    """Esketamine prior authorisation from request to decision. Units are counted in ``unit_code``."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Being prepared"
        SUBMITTED = "submitted", "Submitted, waiting for the payer"
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"
        APPEALED = "appealed", "Denied, appeal submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.APPEALED)
    UNIT_CODES = (("G2082", "G2082 visits"), ("G2083", "G2083 visits"), ("J0013", "J0013 mg"))

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="prior_authorizations")
    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="prior_authorizations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    unit_code = models.CharField("units counted in", max_length=5, choices=UNIT_CODES, default="G2082")
    units_requested = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    units_approved = models.PositiveIntegerField(null=True, blank=True)
    # The payer's usual questions, pre-filled from the record and editable before submission.
    diagnosis_codes = models.JSONField("diagnoses (ICD-10-CM)", default=list, blank=True)
    failed_trials = models.TextField("failed antidepressant trials", max_length=4000, blank=True)
    baseline_scores = models.TextField("baseline scores", max_length=2000, blank=True)
    clinical_summary = models.TextField("clinical summary for the payer", max_length=4000, blank=True)
    requested_on = models.DateField(default=timezone.localdate)
    submitted_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField("expires after", null=True, blank=True)
    payer_reference = models.CharField("authorisation number", max_length=60, blank=True)
    denial_reason = models.TextField(max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = (
        "status", "unit_code", "units_requested", "units_approved", "diagnosis_codes", "failed_trials",
        "baseline_scores", "clinical_summary", "requested_on", "submitted_on", "decided_on", "valid_from",
        "valid_to", "payer_reference", "denial_reason",
    )

    class Meta:
        ordering = ["patient", "-requested_on", "-id"]
        indexes = [models.Index(fields=["patient", "status"], name="prior_auth_patient_status")]

    def __str__(self) -> str:
        return f"Prior authorisation {self.payer_reference or self.pk} ({self.get_status_display().lower()})"

    def is_in_force(self, on) -> bool:
        return (
            self.status == self.Status.APPROVED
            and self.valid_from is not None and self.valid_to is not None
            and self.valid_from <= on <= self.valid_to
        )


class SavingsEnrollment(models.Model):
    """The patient's enrolment in the manufacturer's savings programme (for SPRAVATO: Janssen CarePath)."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="savings_enrollments")
    program = models.CharField(max_length=80, default="Janssen CarePath (SPRAVATO)")
    enrollment_id = models.CharField("programme member id", max_length=40, blank=True)
    enrolled_on = models.DateField()
    benefit_year = models.PositiveSmallIntegerField("calendar year", validators=[MinValueValidator(2019)])
    # clinical.md §3.9 [35]: "$10 per treatment", "$7,150 maximum program benefit per calendar year";
    # terms change yearly, so both are kept on the enrolment and editable.
    patient_pays_per_treatment_cents = models.PositiveIntegerField(
        "patient still pays per treatment", default=pricing.SPRAVATO_CAREPATH_PATIENT_PAYS_PER_TREATMENT_CENTS
    )
    yearly_max_benefit_cents = models.PositiveIntegerField(
        "yearly maximum benefit", default=pricing.SPRAVATO_CAREPATH_YEARLY_MAX_BENEFIT_CENTS
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    AUDITED_FIELDS = ("program", "enrollment_id", "enrolled_on", "benefit_year", "patient_pays_per_treatment_cents",
                      "yearly_max_benefit_cents", "active")

    class Meta:
        ordering = ["patient", "-benefit_year", "-id"]
        constraints = [models.UniqueConstraint(fields=["patient", "program", "benefit_year"],
                                               name="savings_enrollment_once_a_year")]


class PatientBillingInfo(models.Model):
    """The diagnoses billed for the patient (CMS-1500 box 21), kept by billing with the physician's coding."""

    patient = models.OneToOneField(Patient, on_delete=models.PROTECT, related_name="billing_info")
    diagnosis_codes = models.JSONField("diagnoses (ICD-10-CM, in claim order)", default=list, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    AUDITED_FIELDS = ("diagnosis_codes",)
