"""The ledger itself: one append-only row per movement, with the running balances it left behind."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from ketaclinic.accounts.models import Clinic, User
from ketaclinic.clinical import ledger
from ketaclinic.ledger.models.base import AppendOnlyModel
from ketaclinic.ledger.models.stock import MG, ML, Container, DrugProduct, Stock


class Entry(AppendOnlyModel):
    """A movement of one container. ``amount`` is always positive; the kind says which way it moves (see
    ``ketaclinic.clinical.ledger.EFFECTS``), and an entry that ``reverses`` another applies the opposite effect.

    ``container_seq`` and ``stock_seq`` number the entries of the container and of the clinic's stock without gaps;
    their unique constraints make two writers that read the same balance collide instead of both succeeding.
    """

    class Kind(models.TextChoices):
        RECEIVE = "receive", "Received"
        OPEN = "open", "Opened"
        DRAW = "draw", "Drawn"
        ADMINISTER = "administer", "Administered"
        WASTE = "waste", "Wasted"
        RETURN = "return", "Returned to supplier"
        EXPIRE = "expire", "Expired, disposed"
        TRANSFER_OUT = "transfer_out", "Transferred out"
        TRANSFER_IN = "transfer_in", "Transferred in"
        LOSS = "loss", "Lost or stolen"

    class WasteSource(models.TextChoices):
        SYRINGE = "syringe", "Left in the syringe after the dose"
        CONTAINER = "container", "Left in the vial"

    class WasteMethod(models.TextChoices):
        # How wastage is made unrecoverable; which methods a clinic accepts is state and institutional practice
        # (clinical.md §8: the witness and method are [UNVERIFIED as federal]).
        DRUG_DISPOSAL_SYSTEM = "disposal_system", "Drug disposal system (e.g. activated-charcoal container)"
        SINK_WITH_WITNESS = "sink", "Sink, with witness"
        SHARPS_WITH_DENATURANT = "denaturant", "Sharps container with denaturant"
        OTHER = "other", "Other (describe in the note)"

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="ledger_entries")
    product = models.ForeignKey(DrugProduct, on_delete=models.PROTECT, related_name="entries")
    container = models.ForeignKey(Container, on_delete=models.PROTECT, related_name="entries")
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    waste_source = models.CharField(max_length=10, choices=WasteSource.choices, blank=True)
    amount_mg = models.DecimalField(**MG)
    amount_ml = models.DecimalField(null=True, blank=True, **ML)

    container_seq = models.PositiveIntegerField()
    container_balance_mg = models.DecimalField("container balance (mg)", **MG)
    container_balance_ml = models.DecimalField("container balance (mL)", null=True, blank=True, **ML)
    stock_seq = models.PositiveIntegerField()
    stock_balance_mg = models.DecimalField("clinic balance (mg)", **MG)
    stock_balance_ml = models.DecimalField("clinic balance (mL)", null=True, blank=True, **ML)

    draw = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="uses",
        help_text="For an administration, a syringe waste or a draw's reversal: the draw it belongs to.",
    )
    draw_balance_mg = models.DecimalField("left in the syringe (mg)", null=True, blank=True, **MG)
    draw_balance_ml = models.DecimalField("left in the syringe (mL)", null=True, blank=True, **ML)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
        help_text="The entry this one undoes; an entry can be reversed once.",
    )
    transfer_peer = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="On a transfer in: the transfer out at the other clinic.",
    )

    patient = models.ForeignKey("patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries")
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries",
        help_text="The session a draw was for; its administrations and wastes inherit it.",
    )
    dose = models.ForeignKey(
        "visits.DoseAdministration", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries",
        help_text="On an administration: the visit's dose record (patient, date, amount).",
    )
    ordered_dose_mg = models.DecimalField("ordered dose (mg)", null=True, blank=True, **MG)
    waste_method = models.CharField(max_length=20, choices=WasteMethod.choices, blank=True)
    counterparty = models.CharField(
        max_length=250, blank=True, help_text="Supplier or reverse distributor for a return or disposal; clinic for a transfer."
    )
    dea_form_reference = models.CharField(
        "DEA form reference", max_length=60, blank=True,
        help_text="Form 106 for a theft or loss; Form 41 or the reverse distributor's record for a disposal (clinical.md §8).",
    )
    note = models.CharField(max_length=250, blank=True)

    at = models.DateTimeField(default=timezone.now, db_index=True, help_text="When it happened.")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    actor_label = models.CharField(max_length=150, help_text="Name and credentials at the time.")
    witness = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    witness_label = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["clinic", "at"], name="ledger_entry_clinic_at"),
            models.Index(fields=["clinic", "product", "at"], name="ledger_entry_product_at"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["container", "container_seq"], name="ledger_entry_container_seq"),
            models.UniqueConstraint(fields=["stock", "stock_seq"], name="ledger_entry_stock_seq"),
            models.CheckConstraint(condition=Q(container_balance_mg__gte=0), name="ledger_entry_container_mg_not_negative"),
            models.CheckConstraint(
                condition=Q(container_balance_ml__isnull=True) | Q(container_balance_ml__gte=0),
                name="ledger_entry_container_ml_not_negative",
            ),
            models.CheckConstraint(condition=Q(stock_balance_mg__gte=0), name="ledger_entry_stock_mg_not_negative"),
            models.CheckConstraint(
                condition=Q(stock_balance_ml__isnull=True) | Q(stock_balance_ml__gte=0), name="ledger_entry_stock_ml_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(draw_balance_mg__isnull=True) | Q(draw_balance_mg__gte=0), name="ledger_entry_draw_mg_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(draw_balance_ml__isnull=True) | Q(draw_balance_ml__gte=0), name="ledger_entry_draw_ml_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(kind="open", amount_mg=0) | (~Q(kind="open") & Q(amount_mg__gt=0)), name="ledger_entry_amount_positive"
            ),
            # Administered or wasted from a syringe: always against a draw, which keeps its balance.
            models.CheckConstraint(
                condition=~(Q(kind="administer") | Q(kind="waste", waste_source="syringe"))
                | Q(draw__isnull=False, draw_balance_mg__isnull=False),
                name="ledger_entry_use_has_draw",
            ),
            models.CheckConstraint(
                condition=~Q(kind="draw") | Q(draw_balance_mg__isnull=False), name="ledger_entry_draw_keeps_balance"
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["draw", "administer"]) | Q(patient__isnull=False), name="ledger_entry_dose_has_patient"
            ),
            models.CheckConstraint(
                condition=~Q(kind="waste") | ~Q(waste_source=""), name="ledger_entry_waste_has_source"
            ),
            # A waste is witnessed by a second person (clinical.md §8); so is its reversal's original, not the reversal.
            models.CheckConstraint(
                condition=~Q(kind="waste", reverses__isnull=True) | Q(witness__isnull=False), name="ledger_entry_waste_witnessed"
            ),
            models.CheckConstraint(
                condition=Q(witness__isnull=True) | ~Q(witness=F("actor")), name="ledger_entry_witness_not_actor"
            ),
            models.CheckConstraint(
                condition=~Q(kind="loss", reverses__isnull=True) | ~Q(dea_form_reference=""), name="ledger_entry_loss_form_106"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.amount_label}"

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def sign(self) -> int:
        return -1 if self.is_reversal else 1

    @property
    def amount(self) -> ledger.Quantity:
        return ledger.Quantity(self.amount_mg, self.amount_ml)

    @property
    def movement(self) -> ledger.Movement:
        return ledger.Movement(ledger.Kind(self.kind), self.amount, self.sign, self.waste_source or None)

    @property
    def amount_label(self) -> str:
        return ledger.describe(self.amount, self.product.mg_per_container)

    @property
    def container_balance(self) -> ledger.Quantity:
        return ledger.Quantity(self.container_balance_mg, self.container_balance_ml)

    @property
    def stock_balance(self) -> ledger.Quantity:
        return ledger.Quantity(self.stock_balance_mg, self.stock_balance_ml)

    @property
    def draw_balance(self) -> ledger.Quantity | None:
        if self.draw_balance_mg is None:
            return None
        return ledger.Quantity(self.draw_balance_mg, self.draw_balance_ml)

    @property
    def label(self) -> str:
        return f"Reversal of {self.get_kind_display().lower()}" if self.is_reversal else self.get_kind_display()
