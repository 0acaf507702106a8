"""The public self-screen and consultation-request forms (English and Spanish through Django i18n)."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ketaclinic.accounts.models import Clinic
from ketaclinic.clinical import candidacy, selfscreen
from ketaclinic.clinical.instruments import phq9
from ketaclinic.intake import spam
from ketaclinic.intake.models import ScreenOutcome

_SCREEN_SALT = "ketaclinic.intake.self-screen-summary"

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SCREEN_CONDITION_CHOICES = [
    ("major-depression", _("Depression")),
    ("bipolar-depression", _("Bipolar disorder (the low, depressed times)")),
    ("generalized-anxiety", _("Anxiety that is there most days")),
    ("panic-disorder", _("Panic attacks or panic disorder")),
    ("ptsd", _("PTSD (after a frightening or violent event)")),
    ("ocd", _("OCD (obsessions or compulsions)")),
    ("chronic-pain", _("Long-lasting pain")),
]
FAILED_COUNT_CHOICES = [("0", _("None")), ("1", _("One")), ("2", _("Two")), ("3", _("Three or more"))]
FLAG_CHOICES = [
    ("pregnant", _("I am pregnant or could be pregnant")),
    ("mood-high-now", _("Right now I feel unusually “high”, full of energy, or need much less sleep than usual")),
    ("psychosis", _("I have had psychosis: seeing or hearing things others don't, or fixed beliefs others found false")),
    ("substance-use", _("I have a current problem with alcohol or drugs")),
    ("aneurysm", _("I have an aneurysm (a bulging blood vessel)")),
    ("avm", _("I have an arteriovenous malformation (AVM)")),
    ("brain-bleed", _("I have had bleeding in the brain")),
    ("brain-injury", _("I have had a serious head or brain injury")),
    ("heart-unstable", _("I have a heart condition that is not stable (recent heart attack or stroke, chest pain at rest)")),
    ("blood-pressure-uncontrolled", _("My high blood pressure is not under control")),
    ("ketamine-allergy", _("I have had an allergic reaction to ketamine")),
]
PHQ9_OPTION_LABELS = {0: _("Not at all"), 1: _("Several days"), 2: _("More than half the days"), 3: _("Nearly every day")}


class SelfScreenForm(forms.Form):
    adult = forms.ChoiceField(label=_("Are you 18 or older?"), choices=YES_NO, widget=forms.RadioSelect)
    conditions = forms.MultipleChoiceField(
        label=_("Has a doctor or therapist told you that you have any of these?"), required=False,
        choices=SCREEN_CONDITION_CHOICES, widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick all that apply, or none."))
    failed_antidepressants = forms.ChoiceField(choices=FAILED_COUNT_CHOICES, widget=forms.RadioSelect)
    psychotherapy_tried = forms.ChoiceField(
        label=_("Have you tried talk therapy (psychotherapy or counselling)?"), choices=YES_NO, widget=forms.RadioSelect)
    flags = forms.MultipleChoiceField(
        label=_("Do any of these apply to you?"), required=False, choices=FLAG_CHOICES,
        widget=forms.CheckboxSelectMultiple, help_text=_("Tick all that apply, or none."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["failed_antidepressants"].label = gettext(
            "How many different antidepressant medicines have you taken, each for at least %(weeks)s weeks, that "
            "did not help enough?") % {"weeks": candidacy.DEFAULT_PROTOCOL.min_trial_weeks}
        options = [(str(o.value), PHQ9_OPTION_LABELS[o.value]) for o in phq9.FREQUENCY_OPTIONS]
        for item in phq9.ITEMS:
            self.fields[f"phq9_{item.number}"] = forms.ChoiceField(
                label=gettext(item.wording), choices=options, widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer for this question.")})

    def phq9_fields(self):
        return [self[f"phq9_{item.number}"] for item in phq9.ITEMS]

    def answers(self) -> selfscreen.SelfScreenAnswers:
        data = self.cleaned_data
        return selfscreen.SelfScreenAnswers(
            adult=data["adult"] == "yes",
            phq9=tuple(int(data[f"phq9_{item.number}"]) for item in phq9.ITEMS),
            conditions=frozenset(data["conditions"]),
            failed_antidepressants=int(data["failed_antidepressants"]),
            psychotherapy_tried=data["psychotherapy_tried"] == "yes",
            flags=frozenset(data["flags"]),
        )


def sign_screen_summary(result: selfscreen.SelfScreenResult) -> str:
    """The self-screen's outcome and PHQ-9 total, signed into the result page's consultation form; they are
    kept only if the person sends the form and ticks "share"."""
    return signing.dumps({"o": result.outcome, "p": result.phq9.total}, salt=_SCREEN_SALT)


def read_screen_summary(token: str) -> dict:
    try:
        data = signing.loads(token, salt=_SCREEN_SALT, max_age=spam.MAX_FORM_AGE_S)
    except signing.BadSignature:
        return {}
    if data.get("o") not in ScreenOutcome.values or not isinstance(data.get("p"), int):
        return {}
    return {"self_screen_outcome": data["o"], "self_screen_phq9_total": data["p"]}


class ConsultationForm(forms.Form):
    clinic = forms.ModelChoiceField(
        label=_("Clinic"), queryset=Clinic.objects.order_by("name"), empty_label=_("Choose a clinic"),
        error_messages={"required": _("Choose the clinic you would like to visit."),
                        "invalid_choice": _("Choose a clinic from the list.")})
    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(label=_("Last name"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    contact_method = forms.ChoiceField(
        label=_("How should we contact you?"), widget=forms.RadioSelect,
        choices=[("phone", _("Phone call")), ("text", _("Text message")), ("email", _("Email"))], initial="phone")
    best_time = forms.ChoiceField(
        label=_("Best time to reach you"), initial="any",
        choices=[("morning", _("Mornings (8 am – noon)")), ("afternoon", _("Afternoons (noon – 5 pm)")),
                 ("evening", _("Early evenings (5 – 7 pm)")), ("any", _("Any time"))])
    message = forms.CharField(
        label=_("Anything you would like us to know (optional)"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please do not write medical details here; we will ask at the consultation."))
    agree_to_contact = forms.BooleanField(
        label=_("The clinic may contact me about this request."),
        error_messages={"required": _("Tick this box so the clinic may contact you.")})
    share_screen = forms.BooleanField(label=_("Share my self-screen result with the clinic"), required=False, initial=True)
    screen = forms.CharField(required=False, widget=forms.HiddenInput)
    # The honeypot: hidden from people by CSS and from screen readers; bots fill it.
    website = forms.CharField(label=_("Leave this empty"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    form_stamp = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel", type="tel")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not self.is_bound:
            self.initial["form_stamp"] = spam.issue_stamp()

    @property
    def has_screen(self) -> bool:
        token = self["screen"].value()
        return bool(token and read_screen_summary(token))

    def clean(self):
        data = super().clean()
        try:
            spam.check_stamp(data.get("form_stamp", ""))
        except ValidationError as error:
            # A fresh stamp for the next try, so that a person who was "too fast" can simply send again.
            self.data = self.data.copy()
            self.data["form_stamp"] = spam.issue_stamp()
            raise error
        return data

    def request_data(self, language: str) -> dict:
        data = self.cleaned_data
        fields = ("first_name", "last_name", "phone", "email", "contact_method", "best_time", "message")
        result = {name: data[name] for name in fields}
        result["language"] = language if language in ("en", "es") else "en"
        if data.get("share_screen") and data.get("screen"):
            result.update(read_screen_summary(data["screen"]))
        return result
