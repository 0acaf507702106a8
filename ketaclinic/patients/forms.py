from django import forms

from ketaclinic.patients.models import Patient
from ketaclinic.patients.services import EDITABLE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"


class PatientForm(forms.ModelForm):
    """Parses and type-checks the page's input; the service validates the whole record and saves it."""

    class Meta:
        model = Patient
        fields = EDITABLE_FIELDS
        widgets = {"date_of_birth": DateInput(), "measured_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mrn"].required = False
        autocomplete = {
            "legal_first_name": "given-name", "legal_last_name": "family-name", "phone": "tel", "email": "email",
            "address_line1": "address-line1", "address_line2": "address-line2", "city": "address-level2",
            "state": "address-level1", "postal_code": "postal-code",
        }
        for name, hint in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = hint
        self.fields["weight_kg"].widget.attrs.update(step="0.1", inputmode="decimal")
        self.fields["height_cm"].widget.attrs.update(step="0.1", inputmode="decimal")

    def _post_clean(self):
        # Model-level validation belongs to the service (one place for pages and the API).
        pass
