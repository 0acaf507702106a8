"""Drug products, the clinic's locked cabinet, suppliers, receipts, containers and per-clinic stock.

``Container`` and ``Stock`` hold the *current* balance of a vial and of a clinic's product: caches the one ledger
service updates while holding their row locks. The history is ``Entry`` (append-only); a test replays it.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User, dea_validator
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models.base import AppendOnlyModel

# NDC in its 10-digit labeler-product-package form: 4-4-2, 5-3-2 or 5-4-1 (FDA). clinical.md §3.3 and §8 use it.
ndc_validator = RegexValidator(
    r"^(\d{4}-\d{4}-\d{2}|\d{5}-\d{3}-\d{2}|\d{5}-\d{4}-\d{1})$", "An NDC looks like 50458-028-02 (10 digits, 4-4-2, 5-3-2 or 5-4-1)."
)
# Clinic-editable defaults, [UNSOURCED – common practice]: no source in clinical.md sets them.
LOW_STOCK_CONTAINERS_DEFAULT = 2
EXPIRY_WARNING_DAYS_DEFAULT = 30
MG = dict(max_digits=12, decimal_places=3)
ML = dict(max_digits=9, decimal_places=2)


class DrugProduct(models.Model):
    """The drug master (clinical.md §8 "per-vial log: suggested fields"). Never edited once used: add a new product."""

    class Form(models.TextChoices):
        VIAL = "vial", "Vial (injection)"
        NASAL_DEVICE = "nasal_device", "Nasal spray device"

    class Schedule(models.TextChoices):
        CIII = "CIII", "Schedule III"  # ketamine and esketamine, clinical.md §8 [62][20]

    name = models.CharField(max_length=120, help_text="For example Ketamine HCl injection or SPRAVATO (esketamine).")
    ndc = models.CharField("NDC", max_length=13, unique=True, validators=[ndc_validator])
    form = models.CharField(max_length=20, choices=Form.choices)
    concentration_mg_per_ml = models.DecimalField(
        "concentration (mg/mL)", max_digits=6, decimal_places=1, null=True, blank=True,
        help_text="Vials only. Ketalar comes in 10, 50 and 100 mg/mL.",
    )
    container_volume_ml = models.DecimalField("volume per vial (mL)", null=True, blank=True, **ML, help_text="Vials only.")
    mg_per_container = models.DecimalField("mg per container", **MG, help_text="A vial: concentration × volume. A device: 28 mg.")
    manufacturer = models.CharField(max_length=120)
    dea_schedule = models.CharField("DEA schedule", max_length=4, choices=Schedule.choices, default=Schedule.CIII)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "concentration_mg_per_ml"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(form="vial", concentration_mg_per_ml__gt=0, container_volume_ml__gt=0)
                    | Q(form="nasal_device", concentration_mg_per_ml__isnull=True, container_volume_ml__isnull=True)
                ),
                name="ledger_product_form_amounts",
            ),
            models.CheckConstraint(condition=Q(mg_per_container__gt=0), name="ledger_product_mg_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.strength_label}"

    @property
    def liquid(self) -> bool:
        return self.form == self.Form.VIAL

    @property
    def pure(self) -> ledger.Product:
        if self.liquid:
            return ledger.Product(concentration_mg_per_ml=self.concentration_mg_per_ml, container_volume_ml=self.container_volume_ml)
        return ledger.Product(mg_per_unit=self.mg_per_container)

    @property
    def strength_label(self) -> str:
        if self.liquid:
            return f"{self.concentration_mg_per_ml.normalize():f} mg/mL, {self.container_volume_ml.normalize():f} mL vial"
        return f"{self.mg_per_container.normalize():f} mg nasal device"

    @property
    def unit_label(self) -> str:
        return "vial" if self.liquid else "device"


class StorageLocation(models.Model):
    """Where controlled substances are kept: a securely locked, substantially constructed cabinet (21 CFR 1301.75(b); §8)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_locations")
    name = models.CharField(max_length=80, default="Locked cabinet")
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="ledger_location_unique_name")]

    def __str__(self) -> str:
        return self.name


class Supplier(AppendOnlyModel):
    """A distributor as written on a receipt (21 CFR 1304.22(c): name, address and DEA number; §8)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_suppliers")
    name = models.CharField("supplier name", max_length=120)
    address = models.CharField("supplier address", max_length=250)
    dea_number = models.CharField("supplier DEA number", max_length=9, validators=[dea_validator])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "dea_number", "name", "address"], name="ledger_supplier_unique")]

    def __str__(self) -> str:
        return f"{self.name} (DEA {self.dea_number})"


class Receipt(AppendOnlyModel):
    """One delivery of one product and lot (21 CFR 1304.22(c); clinical.md §8 "Receipt records")."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_receipts")
    product = models.ForeignKey(DrugProduct, on_delete=models.PROTECT, related_name="receipts")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="receipts")
    received_on = models.DateField("date received")
    invoice_number = models.CharField("invoice or packing-slip number", max_length=60)
    lot_number = models.CharField("lot", max_length=40)
    expires_on = models.DateField("expiry date")
    containers_received = models.PositiveIntegerField("containers received", validators=[MinValueValidator(1)])
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(StorageLocation, on_delete=models.PROTECT, related_name="receipts")
    note = models.CharField(max_length=250, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(containers_received__gte=1), name="ledger_receipt_containers_positive")]

    def __str__(self) -> str:
        return f"{self.containers_received} × {self.product} lot {self.lot_number}"


class Stock(models.Model):
    """A clinic's current balance of one product (the cabinet), the row every movement of that product locks."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_stock")
    product = models.ForeignKey(DrugProduct, on_delete=models.PROTECT, related_name="stock")
    balance_mg = models.DecimalField(default=Decimal("0"), **MG)
    balance_ml = models.DecimalField(null=True, blank=True, **ML)
    seq = models.PositiveIntegerField(default=0, help_text="Number of the last entry on this stock.")
    low_stock_containers = models.PositiveIntegerField(
        "warn when usable containers are at or below", default=LOW_STOCK_CONTAINERS_DEFAULT,
        help_text="A clinic-editable default with no published source.",
    )
    expiry_warning_days = models.PositiveIntegerField(
        "warn this many days before expiry", default=EXPIRY_WARNING_DAYS_DEFAULT,
        help_text="A clinic-editable default with no published source.",
    )

    class Meta:
        ordering = ["product__name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "product"], name="ledger_stock_unique"),
            models.CheckConstraint(condition=Q(balance_mg__gte=0), name="ledger_stock_mg_not_negative"),
            models.CheckConstraint(condition=Q(balance_ml__isnull=True) | Q(balance_ml__gte=0), name="ledger_stock_ml_not_negative"),
        ]

    @property
    def quantity(self) -> ledger.Quantity:
        return ledger.Quantity(self.balance_mg, self.balance_ml)


class Container(models.Model):
    """One vial or device. Its balance and status are caches of its entries, updated under its row lock."""

    class Status(models.TextChoices):
        SEALED = "sealed", "Sealed"
        OPEN = "open", "Open"
        EMPTY = "empty", "Empty"
        EXPIRED = "expired", "Expired, disposed"
        RETURNED = "returned", "Returned"
        LOST = "lost", "Lost or stolen"
        VOIDED = "voided", "Receipt reversed"

    USABLE = (Status.SEALED, Status.OPEN)

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_containers", help_text="Where it is now.")
    product = models.ForeignKey(DrugProduct, on_delete=models.PROTECT, related_name="containers")
    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="containers")
    number = models.PositiveIntegerField(help_text="1, 2, 3… within its receipt.")
    label = models.CharField(max_length=40, unique=True, help_text="Written on the vial: clinic prefix, receipt and number.")
    lot_number = models.CharField("lot", max_length=40)
    expires_on = models.DateField("expiry date")
    location = models.ForeignKey(StorageLocation, on_delete=models.PROTECT, related_name="containers")
    full_mg = models.DecimalField(**MG)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SEALED)
    balance_mg = models.DecimalField(**MG)
    balance_ml = models.DecimalField(null=True, blank=True, **ML)
    seq = models.PositiveIntegerField(default=0, help_text="Number of the last entry on this container.")
    opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["expires_on", "label"]
        indexes = [models.Index(fields=["clinic", "status", "expires_on"], name="ledger_container_usable")]
        constraints = [
            models.UniqueConstraint(fields=["receipt", "number"], name="ledger_container_unique_number"),
            models.CheckConstraint(condition=Q(balance_mg__gte=0), name="ledger_container_mg_not_negative"),
            models.CheckConstraint(condition=Q(balance_mg__lte=F("full_mg")), name="ledger_container_mg_at_most_full"),
            models.CheckConstraint(
                condition=Q(balance_ml__isnull=True) | Q(balance_ml__gte=0), name="ledger_container_ml_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def quantity(self) -> ledger.Quantity:
        return ledger.Quantity(self.balance_mg, self.balance_ml)

    @property
    def usable(self) -> bool:
        return self.status in self.USABLE

    @property
    def balance_label(self) -> str:
        return ledger.describe(self.quantity, self.product.mg_per_container)
