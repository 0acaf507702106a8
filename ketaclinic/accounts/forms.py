import datetime as dt

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"


class AuditFilterForm(forms.Form):
    patient = forms.CharField(required=False, label="Patient MRN")
    person = forms.CharField(required=False, label="Person (user name)")
    date_from = forms.DateField(required=False, label="From", widget=DateInput())
    date_to = forms.DateField(required=False, label="To", widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "must be on or after the 'From' date.")
        return data

    def day_bounds(self, tz) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The filter's days, in the clinic's own time zone, as UTC instants [start, end)."""
        start, end = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz) if start else None
        hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz) if end else None
        return lo, hi
