"""Billing forms. Money is typed in dollars and cleaned to integer cents; field names match the services'
keys (``amount_cents``...) so a service's ValidationError lands next to the right field."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ketaclinic.billing import codes
from ketaclinic.billing.models import (
    Adjustment,
    BenefitsCheck,
    BillingProfile,
    Coverage,
    InsurancePlan,
    Payer,
    Payment,
    PaymentPlan,
    PriceList,
    PriorAuthorization,
    SavingsEnrollment,
)
from ketaclinic.clinical import instalments

MONEY_MAX_CENTS = 10_000_000_00  # $10 million: an input sanity bound, far above any clinic bill
DATE = forms.DateInput(attrs={"type": "date"})


class MoneyField(forms.CharField):
    """Dollars in, integer cents out: "1,234.5" -> 123450. Rejects fractions of a cent."""

    def __init__(self, *args, allow_zero: bool = True, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        text = (super().to_python(value) or "").replace(",", "").replace("$", "").strip()
        if not text:
            return None
        try:
            dollars = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Enter an amount in dollars, like 125.00.")) from None
        if not dollars.is_finite() or dollars != dollars.quantize(Decimal("0.01")):
            raise ValidationError(_("Enter dollars and cents, at most two decimals."))
        cents = int(dollars * 100)
        if cents < 0 or (cents == 0 and not self.allow_zero):
            raise ValidationError(_("Enter an amount greater than $0.00.") if not self.allow_zero
                                  else _("Enter $0.00 or more."))
        if cents > MONEY_MAX_CENTS:
            raise ValidationError(_("That amount is too large."))
        return cents

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value // 100}.{value % 100:02d}"
        return value


def _money_fields(model, names):
    fields = {}
    for name in names:
        field = model._meta.get_field(name)
        fields[name] = MoneyField(label=f"{field.verbose_name} ($)", required=not field.null and not field.has_default(),
                                  help_text=field.help_text)
    return fields


# --- settings and prices ---------------------------------------------------------------------------

class BillingProfileForm(forms.ModelForm):
    class Meta:
        model = BillingProfile
        fields = list(BillingProfile.AUDITED_FIELDS)
        widgets = {"financing_options": forms.Textarea(attrs={"rows": 3})}


class PriceListForm(forms.Form):
    effective_from = forms.DateField(label="In force from", widget=DATE)
    induction_package_discount_pct = forms.DecimalField(
        label="Induction package discount (%)", required=False, min_value=0, max_value=100, decimal_places=2,
        help_text="Off six times the infusion price. Give a package price or a discount, not both.")
    induction_package_infusions = forms.IntegerField(label="Infusions in the package", min_value=1, max_value=12,
                                                     initial=6)
    note = forms.CharField(label="What changed", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in _money_fields(PriceList, PriceList.PRICE_FIELDS).items():
            field.required = False
            self.fields[name] = field
        self.order_fields(["effective_from", *PriceList.PRICE_FIELDS])

    def clean_iv_drug_charge_cents(self):
        return self.cleaned_data.get("iv_drug_charge_cents") or 0


class PayerForm(forms.ModelForm):
    class Meta:
        model = Payer
        fields = list(Payer.AUDITED_FIELDS)


class InsurancePlanForm(forms.ModelForm):
    class Meta:
        model = InsurancePlan
        fields = ["name", "plan_type", "esketamine_billing", "requires_kx_modifier"]


# --- insurance -------------------------------------------------------------------------------------

class CoverageForm(forms.ModelForm):
    class Meta:
        model = Coverage
        fields = ["plan", "priority", "member_id", "group_number", "subscriber_relationship", "subscriber_first_name",
                  "subscriber_last_name", "subscriber_date_of_birth", "effective_from", "effective_to"]
        widgets = {"subscriber_date_of_birth": DATE, "effective_from": DATE, "effective_to": DATE}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = InsurancePlan.objects.filter(
            payer__clinic=clinic, active=True, payer__active=True).select_related("payer")


class BenefitsCheckForm(forms.ModelForm):
    class Meta:
        model = BenefitsCheck
        fields = ["checked_on", "method", "reference", "esketamine_covered", "iv_ketamine_covered",
                  "prior_auth_required", "coinsurance_pct", "notes"]
        widgets = {"checked_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        money = ("deductible_cents", "deductible_met_cents", "copay_cents", "oop_max_cents", "oop_met_cents")
        for name, field in _money_fields(BenefitsCheck, money).items():
            field.required = name == "deductible_cents"
            self.fields[name] = field

    def cleaned_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("deductible_met_cents", "copay_cents", "oop_met_cents"):
            data[name] = data.get(name) or 0
        return data


class SavingsEnrollmentForm(forms.ModelForm):
    class Meta:
        model = SavingsEnrollment
        fields = ["program", "enrollment_id", "enrolled_on", "benefit_year"]
        widgets = {"enrolled_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_money_fields(SavingsEnrollment, ("patient_pays_per_treatment_cents", "yearly_max_benefit_cents")))
        self.fields["benefit_year"].required = False
        self.fields["benefit_year"].help_text = "Empty: the year of enrolment."


class DiagnosesForm(forms.Form):
    diagnosis_codes = forms.CharField(
        label="Diagnoses (ICD-10-CM)", required=False, max_length=200,
        help_text="In claim order, separated by commas, e.g. F33.2, F41.1. There is no TRD code: code the "
                  "depressive episode and document the failed trials.")

    def clean_diagnosis_codes(self):
        return [c for c in (self.cleaned_data["diagnosis_codes"] or "").replace(";", ",").split(",") if c.strip()]


class PriorAuthForm(forms.ModelForm):
    diagnosis_codes = forms.CharField(label="Diagnoses (ICD-10-CM)", required=False, max_length=200,
                                      help_text="Separated by commas, e.g. F33.2.")

    class Meta:
        model = PriorAuthorization
        fields = ["unit_code", "units_requested", "failed_trials", "baseline_scores", "clinical_summary", "requested_on"]
        widgets = {"requested_on": DATE, "failed_trials": forms.Textarea(attrs={"rows": 4}),
                   "baseline_scores": forms.Textarea(attrs={"rows": 3}),
                   "clinical_summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial["diagnosis_codes"] = ", ".join(self.instance.diagnosis_codes or [])
        self.order_fields(["unit_code", "units_requested", "diagnosis_codes"])

    def clean_diagnosis_codes(self):
        return [c for c in (self.cleaned_data["diagnosis_codes"] or "").split(",") if c.strip()]


class PriorAuthSubmitForm(forms.Form):
    submitted_on = forms.DateField(widget=DATE, initial=dt.date.today)


class PriorAuthApprovalForm(forms.Form):
    decided_on = forms.DateField(label="Decided on", widget=DATE)
    payer_reference = forms.CharField(label="Authorisation number", max_length=60)
    units_approved = forms.IntegerField(label="Units approved", min_value=1)
    valid_from = forms.DateField(label="Valid from", widget=DATE)
    valid_to = forms.DateField(label="Expires after", widget=DATE)


class PriorAuthDenialForm(forms.Form):
    decided_on = forms.DateField(label="Decided on", widget=DATE)
    denial_reason = forms.CharField(label="Payer's reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label="What the appeal adds", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)


# --- the account -----------------------------------------------------------------------------------

class ChargeForm(forms.Form):
    service_date = forms.DateField(label="Date of service", widget=DATE)
    code = forms.ChoiceField(label="Code", choices=[("", "Pick a code")] + codes.choices())
    units = forms.IntegerField(min_value=1, max_value=999, initial=1)
    unit_price_cents = MoneyField(label="Price per unit ($)", required=False,
                                  help_text="Empty: the price list's price for this kind of session.")
    modifiers = forms.CharField(max_length=11, required=False, help_text="Up to four, e.g. KX.")
    diagnosis_codes = forms.CharField(label="Diagnoses (ICD-10-CM)", required=False, max_length=200,
                                      help_text="Empty: the patient's billed diagnoses.")
    rendering_provider = forms.ModelChoiceField(queryset=None, required=False, label="Rendering provider")

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rendering_provider"].queryset = providers

    def clean_diagnosis_codes(self):
        return [c for c in (self.cleaned_data["diagnosis_codes"] or "").split(",") if c.strip()]


class PaymentForm(forms.Form):
    amount_cents = MoneyField(label="Amount ($)", allow_zero=False)
    method = forms.ChoiceField(choices=Payment.Method.choices)
    received_on = forms.DateField(label="Received on", widget=DATE)
    invoice = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not for one invoice (account credit)")
    payment_plan = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not toward a payment plan")
    payer = forms.ModelChoiceField(queryset=None, required=False, empty_label="—",
                                   help_text="For an insurance payment: who paid.")
    reference = forms.CharField(max_length=60, required=False,
                                help_text="Card's last four digits, check number, lender or payer reference. Never the full card number.")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = patient.invoices.filter(status="issued")
        self.fields["payment_plan"].queryset = patient.payment_plans.filter(status=PaymentPlan.Status.ACTIVE)
        self.fields["payer"].queryset = Payer.objects.filter(clinic_id=patient.clinic_id, active=True)

    def clean_reference(self):
        reference = self.cleaned_data["reference"]
        if sum(ch.isdigit() for ch in reference) >= 12:
            raise ValidationError("Do not store card numbers: the last four digits are enough.")
        return reference


class RefundForm(forms.Form):
    amount_cents = MoneyField(label="Amount ($)", allow_zero=False)
    refunded_on = forms.DateField(label="Refunded on", widget=DATE)
    reason = forms.CharField(max_length=200)


class AdjustmentForm(forms.Form):
    amount_cents = MoneyField(label="Amount ($)", allow_zero=False, help_text="Lowers what the patient owes.")
    reason = forms.ChoiceField(choices=Adjustment.Reason.choices)
    adjusted_on = forms.DateField(label="Date", widget=DATE)
    invoice = forms.ModelChoiceField(queryset=None, required=False, empty_label="Not for one invoice")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = patient.invoices.filter(status="issued")


class PaymentPlanForm(forms.Form):
    total_cents = MoneyField(label="Amount to spread ($)", allow_zero=False)
    count = forms.IntegerField(label="Number of instalments", min_value=1, max_value=instalments.INSTALMENTS_MAX)
    first_due_on = forms.DateField(label="First instalment due", widget=DATE)
    frequency = forms.ChoiceField(choices=PaymentPlan.Frequency.choices)
    invoice = forms.ModelChoiceField(queryset=None, required=False, empty_label="The whole balance")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invoice"].queryset = patient.invoices.filter(status="issued")


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DATE)
    end = forms.DateField(label="To", widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period cannot end before it starts.")
        return data


class ClaimExportForm(PeriodForm):
    insured_only = forms.BooleanField(label="Only patients with active primary insurance", required=False, initial=True)
