from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy as _, gettext_noop

from ketaclinic.public.directory import DISTANCE_CHOICES_MILES
from ketaclinic.public.geo import ZipError, normalize_zip, zip_point
from ketaclinic.public.models import (
    RATING_MAX, RATING_MIN, REPLY_BODY_MAX_CHARS, REVIEW_BODY_MAX_CHARS, ClinicListing, Equipment, Language, RouteOffered,
)
from ketaclinic.public.services import REJECTION_REASON_MIN_CHARS


def _interpolated(message: str, **values) -> str:
    return gettext(message) % values


# Choice labels are made once, at import: they must stay lazy to be said in each reader's language.
interpolated_lazy = lazy(_interpolated, str)


class DirectorySearchForm(forms.Form):
    zip = forms.CharField(
        label=_("Your ZIP code"), max_length=10,
        help_text=_("Five digits, for example 90064. It is used only to sort clinics by distance and is not stored."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    route = forms.ChoiceField(label=_("Treatment"), required=False, choices=[("", _("Any treatment"))] + RouteOffered.choices)
    language = forms.ChoiceField(label=_("Language spoken"), required=False, choices=[("", _("Any language"))] + Language.choices)
    within_miles = forms.TypedChoiceField(
        label=_("Distance"), required=False, coerce=int, empty_value=None,
        choices=[("", _("Any distance"))] + [(m, interpolated_lazy(gettext_noop("Within %(miles)s miles"), miles=m)) for m in DISTANCE_CHOICES_MILES],
    )

    def clean_zip(self):
        try:
            code = normalize_zip(self.cleaned_data["zip"])
            self.cleaned_data["origin"] = zip_point(code)
        except ZipError as error:
            raise forms.ValidationError(str(error).removeprefix("zip: ")) from None
        return code


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, widget=forms.RadioSelect,
        choices=[(n, interpolated_lazy(gettext_noop("%(n)s out of 5"), n=n)) for n in range(RATING_MAX, RATING_MIN - 1, -1)],
    )
    title = forms.CharField(label=_("Title"), max_length=120, help_text=_("A few words, for example “Calm, careful staff”."))
    body = forms.CharField(
        label=_("Your review"), max_length=REVIEW_BODY_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("What was it like? What would you tell someone thinking of going? Up to 2,000 characters."),
    )
    language = forms.ChoiceField(label=_("Language of your review"), choices=[("en", "English"), ("es", "Español")])
    no_identifying_details = forms.BooleanField(
        label=_("My review names no one and contains nothing that identifies me or anyone else."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not published?"), min_length=REJECTION_REASON_MIN_CHARS, max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The patient sees this reason. For example: it names a staff member, or describes another patient."),
    )


class ReplyForm(forms.Form):
    reply_body = forms.CharField(
        label=_("The clinic's public reply"), required=False, max_length=REPLY_BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown under the review. Do not mention the writer's care or anything only the clinic would know. "
                    "Leave empty to remove the reply."),
    )


class ListingForm(forms.ModelForm):
    equipment = forms.MultipleChoiceField(
        label=_("Monitoring equipment"), required=False, choices=Equipment.choices, widget=forms.CheckboxSelectMultiple
    )
    routes = forms.MultipleChoiceField(
        label=_("Treatments offered"), required=False, choices=RouteOffered.choices, widget=forms.CheckboxSelectMultiple
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken by staff"), required=False, choices=Language.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ClinicListing
        fields = list(ClinicListing.AUDITED_FIELDS)
        widgets = {"about_en": forms.Textarea(attrs={"rows": 3}), "about_es": forms.Textarea(attrs={"rows": 3})}
