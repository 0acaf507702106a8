"""A clinic's billing settings and its versioned price lists.

A price list is never edited once saved: a change is a new version with its own ``effective_from``,
and the version in force on a date is the latest one that has started by then. Charges copy the price
they were made with, so a later version never changes an old bill.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.billing.codes import PLACE_OF_SERVICE_OFFICE
from ketaclinic.clinical import pricing

PAYMENT_TERMS_MAX_DAYS = 120  # input sanity bound for "due in N days"
DEFAULT_PAYMENT_TERMS_DAYS = 30  # [UNSOURCED – common practice] clinic-editable


class BillingProfile(models.Model):
    """Per-clinic billing settings. Made on first use with the defaults below."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="billing_profile")
    publish_prices = models.BooleanField(
        "publish prices on the public site", default=False,
        help_text="Shows the current price list in the clinic directory and the public cost estimator.",
    )
    financing_options = models.TextField(
        "financing options", max_length=1000, blank=True,
        help_text="What patients can use to spread the cost, in plain words (e.g. a medical credit card, "
                  "in-house payment plans). Shown with estimates.",
    )
    payment_terms_days = models.PositiveSmallIntegerField(
        "invoices due after (days)", default=DEFAULT_PAYMENT_TERMS_DAYS,
        validators=[MaxValueValidator(PAYMENT_TERMS_MAX_DAYS)],
    )
    place_of_service = models.CharField(
        "place of service code", max_length=2, default=PLACE_OF_SERVICE_OFFICE,
        help_text="CMS place-of-service code for claims; 11 is an office.",
    )
    ketamine_ndc = models.CharField(
        "ketamine NDC (11-digit, 5-4-2)", max_length=13, blank=True,
        help_text="Put on J3490 lines so payers know the drug, e.g. 00000-0000-00 from your vial's label.",
    )
    esketamine_ndc = models.CharField("esketamine NDC (11-digit, 5-4-2)", max_length=13, blank=True)
    invoice_next = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    AUDITED_FIELDS = (
        "publish_prices", "financing_options", "payment_terms_days", "place_of_service", "ketamine_ndc",
        "esketamine_ndc",
    )

    def __str__(self) -> str:
        return f"Billing settings of {self.clinic}"


def _price(label: str, help_text: str = "") -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, null=True, blank=True, help_text=help_text or "Empty: not offered.")


class PriceList(models.Model):
    """One version of a clinic's self-pay prices, in integer cents."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="price_lists")
    effective_from = models.DateField("in force from")
    consultation_cents = _price("consultation")
    iv_infusion_cents = _price("IV infusion (each)")
    induction_package_price_cents = _price(
        "six-infusion induction package price", "A fixed price for the whole induction. Or give a discount below."
    )
    induction_package_discount_pct = models.DecimalField(
        "induction package discount (%)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="Off six times the infusion price. Give a package price or a discount, not both.",
    )
    induction_package_infusions = models.PositiveSmallIntegerField(
        "infusions in the package", default=pricing.IV_INDUCTION_INFUSIONS,  # clinical.md §1.2
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    booster_cents = _price("booster infusion")
    esketamine_session_cents = _price(
        "esketamine session (dosing and 2-hour observation)",
        "The clinic's fee for the visit; the medication is billed through the pharmacy benefit or per mg below.",
    )
    esketamine_drug_per_mg_cents = _price(
        "esketamine medication, per mg (buy-and-bill)",
        "Only when the clinic buys the medication and bills it (J0013 per 1 mg). Empty: the pharmacy supplies it.",
    )
    iv_drug_charge_cents = models.PositiveIntegerField(
        "part of the infusion price billed as the drug (J3490)", default=0,
        help_text="For superbills: this much of each infusion is shown on the drug line, the rest on the infusion line.",
    )
    psychotherapy_preparation_cents = _price("preparation session (psychotherapy)")
    psychotherapy_integration_cents = _price("integration session (psychotherapy)")
    psychotherapy_cents = _price("psychotherapy session")
    cancellation_fee_cents = _price("late cancellation or missed visit fee")
    note = models.CharField("what changed", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    # Which field prices which session type of the estimator (ketaclinic.clinical.pricing).
    SESSION_FIELDS = {
        pricing.CONSULTATION: "consultation_cents",
        pricing.IV_INFUSION: "iv_infusion_cents",
        pricing.BOOSTER: "booster_cents",
        pricing.ESKETAMINE_SESSION: "esketamine_session_cents",
        pricing.PSYCHOTHERAPY_PREPARATION: "psychotherapy_preparation_cents",
        pricing.PSYCHOTHERAPY_INTEGRATION: "psychotherapy_integration_cents",
        pricing.PSYCHOTHERAPY: "psychotherapy_cents",
        pricing.CANCELLATION_FEE: "cancellation_fee_cents",
    }
    PRICE_FIELDS = (
        *SESSION_FIELDS.values(), "induction_package_price_cents", "esketamine_drug_per_mg_cents",
        "iv_drug_charge_cents",
    )
    AUDITED_FIELDS = (
        "effective_from", *PRICE_FIELDS, "induction_package_discount_pct", "induction_package_infusions", "note",
    )

    class Meta:
        ordering = ["clinic", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "effective_from"], name="price_list_one_per_day"),
            models.CheckConstraint(
                condition=Q(induction_package_price_cents__isnull=True) | Q(induction_package_discount_pct__isnull=True),
                name="price_list_package_price_or_discount",
            ),
        ]

    def __str__(self) -> str:
        return f"Prices from {self.effective_from:%m/%d/%Y}"

    def price_cents(self, session_type: str) -> int | None:
        field = self.SESSION_FIELDS.get(session_type)
        return getattr(self, field) if field else None

    @property
    def has_package(self) -> bool:
        return self.induction_package_price_cents is not None or self.induction_package_discount_pct is not None
