"""Forms: parse and label input; every rule that matters is checked again in the services."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import User
from ketaclinic.clinical import protocols as core
from ketaclinic.plans.models import Appointment, Chair, ClinicScheduling, Protocol
from ketaclinic.plans.scheduling import MONITORING_ROLES, Availability

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time", "step": 900})


class PlanForm(forms.Form):
    protocol = forms.ModelChoiceField(Protocol.objects.none(), help_text="The clinic's current approved protocols.")
    start_on = forms.DateField(label="First dose on", widget=DATE)
    dose_mg_per_kg = forms.DecimalField(
        label="IV dose (mg/kg)", required=False, max_digits=4, decimal_places=2,
        help_text="Leave empty for the protocol's dose. 0.5 mg/kg is the conventional dose (clinical.md §1.1).",
    )
    infusions = forms.IntegerField(label="IV infusions in the induction", required=False, min_value=1,
                                   max_value=core.IV_INDUCTION_MAX_INFUSIONS)
    indication = forms.ChoiceField(label="Esketamine indication", required=False,
                                   choices=[("", "Protocol's")] + [(i.value, i.value) for i in core.Indication])
    dose_mg = forms.TypedChoiceField(label="Esketamine dose (mg)", required=False, coerce=int, empty_value=None,
                                     choices=[("", "Protocol's"), (56, "56 mg"), (84, "84 mg")])
    maintenance_every_weeks = forms.TypedChoiceField(
        label="Esketamine from week 9: every", required=False, coerce=int, empty_value=None,
        choices=[("", "Protocol's"), (1, "1 week"), (2, "2 weeks")],
    )
    through_week = forms.IntegerField(label="Plan esketamine through week", required=False, min_value=1,
                                      max_value=core.ESKETAMINE_SCHEDULE_MAX_WEEKS)
    with_psychotherapy = forms.BooleanField(label="Pair with ketamine-assisted psychotherapy", required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, clinic, **kwargs):
        from ketaclinic.plans.services import current_protocols

        super().__init__(*args, **kwargs)
        ids = [p.pk for p in current_protocols(clinic)]
        self.fields["protocol"].queryset = Protocol.objects.filter(pk__in=ids).order_by("name")


class ReviseForm(PlanForm):
    change_reason = forms.CharField(label="Why the plan changes", max_length=200)


class ProtocolForm(forms.ModelForm):
    class Meta:
        model = Protocol
        fields = [
            "name", "family", "route", "effective_from", "dose_mg_per_kg", "weight_basis", "weight_cap_kg",
            "infusion_min", "induction_infusions", "min_gap_days", "booster_min_interval_days", "indication", "dose_mg",
            "maintenance_every_weeks", "through_week", "observation_min", "kap_preparation_sessions",
            "kap_integration_per_dose", "kap_session_min", "change_reason",
        ]
        widgets = {"effective_from": DATE}


class AvailabilityForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label="Days the patient can come", choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4, 5, 6],
    )
    earliest = forms.TimeField(label="Not before", initial=dt.time(7, 0), widget=TIME)
    latest = forms.TimeField(label="Done by", initial=dt.time(20, 0), widget=TIME,
                             help_text="The visit must end by this time (the patient's ride, work).")

    def clean(self):
        data = super().clean()
        if data.get("earliest") and data.get("latest") and data["earliest"] >= data["latest"]:
            self.add_error("latest", "Must be after “not before”.")
        return data

    @staticmethod
    def default() -> Availability:
        return Availability(frozenset(range(7)), dt.time(7, 0), dt.time(20, 0))

    def availability(self) -> Availability:
        data = self.cleaned_data
        return Availability(frozenset(data["weekdays"]), data["earliest"], data["latest"])


class RescheduleForm(forms.Form):
    day = forms.DateField(label="Date", widget=DATE)
    time = forms.TimeField(label="Start", widget=TIME, help_text="Quarter hours, clinic time.")
    chair = forms.ModelChoiceField(Chair.objects.none(), required=False, empty_label="Any free chair")

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = Chair.objects.filter(clinic=clinic, is_active=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Kept in the audit trail.")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Appointment.Status.choices)


class BoosterForm(forms.Form):
    on = forms.DateField(label="Booster on", widget=DATE)


class ChairForm(forms.Form):
    name = forms.CharField(max_length=60)
    kind = forms.ChoiceField(choices=Chair.Kind.choices)


class ClosedDayForm(forms.Form):
    date = forms.DateField(widget=DATE)
    reason = forms.CharField(max_length=120, required=False)


class ShiftForm(forms.Form):
    user = forms.ModelChoiceField(User.objects.none(), label="Nurse or physician")
    day = forms.DateField(widget=DATE)
    starts = forms.TimeField(widget=TIME, initial=dt.time(7, 30))
    ends = forms.TimeField(widget=TIME, initial=dt.time(18, 0))

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            memberships__clinic=clinic, memberships__role__in=MONITORING_ROLES
        ).distinct().order_by("display_name", "username")


class SchedulingForm(forms.ModelForm):
    class Meta:
        model = ClinicScheduling
        fields = ["nurse_ratio", "iv_fasting_food_h", "iv_fasting_liquids_h"]


class HoursForm(forms.Form):
    """Seven rows: opens/closes per weekday; both empty means closed."""

    def __init__(self, *args, hours=None, **kwargs):
        super().__init__(*args, **kwargs)
        hours = hours or {}
        for day, label in WEEKDAYS:
            opens, closes = hours.get(day, (None, None))
            self.fields[f"opens_{day}"] = forms.TimeField(label=f"{label} opens", required=False, initial=opens, widget=TIME)
            self.fields[f"closes_{day}"] = forms.TimeField(label=f"{label} closes", required=False, initial=closes, widget=TIME)

    def clean(self):
        data = super().clean()
        for day, label in WEEKDAYS:
            if bool(data.get(f"opens_{day}")) != bool(data.get(f"closes_{day}")):
                self.add_error(f"closes_{day}", f"Give both times for {label}, or neither (closed).")
        return data

    def hours(self) -> dict:
        data = self.cleaned_data
        return {day: (data[f"opens_{day}"], data[f"closes_{day}"]) if data.get(f"opens_{day}") else None for day, _ in WEEKDAYS}

    def rows(self):
        return [(label, self[f"opens_{day}"], self[f"closes_{day}"]) for day, label in WEEKDAYS]


def parse_booking_rows(post, proposals, tz):
    """The booking table's rows: ``include_<id>``, ``day_<id>``, ``time_<id>``, ``chair_<id>`` per session.

    Returns (items, errors); errors are keyed ``session_<id>`` like the service's.
    """
    from ketaclinic.plans.services import BookingItem

    items, errors = [], {}
    for proposal in proposals:
        sid = proposal.session.pk
        if not post.get(f"include_{sid}"):
            continue
        try:
            day = forms.DateField().clean(post.get(f"day_{sid}"))
            time = forms.TimeField().clean(post.get(f"time_{sid}"))
        except ValidationError:
            errors[f"session_{sid}"] = ["Give a date and a start time."]
            continue
        chair = post.get(f"chair_{sid}") or None
        starts_at = dt.datetime.combine(day, time, tzinfo=tz).astimezone(dt.UTC)
        items.append(BookingItem(sid, starts_at, int(chair) if chair and chair.isdigit() else None))
    return items, errors
