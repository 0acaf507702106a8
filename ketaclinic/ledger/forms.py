"""Forms for the ledger pages: they parse input; every rule lives in the services."""

import datetime as dt

from django import forms
from django.utils import timezone

from ketaclinic.accounts.models import Clinic
from ketaclinic.ledger.models import Count, DrugProduct, Entry, Supplier
from ketaclinic.patients.models import Patient
from ketaclinic.visits.models import DoseAdministration, Visit

AMOUNT_HELP = "Read the syringe to 0.01 mL; the mg are worked out from the vial's strength."


def _decimal(label, help_text="", required=False, places=2):
    return forms.DecimalField(
        label=label, required=required, min_value=0, decimal_places=places, help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class WitnessMixin(forms.Form):
    """The second person types their own credentials here, on the same screen; the browser must not fill them."""

    witness_username = forms.CharField(
        label="Witness user name", max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        help_text="A physician, RN or CRNA of this clinic, not you.",
    )
    witness_password = forms.CharField(
        label="Witness password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Typed by the witness. It signs this record and does not sign you out.",
    )


class ProductForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="For example Ketamine HCl injection or SPRAVATO (esketamine).")
    ndc = forms.CharField(label="NDC", max_length=13, help_text="As on the box, e.g. 42023-113-10.")
    form = forms.ChoiceField(choices=DrugProduct.Form.choices)
    concentration_mg_per_ml = _decimal("Concentration (mg/mL)", "Vials only: 10, 50 or 100 mg/mL for Ketalar.", places=1)
    container_volume_ml = _decimal("Volume per vial (mL)", "Vials only.")
    manufacturer = forms.CharField(max_length=120)


class ReceiptForm(forms.Form):
    product = forms.ModelChoiceField(queryset=DrugProduct.objects.all(), empty_label="Choose a product")
    received_on = forms.DateField(label="Date received", widget=forms.DateInput(attrs={"type": "date"}))
    supplier_id = forms.ModelChoiceField(
        queryset=Supplier.objects.none(), required=False, label="Supplier", empty_label="A new supplier (fill in below)",
    )
    supplier_name = forms.CharField(label="Supplier name", max_length=120, required=False)
    supplier_address = forms.CharField(label="Supplier address", max_length=250, required=False)
    supplier_dea_number = forms.CharField(label="Supplier DEA number", max_length=9, required=False, help_text="Two letters and seven digits.")
    invoice_number = forms.CharField(label="Invoice or packing-slip number", max_length=60)
    lot_number = forms.CharField(label="Lot", max_length=40)
    expires_on = forms.DateField(label="Expiry date", widget=forms.DateInput(attrs={"type": "date"}))
    containers_received = forms.IntegerField(label="Vials or devices received", min_value=1, max_value=200)
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier_id"].queryset = Supplier.objects.filter(clinic=clinic)
        self.fields["received_on"].initial = timezone.localdate(timezone=clinic.tz)

    def clean_supplier_id(self):
        supplier = self.cleaned_data.get("supplier_id")
        return supplier.pk if supplier else None


class DrawForm(forms.Form):
    visit = forms.ModelChoiceField(
        queryset=Visit.objects.none(), required=False, empty_label="Not for a visit under way",
        help_text="The session in the chair; its patient is drawn for.",
    )
    patient = forms.ModelChoiceField(queryset=Patient.objects.none(), required=False, empty_label="Choose the patient",
                                     help_text="Only when the draw is not for a visit under way.")
    amount_ml = _decimal("Amount drawn (mL)", AMOUNT_HELP, required=True)
    ordered_dose_mg = _decimal("Ordered dose (mg)", "From the order or the dose calculation; optional.", places=3)
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, clinic: Clinic, liquid: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].queryset = Patient.objects.filter(clinic=clinic).order_by("legal_last_name", "legal_first_name")
        self.fields["patient"].label_from_instance = lambda p: f"{p.legal_last_name}, {p.legal_first_name} · {p.mrn}"
        self.fields["visit"].queryset = (
            Visit.objects.filter(clinic=clinic, status__in=Visit.OPEN_STATUSES).select_related("patient").order_by("chair", "pk")
        )
        self.fields["visit"].label_from_instance = lambda v: (
            f"{v.chair or 'No chair'}: {v.patient.legal_last_name}, {v.patient.legal_first_name} ({v.get_route_display()})"
        )
        if not liquid:
            del self.fields["amount_ml"]
            self.fields["amount_mg"] = forms.DecimalField(
                label="Amount (mg)", min_value=28, help_text="Devices are whole: 28 mg each.", initial=28,
            )


class AdministerForm(forms.Form):
    dose = forms.ModelChoiceField(
        label="Dose record", queryset=DoseAdministration.objects.none(), required=False, empty_label="No dose record",
        help_text="The visit's dose record this administration fulfils.",
    )
    amount_ml = _decimal("Amount given (mL)", "Leave as shown to record everything drawn as given.", required=True)

    def __init__(self, *args, liquid: bool = True, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        if visit is None:
            del self.fields["dose"]
        else:
            self.fields["dose"].queryset = visit.doses.exclude(status=DoseAdministration.Status.VOIDED).order_by("-pk")
            self.fields["dose"].label_from_instance = lambda d: f"{d.dose_mg.normalize():f} mg" + (
                f" in {d.volume_ml.normalize():f} mL" if d.volume_ml else "") + f", lot {d.lot_number}"
        if not liquid:
            del self.fields["amount_ml"]
            self.fields["amount_mg"] = forms.DecimalField(label="Amount given (mg)", min_value=0)


class WasteForm(WitnessMixin):
    amount_ml = _decimal("Amount wasted (mL)", "Leave empty to waste everything left.")
    method = forms.ChoiceField(label="Waste method", choices=[("", "Choose how")] + Entry.WasteMethod.choices)
    note = forms.CharField(max_length=250, required=False)

    field_order = ["amount_ml", "method", "note", "witness_username", "witness_password"]


class ReturnForm(forms.Form):
    counterparty = forms.CharField(label="Returned to (supplier)", max_length=250)
    note = forms.CharField(max_length=250, required=False)


class DisposeForm(forms.Form):
    counterparty = forms.CharField(label="Reverse distributor", max_length=250)
    dea_form_reference = forms.CharField(label="DEA Form 41 or distributor's record number", max_length=60)
    note = forms.CharField(max_length=250, required=False)


class LossForm(forms.Form):
    amount_ml = _decimal("Amount missing (mL)", "Leave empty if the whole container is missing.")
    dea_form_reference = forms.CharField(label="DEA Form 106 reference", max_length=60,
                                         help_text="File Form 106 with the DEA field office on discovering a significant theft or loss.")
    note = forms.CharField(label="What happened", max_length=250)


class TransferForm(forms.Form):
    to_clinic = forms.ModelChoiceField(queryset=Clinic.objects.none(), label="To clinic", empty_label="Choose a clinic")
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, clinics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_clinic"].queryset = clinics


class ReverseForm(forms.Form):
    note = forms.CharField(label="Why is this entry reversed?", max_length=250,
                           help_text="The original stays in the ledger; the reversal points to it.")


class CountForm(WitnessMixin):
    kind = forms.ChoiceField(choices=Count.Kind.choices, initial=Count.Kind.CLOSING)
    business_time = forms.ChoiceField(
        label="Taken at", choices=[("", "—")] + Count.BusinessTime.choices, required=False,
        help_text="Inventories only (21 CFR 1304.11): the opening or the close of business.",
    )
    note = forms.CharField(max_length=250, required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.products = list(products)
        for p in self.products:
            self.fields[f"sealed_counted_{p.pk}"] = forms.IntegerField(label=f"Sealed {p.unit_label}s", min_value=0)
            if p.liquid:
                self.fields[f"open_counted_{p.pk}"] = forms.IntegerField(label="Opened vials", min_value=0, initial=0)
                self.fields[f"open_ml_counted_{p.pk}"] = _decimal("mL left in opened vials")
                self.fields[f"estimated_{p.pk}"] = forms.BooleanField(label="Opened vials estimated", required=False)

    def product_rows(self):
        return [(p, [self[n] for n in self.fields if n.endswith(f"_{p.pk}")]) for p in self.products]

    def lines(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"product_id": p.pk, "sealed_counted": d.get(f"sealed_counted_{p.pk}"), "open_counted": d.get(f"open_counted_{p.pk}"),
             "open_ml_counted": d.get(f"open_ml_counted_{p.pk}"), "estimated": d.get(f"estimated_{p.pk}", False)}
            for p in self.products
        ]


class ResolveForm(forms.Form):
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="What happened, what was checked, what was done. Signed with your name.")
    loss_entry = forms.ModelChoiceField(queryset=Entry.objects.none(), required=False, label="Loss entry (if the stock is missing)")

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loss_entry"].queryset = Entry.objects.filter(clinic=clinic, kind="loss", reverses__isnull=True)


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate(timezone=clinic.tz)
        self.fields["start"].initial = today.replace(day=1) if today.day > 1 else (today - dt.timedelta(days=1)).replace(day=1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end is before the start.")
        if data.get("start") and data.get("end") and (data["end"] - data["start"]).days > 800:
            self.add_error("end", "Choose a period of at most two years (the retention period, 21 CFR 1304.04).")
        return data


class SettingsForm(forms.Form):
    low_stock_containers = forms.IntegerField(label="Warn when usable containers are at or below", min_value=0, max_value=500)
    expiry_warning_days = forms.IntegerField(label="Warn this many days before expiry", min_value=0, max_value=365)
