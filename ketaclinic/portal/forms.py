from django import forms

from ketaclinic.patients.models import Patient

# What a patient may change themselves; identity, birth date and MRN stay with the clinic.
SELF_EDITABLE_FIELDS = (
    "preferred_name", "pronouns", "phone", "email", "address_line1", "address_line2", "city", "state",
    "postal_code", "emergency_contact_name", "emergency_contact_phone", "emergency_contact_relationship",
    "preferred_language",
)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = SELF_EDITABLE_FIELDS

    def _post_clean(self):
        pass
