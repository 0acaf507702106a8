"""Forms parse and type-check what a page sends; services validate the whole change and save it."""

import datetime as dt
import uuid

from django import forms
from django.utils import timezone

from ketaclinic.clinical import discharge as discharge_rules
from ketaclinic.clinical import rems_pmf
from ketaclinic.clinical.dosing import ESKETAMINE_US_LABEL_DOSES_MG, KETALAR_VIAL_STRENGTHS_MG_PER_ML, WeightBasis
from ketaclinic.clinical.vitals import VitalLimits
from ketaclinic.visits.models import AdverseEvent, ClinicalEvent, Note, SessionProtocol, VitalAlert
from ketaclinic.visits.models.protocol import VITAL_LIMIT_FIELDS
from ketaclinic.visits.services.checkin import MEDICATION_KEYS, PREGNANCY_STATUSES
from ketaclinic.visits.services.discharge import CLINIC_CHECKLIST, ESKETAMINE_CHECKLIST
from ketaclinic.visits.services.pmf import SUBMISSION_METHODS

YES_NO = [("yes", "Yes"), ("no", "No")]
NUMERIC = {"inputmode": "numeric"}


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateInput(forms.DateInput):
    input_type = "date"


def local_moment(clinic, value: dt.time | None) -> dt.datetime | None:
    """A clock time typed on the tablet, as an aware datetime today at the clinic (yesterday if that is the future)."""
    if value is None:
        return None
    now_local = timezone.localtime(timezone.now(), clinic.tz)
    moment = dt.datetime.combine(now_local.date(), value, tzinfo=clinic.tz)
    if moment > now_local + dt.timedelta(minutes=2):
        moment -= dt.timedelta(days=1)
    return moment


def _int(label, lo, hi, required=False, **attrs):
    return forms.IntegerField(label=label, min_value=lo, max_value=hi, required=required,
                              widget=forms.NumberInput(attrs={**NUMERIC, **attrs}))


class CheckInForm(forms.Form):
    route = forms.ChoiceField(choices=[("iv-ketamine", "IV ketamine"), ("esketamine", "Esketamine nasal spray")])
    chair = forms.CharField(max_length=40, required=False)


# --- checklist ---------------------------------------------------------------------------------------------------
class ConfirmForm(forms.Form):
    confirmed = forms.BooleanField(label="Confirmed", required=False)
    note = forms.CharField(max_length=200, required=False)
    confirm_label = "Confirmed"
    with_note = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirmed"].label = self.confirm_label
        if not self.with_note:
            del self.fields["note"]


class IdentityForm(ConfirmForm):
    confirm_label, with_note = "Name and date of birth match the wristband or ID", False


class ConsentForm(ConfirmForm):
    confirm_label = "Consent and today's order are current"


class FastingForm(ConfirmForm):
    confirm_label, with_note = "Fasted as instructed", False


class RideForm(forms.Form):
    ride_name = forms.CharField(label="Who drives the patient home", max_length=120, required=False)
    ride_phone = forms.CharField(label="Their phone", max_length=30, required=False,
                                 widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))


class PregnancyForm(forms.Form):
    pregnancy_status = forms.ChoiceField(
        label="Pregnancy status", required=False,
        choices=[("", "Choose…"), *PREGNANCY_STATUSES.items(), ("not_applicable", "Not applicable (say why)")],
    )
    note = forms.CharField(max_length=200, required=False)


class MedicationsForm(forms.Form):
    details = forms.CharField(label="Which, what dose, when last taken", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {f.key: f.label for f in rems_pmf.FIELDS}
        for key in reversed(MEDICATION_KEYS):
            self.fields = {key: forms.ChoiceField(label=labels[key], choices=YES_NO, widget=forms.RadioSelect, required=False),
                           **self.fields}

    def service_data(self) -> dict:
        data = {k: {"yes": True, "no": False}.get(self.cleaned_data.get(k)) for k in MEDICATION_KEYS}
        return {**data, "details": self.cleaned_data.get("details", "")}


class ScaleForm(forms.Form):
    note = forms.CharField(label="If not in the portal: which scale, and where it is filed", max_length=200, required=False)


class WeightForm(forms.Form):
    weight_kg = forms.DecimalField(label="Weight today (kg)", max_digits=5, decimal_places=1, required=False,
                                   widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}))


CHECK_FORMS = {
    "identity": IdentityForm, "consent_plan": ConsentForm, "fasting": FastingForm, "ride": RideForm,
    "pregnancy": PregnancyForm, "medications": MedicationsForm, "pre_session_scale": ScaleForm, "weight": WeightForm,
}


def check_data(form) -> dict:
    return form.service_data() if hasattr(form, "service_data") else dict(form.cleaned_data)


# --- order and holds -------------------------------------------------------------------------------------------
class IvOrderForm(forms.Form):
    dose_mg_per_kg = forms.DecimalField(label="Dose (mg/kg)", max_digits=4, decimal_places=2, required=False,
                                        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.05"}))
    weight_basis = forms.ChoiceField(choices=[(b.value, b.value.title()) for b in WeightBasis], initial="actual")
    weight_cap_kg = forms.DecimalField(label="Weight cap (kg), for the capped basis", max_digits=5, decimal_places=1, required=False)
    infusion_duration_min = _int("Infusion (minutes)", 1, 240)
    physician_override = forms.BooleanField(label="Override the clinic's dose limit", required=False)
    override_reason = forms.CharField(max_length=300, required=False)


class EsketamineOrderForm(forms.Form):
    esketamine_dose_mg = forms.TypedChoiceField(label="Dose", coerce=int, required=False,
                                                choices=[("", "Choose…")] + [(d, f"{d} mg") for d in ESKETAMINE_US_LABEL_DOSES_MG])


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False)


# --- dosing -------------------------------------------------------------------------------------------------------
class IvPrepareForm(forms.Form):
    concentration_mg_per_ml = forms.TypedChoiceField(
        label="Vial strength", coerce=str, choices=[(str(c), f"{c} mg/mL") for c in KETALAR_VIAL_STRENGTHS_MG_PER_ML])
    diluent_ml = forms.DecimalField(label="Diluent (mL)", max_digits=7, decimal_places=2, required=False, initial=0,
                                    widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    lot_number = forms.CharField(label="Lot number", max_length=40, required=False)


class SecondCheckForm(forms.Form):
    username = forms.CharField(label="Second nurse's user name", max_length=150, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}))
    password = forms.CharField(label="Their password", required=False, widget=forms.PasswordInput(attrs={"autocomplete": "off"}))
    dose_mg = forms.DecimalField(label="Their dose (mg)", max_digits=7, decimal_places=1, required=False,
                                 widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}))
    rate_ml_per_h = forms.DecimalField(label="Their pump rate (mL/h)", max_digits=7, decimal_places=1, required=False,
                                       widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}))


class EsketaminePrepareForm(forms.Form):
    lot_number = forms.CharField(label="Kit lot number", max_length=40, required=False)


class AtForm(forms.Form):
    at = forms.TimeField(label="At (leave empty for now)", required=False, widget=TimeInput())


class InfusionChangeForm(AtForm):
    kind = forms.ChoiceField(choices=[(k.value, k.label) for k in ClinicalEvent.INFUSION_KINDS])
    new_rate_ml_per_h = forms.DecimalField(label="New rate (mL/h)", max_digits=7, decimal_places=1, required=False)
    note = forms.CharField(max_length=300, required=False)


# --- flowsheet ----------------------------------------------------------------------------------------------------
class VitalsForm(forms.Form):
    systolic_mmhg = _int("Systolic", 0, 400)
    diastolic_mmhg = _int("Diastolic", 0, 300)
    heart_rate_bpm = _int("Heart rate", 0, 400)
    spo2_pct = _int("SpO2 %", 0, 100)
    respiratory_rate_per_min = _int("Resp. rate", 0, 100)
    moaa_s = forms.TypedChoiceField(label="MOAA/S", coerce=int, empty_value=None, required=False,
                                    choices=[("", "—")] + [(n, str(n)) for n in range(5, -1, -1)])
    measured_at = forms.TimeField(label="Measured at (empty: now)", required=False, widget=TimeInput())
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh key per page render: a double tap on "Save" stores the reading once.
        self.fields["idempotency_key"].initial = f"form-{uuid.uuid4()}"

    def values(self) -> dict:
        names = ("systolic_mmhg", "diastolic_mmhg", "heart_rate_bpm", "spo2_pct", "respiratory_rate_per_min", "moaa_s")
        return {n: self.cleaned_data.get(n) for n in names}


class AcknowledgeForm(forms.Form):
    action = forms.ChoiceField(label="What was done", choices=[("", "Choose…"), *VitalAlert.Action.choices], required=False)
    note = forms.CharField(max_length=300, required=False)


class EventForm(AtForm):
    kind = forms.ChoiceField(choices=[("", "Choose…")] + [
        (k.value, k.label) for k in ClinicalEvent.Kind if k not in ClinicalEvent.INFUSION_KINDS], required=False)
    medication = forms.CharField(max_length=80, required=False)
    medication_dose = forms.CharField(label="Dose and route", max_length=40, required=False)
    note = forms.CharField(max_length=300, required=False)


class CadssForm(AtForm):
    total = _int("CADSS total (0–92)", 0, 92)


class DischargeForm(forms.Form):
    ride_present = forms.BooleanField(label="The named ride is here", required=False)
    ready_without_rule_at = forms.TimeField(
        label="Would have been ready, but for the 2-hour rule, at", required=False, widget=TimeInput())

    def __init__(self, *args, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        from ketaclinic.visits.services.discharge import checklist_for

        fields = {}
        if visit is None or visit.protocol.discharge_method == "aldrete":
            for item in discharge_rules.ALDRETE_ITEMS:
                fields[item.name] = forms.TypedChoiceField(
                    label=item.label, coerce=int, empty_value=None, required=False, widget=forms.RadioSelect,
                    choices=[(score, f"{score}: {text}") for score, text in reversed(list(enumerate(item.levels)))])
        labels = checklist_for(visit) if visit is not None else {**CLINIC_CHECKLIST, **ESKETAMINE_CHECKLIST}
        for key, label in labels.items():
            fields[key] = forms.BooleanField(label=label, required=False)
        self.fields = {**fields, **self.fields}
        if visit is not None and not visit.is_esketamine:
            del self.fields["ready_without_rule_at"]


# --- notes ---------------------------------------------------------------------------------------------------------
class NoteForm(forms.Form):
    kind = forms.ChoiceField(choices=Note.Kind.choices)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class NoteEditForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class AmendForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)
    body = forms.CharField(label="Amendment", widget=forms.Textarea(attrs={"rows": 5}), required=False)


# --- monitoring form ------------------------------------------------------------------------------------------------
def _pmf_field(field: rems_pmf.PmfField) -> forms.Field:
    label = field.label
    if field.kind == "yesno":
        return forms.ChoiceField(label=label, choices=[("", "—"), *YES_NO], required=False)
    if field.kind == "dose":
        return forms.ChoiceField(label=label, choices=[("", "—"), ("56", "56 mg"), ("84", "84 mg"), ("other", "Other")], required=False)
    if field.kind == "minutes":
        return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=NUMERIC))
    if field.kind == "date":
        return forms.CharField(label=label, required=False, widget=DateInput())
    return forms.CharField(label=label, max_length=200, required=False)


class MonitoringFormForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in rems_pmf.FIELDS:
            self.fields[field.key] = _pmf_field(field)
            self.fields[field.key].required_on_form = field.required
            self.fields[field.key].section = field.section

    def sections(self):
        return [(name, [self[f.key] for f in rems_pmf.FIELDS if f.section == name]) for name in rems_pmf.SECTIONS]


class PmfAmendForm(MonitoringFormForm):
    reason = forms.CharField(label="Reason for the amendment", max_length=200, required=False)


class PmfSubmitForm(forms.Form):
    method = forms.ChoiceField(label="Sent by", choices=list(SUBMISSION_METHODS.items()))
    reference = forms.CharField(label="Confirmation number", max_length=60, required=False)


# --- adverse events ---------------------------------------------------------------------------------------------------
class AdverseEventForm(forms.ModelForm):
    onset_at = forms.DateTimeField(label="Onset", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    seriousness = forms.MultipleChoiceField(
        label="Serious because (leave empty if not serious)", choices=AdverseEvent.Seriousness.choices,
        widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = AdverseEvent
        fields = ("onset_at", "category", "severity", "description", "seriousness", "outcome", "action_taken",
                  "follow_up_plan", "follow_up_due_on")
        widgets = {"follow_up_due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def _post_clean(self):
        pass  # the service validates the whole record


class FollowUpForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReportForm(forms.Form):
    reported_to = forms.CharField(label="Reported to", max_length=80, required=False,
                                  help_text="E.g. SPRAVATO REMS 1-855-382-6022, FDA MedWatch, the manufacturer.")
    reference = forms.CharField(label="Report reference", max_length=60, required=False)


# --- clinic settings -----------------------------------------------------------------------------------------------------
_LABEL_WORDS = (("predose_", "pre-dose "), ("spo2", "SpO2"), ("moaa_s", "MOAA/S"), ("_mmhg", " (mmHg)"),
                ("_bpm", " (bpm)"), ("_pct", " (%)"), ("_per_min", " (/min)"), ("_", " "))


def limit_label(name: str) -> str:
    """``predose_systolic_hold_at_or_above_mmhg`` → "Pre-dose systolic hold at or above (mmHg)"."""
    for old, new in _LABEL_WORDS:
        name = name.replace(old, new)
    return name[0].upper() + name[1:]


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = SessionProtocol
        fields = ("iv_observation_min", "esketamine_observation_min", "weight_max_age_days",
                  "max_dose_mg_per_kg_without_override", "dosing_vitals_interval_min", "recovery_vitals_interval_min",
                  "near_baseline_tolerance_pct", "discharge_method")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.limits()
        for name in VITAL_LIMIT_FIELDS:
            self.fields[f"limit__{name}"] = forms.IntegerField(
                label=limit_label(name), initial=getattr(current, name), min_value=0, max_value=300,
                help_text=f"Shipped default {getattr(VitalLimits(), name)}.")

    def _post_clean(self):
        pass

    def read_only(self):
        for field in self.fields.values():
            field.disabled = True

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("limit__")}
        data["vital_limits"] = {k[len("limit__"):]: v for k, v in self.cleaned_data.items() if k.startswith("limit__")}
        return data


class RemsEnrollmentForm(forms.Form):
    enrolled_on = forms.DateField(label="Enrolment form signed on", widget=DateInput())
    prescriber = forms.ModelChoiceField(label="Prescriber", queryset=None)
    reference = forms.CharField(label="REMS patient id (optional)", max_length=40, required=False)

    def __init__(self, *args, prescribers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prescriber"].queryset = prescribers
