"""Forms: a questionnaire built from the library's definition, and the small staff forms. Services validate again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ketaclinic.clinical.instruments import InstrumentDefinition
from ketaclinic.outcomes import scales
from ketaclinic.outcomes.models import (
    ClinicSafetySettings,
    ClinicScaleSchedule,
    Condition,
    Context,
    PrimaryScale,
    Route,
    TreatmentCourse,
)


def item_field_name(number: int) -> str:
    return f"item_{number}"


class QuestionnaireForm(forms.Form):
    """One radio group per item, named item_1 … item_N (the names service errors are keyed by).

    ``require_all`` is False for "save and finish later": a draft may leave items unanswered.
    """

    def __init__(self, definition: InstrumentDefinition, *args, require_all: bool = True, initial_answers=None,
                 staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        answers = list(initial_answers or [])
        for index, item in enumerate(definition.items):
            name = item_field_name(item.number)
            if len(definition.items) == 1 and item.lo != item.hi and not item.options:
                field = forms.IntegerField(label=item.label, min_value=item.lo, max_value=item.hi,
                                           help_text=f"{item.lo}–{item.hi}", required=require_all)
            else:
                choices = [(o.value, o.label) for o in item.options] or [(v, str(v)) for v in range(item.lo, item.hi + 1)]
                field = forms.TypedChoiceField(
                    label=(item.wording if item.wording and not staff else item.label) or item.label, choices=choices,
                    coerce=int, widget=forms.RadioSelect, required=require_all,
                    error_messages={"required": _("Please choose an answer.")},
                )
            field.item = item
            if index < len(answers) and answers[index] is not None:
                field.initial = answers[index]
            self.fields[name] = field

    def answers(self) -> list:
        """Item order; None for an item left empty (only in a draft)."""
        data = self.cleaned_data
        return [data.get(item_field_name(i.number)) if data.get(item_field_name(i.number)) not in ("", None) else None
                for i in self.definition.items]


class StaffQuestionnaireForm(QuestionnaireForm):
    sex = forms.ChoiceField(
        choices=[("", "From the patient's record"), ("male", "Male"), ("female", "Female")], required=False,
        help_text="AUDIT-C's cut-off depends on sex (clinical.md §5.11).",
    )

    def __init__(self, definition, *args, courses=(), **kwargs):
        super().__init__(definition, *args, staff=True, **kwargs)
        self.fields["course"] = forms.TypedChoiceField(
            choices=[("", "No course / the one open course")] + [(c.pk, str(c)) for c in courses], coerce=int,
            required=False, empty_value=None,
        )
        self.fields["context"] = forms.ChoiceField(choices=Context.choices, initial=Context.IN_CLINIC)
        if definition.code != "AUDIT-C":
            del self.fields["sex"]


class CourseForm(forms.Form):
    route = forms.ChoiceField(choices=Route.choices)
    condition = forms.ChoiceField(choices=Condition.choices)
    started_on = forms.DateField(label="Started on", widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text="The day of the first dose (or the day it is planned).")
    primary_scale = forms.ChoiceField(
        choices=[("", "By condition (GAD-7 for anxiety and panic, otherwise PHQ-9)")] + PrimaryScale.choices,
        required=False, help_text="Response and remission are measured on this scale.",
    )


class InductionForm(forms.Form):
    on = forms.DateField(label="Induction completed on", widget=forms.DateInput(attrs={"type": "date"}))


class EndCourseForm(forms.Form):
    status = forms.ChoiceField(choices=[(TreatmentCourse.Status.COMPLETED, "Completed"), (TreatmentCourse.Status.STOPPED, "Stopped")])
    on = forms.DateField(label="On", widget=forms.DateInput(attrs={"type": "date"}))


class AcknowledgeForm(forms.Form):
    action_taken = forms.CharField(
        label="What was done", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Who reached the patient, what was assessed (C-SSRS), the safety plan and any follow-up.",
    )


class AmendForm(forms.Form):
    reason = forms.CharField(label="Why are the answers corrected?", max_length=300)


class AssignForm(forms.Form):
    instrument = forms.ChoiceField(choices=[(c, c) for c in scales.SELF_REPORT_CODES])
    due_on = forms.DateField(label="Due on", widget=forms.DateInput(attrs={"type": "date"}))


class SafetySettingsForm(forms.ModelForm):
    class Meta:
        model = ClinicSafetySettings
        fields = ClinicSafetySettings.AUDITED_FIELDS

    def _post_clean(self):  # the service validates the model, so errors come from one place
        pass


class ScheduleForm(forms.Form):
    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "intake": "At intake (baseline)", "pre_dose": "Before each dosing session",
            "after_first_dose": "After the first dose", "induction_weekly": "Weekly during induction",
            "maintenance_monthly": "Monthly in maintenance",
        }
        for name in ClinicScaleSchedule.TRIGGER_FIELDS:
            self.fields[name] = forms.MultipleChoiceField(
                label=labels[name], choices=[(c, c) for c in scales.SELF_REPORT_CODES], required=False,
                widget=forms.CheckboxSelectMultiple, initial=getattr(instance, name, []),
            )
        for name, label in (("after_first_dose_hours", "Hours after the first dose"),
                            ("induction_interval_days", "Days between induction questionnaires"),
                            ("maintenance_interval_days", "Days between maintenance questionnaires")):
            self.fields[name] = forms.IntegerField(label=label, initial=getattr(instance, name, None))
