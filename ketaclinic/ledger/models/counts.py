"""Physical counts by two people, expected against counted, and the discrepancy cases they open."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models.base import AppendOnlyModel
from ketaclinic.ledger.models.entries import Entry
from ketaclinic.ledger.models.stock import MG, ML, DrugProduct


class Count(AppendOnlyModel):
    class Kind(models.TextChoices):
        OPENING = "opening", "Opening count"
        CLOSING = "closing", "Closing count"
        # 21 CFR 1304.11: an initial inventory on first handling controlled substances, then a complete count at
        # least every two years, recording the date and whether at the opening or close of business (§8 [63]).
        INITIAL = "initial", "Initial inventory"
        BIENNIAL = "biennial", "Biennial inventory"

    class BusinessTime(models.TextChoices):
        OPENING = "opening", "At the opening of business"
        CLOSE = "close", "At the close of business"

    INVENTORIES = (Kind.INITIAL, Kind.BIENNIAL)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_counts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    business_time = models.CharField(max_length=10, choices=BusinessTime.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    counted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    counted_by_label = models.CharField(max_length=150)
    witness = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", help_text="The second person who counted.")
    witness_label = models.CharField(max_length=150)
    note = models.CharField(max_length=250, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(witness=F("counted_by")), name="ledger_count_two_people"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class CountLine(AppendOnlyModel):
    """One product in a count. Opened Schedule III containers may be estimated (21 CFR 1304.11; §8), and
    ``estimated`` says so on the record."""

    count = models.ForeignKey(Count, on_delete=models.PROTECT, related_name="lines")
    product = models.ForeignKey(DrugProduct, on_delete=models.PROTECT, related_name="+")
    expected_sealed = models.PositiveIntegerField()
    expected_open = models.PositiveIntegerField()
    expected_mg = models.DecimalField(**MG)
    expected_ml = models.DecimalField(null=True, blank=True, **ML)
    sealed_counted = models.PositiveIntegerField("sealed containers counted")
    open_counted = models.PositiveIntegerField("opened containers counted", default=0)
    open_ml_counted = models.DecimalField("mL left in opened containers", null=True, blank=True, **ML)
    estimated = models.BooleanField("opened containers estimated", default=False)
    counted_mg = models.DecimalField(**MG)
    counted_ml = models.DecimalField(null=True, blank=True, **ML)
    variance_mg = models.DecimalField(**MG)
    variance_ml = models.DecimalField(null=True, blank=True, **ML)

    class Meta:
        ordering = ["product__name"]
        constraints = [
            models.UniqueConstraint(fields=["count", "product"], name="ledger_countline_unique_product"),
            models.CheckConstraint(condition=Q(variance_mg=F("counted_mg") - F("expected_mg")), name="ledger_countline_variance"),
        ]

    @property
    def expected(self) -> ledger.Quantity:
        return ledger.Quantity(self.expected_mg, self.expected_ml)

    @property
    def counted(self) -> ledger.Quantity:
        return ledger.Quantity(self.counted_mg, self.counted_ml)

    @property
    def variance(self) -> ledger.Quantity:
        return ledger.Quantity(self.variance_mg, self.variance_ml)

    @property
    def has_variance(self) -> bool:
        return not self.variance.is_zero or self.sealed_counted != self.expected_sealed

    def describe(self, amount: ledger.Quantity) -> str:
        return ledger.describe(amount, self.product.mg_per_container)


class DiscrepancyCase(AppendOnlyModel):
    """Opened by a count whose counted amount differs from the ledger; open until a physician resolves it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_cases")
    count_line = models.OneToOneField(CountLine, on_delete=models.PROTECT, related_name="case")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"Discrepancy case #{self.pk}"

    @property
    def is_open(self) -> bool:
        return not hasattr(self, "resolution")


class CaseResolution(AppendOnlyModel):
    case = models.OneToOneField(DiscrepancyCase, on_delete=models.PROTECT, related_name="resolution")
    resolved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    resolved_by_label = models.CharField(max_length=150)
    resolved_at = models.DateTimeField(default=timezone.now)
    explanation = models.TextField(help_text="What happened, what was checked, and what was done.")
    loss_entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The loss entry (with its DEA Form 106 reference) if the stock is truly missing.",
    )

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(explanation=""), name="ledger_resolution_explained")]
