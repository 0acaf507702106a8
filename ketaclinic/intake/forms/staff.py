"""Forms for the intake (portal and staff), the front desk's queue, the physician's decision and consent.

Forms parse and type-check; the services validate the whole record and save it (one place for pages and API).
"""

from django import forms

from ketaclinic.clinical import candidacy
from ketaclinic.intake.models import (
    HISTORY_LABELS,
    Allergy,
    AntidepressantTrial,
    CandidacyDecision,
    CandidacyProtocolSetting,
    Condition,
    ConsultationRequest,
    Intake,
    Medication,
    MoodState,
)
from ketaclinic.patients.models import Patient


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class ServiceValidated:
    def _post_clean(self):
        pass  # model validation belongs to the service


PATIENT_CONDITION_LABELS = {
    Condition.MAJOR_DEPRESSION: "Depression",
    Condition.BIPOLAR_DEPRESSION: "Bipolar disorder (the depressed times)",
    Condition.GENERALIZED_ANXIETY: "Anxiety most days",
    Condition.PANIC_DISORDER: "Panic attacks or panic disorder",
    Condition.PTSD: "PTSD",
    Condition.OCD: "OCD",
    Condition.CHRONIC_PAIN: "Long-lasting pain",
    Condition.SUICIDAL_IDEATION: "Thoughts of suicide",
}
PATIENT_MOOD_LABELS = {
    MoodState.DEPRESSED: "Low or depressed",
    MoodState.MANIC: "Unusually high or full of energy, needing little sleep (manic)",
    MoodState.HYPOMANIC: "A bit higher than usual (hypomanic)",
    MoodState.MIXED: "Both low and high at once (mixed)",
    MoodState.EUTHYMIC: "Neither low nor high",
}


class IntakeAnswersForm(ServiceValidated, forms.ModelForm):
    """The intake's answers. ``for_patient`` words the questions for the patient; staff see clinical terms."""

    conditions = forms.MultipleChoiceField(
        label="Conditions seeking treatment for", choices=Condition.choices, widget=forms.CheckboxSelectMultiple,
        required=False)

    class Meta:
        model = Intake
        fields = Intake.PATIENT_FIELDS
        widgets = {"current_mood_state": forms.RadioSelect, "psychotherapy_history": forms.Textarea(attrs={"rows": 3}),
                   "other_medical_history": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, for_patient: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["history"]
        self.fields["current_mood_state"].choices = MoodState.choices
        self.fields["current_mood_state"].required = False
        for key in sorted(candidacy.HISTORY_KEYS, key=list(HISTORY_LABELS).index):
            staff_label, patient_label = HISTORY_LABELS[key]
            self.fields[f"history_{key}"] = forms.BooleanField(
                label=patient_label if for_patient else staff_label, required=False,
                initial=bool(self.instance.history.get(key)) if self.instance.pk else False)
        if for_patient:
            self.fields["conditions"].label = "What would you like treatment for?"
            self.fields["conditions"].choices = [(c, PATIENT_CONDITION_LABELS[c]) for c in Condition.values]
            self.fields["current_mood_state"].label = "How is your mood these days?"
            self.fields["current_mood_state"].choices = [(m, PATIENT_MOOD_LABELS[m]) for m in MoodState.values]
            self.fields["other_medical_history"].label = "Any other illnesses, operations or health problems"

    def history_fields(self):
        return [self[name] for name in self.fields if name.startswith("history_")]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in Intake.PATIENT_FIELDS if name != "history"}
        data["history"] = {key: self.cleaned_data[f"history_{key}"] for key in HISTORY_LABELS}
        return data


class VitalsForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = Intake
        fields = Intake.VITALS_FIELDS
        widgets = {"screening_vitals_at": DateTimeInput(format="%Y-%m-%dT%H:%M")}
        help_texts = {"screening_vitals_at": "Leave empty for now."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Intake.VITALS_FIELDS[:4]:
            self.fields[name].widget.attrs.update(inputmode="numeric")


class TrialForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = AntidepressantTrial
        fields = AntidepressantTrial.AUDITED_FIELDS


class MedicationForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = Medication
        fields = Medication.AUDITED_FIELDS


class AllergyForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = Allergy
        fields = Allergy.AUDITED_FIELDS


ITEM_FORMS = {"trial": TrialForm, "medication": MedicationForm, "allergy": AllergyForm}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", choices=CandidacyDecision.Decision.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                           help_text="What you weighed, and what you discussed with the patient.")
    override_reason = forms.CharField(
        label="Reason for overriding the engine", required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you approve a route the engine finds not eligible, or decline a route it finds eligible.")
    amendment_reason = forms.CharField(
        label="Why you amend the signed decision", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    evaluation = forms.IntegerField(widget=forms.HiddenInput)
    supersedes = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ConsentSignForm(forms.Form):
    typed_name = forms.CharField(label="Type your full legal name", max_length=170,
                                 widget=forms.TextInput(attrs={"autocomplete": "name"}))
    agreed = forms.BooleanField(label="I have read and understood this text, my questions were answered, and I agree.",
                                required=False)
    text_version = forms.CharField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="Reason (optional)", required=False, max_length=1000)


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = CandidacyProtocolSetting
        fields = (*CandidacyProtocolSetting.FIELDS, "reason")
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}

    def _post_clean(self):
        pass


class ContactNoteForm(forms.Form):
    note = forms.CharField(label="What happened", max_length=1000,
                           widget=forms.TextInput(attrs={"placeholder": "Called, left a voicemail"}))


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label="Why close it", choices=[("", "Choose a reason"), *ConsultationRequest.CloseReason.choices])
    note = forms.CharField(label="Note (optional)", required=False, max_length=1000)


class RegisterForm(ServiceValidated, forms.ModelForm):
    class Meta:
        model = Patient
        fields = ("legal_first_name", "legal_last_name", "date_of_birth", "sex_at_birth", "phone", "email")
        widgets = {"date_of_birth": DateInput()}
