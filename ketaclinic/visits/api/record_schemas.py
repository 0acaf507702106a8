"""Shapes for notes, monitoring forms, adverse events and REMS enrolment."""

import datetime as dt

from ninja import Field, Schema


class NoteIn(Schema):
    kind: str = Field(description="nurse, physician, kap_preparation, kap_dosing or kap_integration")
    body: str
    sign: bool = Field(False, description="Sign (and lock) at once.")


class NoteAmendmentIn(Schema):
    body: str
    reason: str


class NoteAmendmentOut(Schema):
    id: int
    author_id: int
    signed_at: dt.datetime
    reason: str
    body: str


class NoteOut(Schema):
    id: int
    visit_id: int
    kind: str
    author_id: int
    created_at: dt.datetime
    body: str
    signed_at: dt.datetime | None
    amendments: list[NoteAmendmentOut]

    @staticmethod
    def resolve_amendments(obj):
        return list(obj.amendments.all())


class NoteBodyIn(Schema):
    body: str


class FormFieldOut(Schema):
    key: str
    section: str
    label: str
    required: bool
    value: str | int | None


class MonitoringFormOut(Schema):
    id: int
    visit_id: int
    patient_id: int
    form_version: str
    status: str = Field(description="draft, signed, submitted or amended (amended after submission: resubmit)")
    due_on: dt.date
    signed_at: dt.datetime | None
    submitted_at: dt.datetime | None
    submission_method: str
    submission_reference: str
    fields: list[FormFieldOut]
    missing_or_invalid: dict[str, str] = Field(description="What stops a signature, by field.")


class MonitoringFormRowOut(Schema):
    id: int
    visit_id: int
    patient_id: int
    status: str
    due_on: dt.date
    submitted_at: dt.datetime | None

    @staticmethod
    def resolve_patient_id(obj):
        return obj.visit.patient_id


class FormDataIn(Schema):
    data: dict[str, str | int | None] = Field(description="{field key: value}; yes/no answers are 'yes' or 'no'.")


class FormAmendIn(FormDataIn):
    reason: str


class SubmissionIn(Schema):
    method: str = Field(description="online, fax or phone")
    reference: str = ""


class AdverseEventIn(Schema):
    patient_id: int
    visit_id: int | None = None
    onset_at: dt.datetime
    category: str
    description: str
    severity: str = Field(description="mild, moderate or severe")
    seriousness: list[str] = Field(default_factory=list, description="Any of death, life_threatening, hospitalization, disability, congenital, intervention, other_important; empty if not serious.")
    outcome: str = Field(description="resolved, resolving, not_resolved, sequelae, fatal or unknown")
    action_taken: str = ""
    follow_up_plan: str = ""
    follow_up_due_on: dt.date | None = None


class AdverseEventPatch(Schema):
    onset_at: dt.datetime | None = None
    category: str | None = None
    description: str | None = None
    severity: str | None = None
    seriousness: list[str] | None = None
    outcome: str | None = None
    action_taken: str | None = None
    follow_up_plan: str | None = None
    follow_up_due_on: dt.date | None = None


class FollowUpIn(Schema):
    note: str


class ReportIn(Schema):
    reported_to: str
    reference: str = ""


class FollowUpOut(Schema):
    id: int
    at: dt.datetime
    note: str
    recorded_by_id: int


class AdverseEventOut(Schema):
    id: int
    clinic_id: int
    patient_id: int
    visit_id: int | None
    onset_at: dt.datetime
    category: str
    description: str
    severity: str
    serious: bool
    seriousness: list[str]
    outcome: str
    action_taken: str
    follow_up_plan: str
    follow_up_due_on: dt.date | None
    reported_at: dt.datetime | None
    reported_to: str
    report_reference: str
    needs_report: bool
    follow_ups: list[FollowUpOut]

    @staticmethod
    def resolve_follow_ups(obj):
        return list(obj.follow_ups.all())


class RemsEnrollmentIn(Schema):
    patient_id: int
    enrolled_on: dt.date
    prescriber_id: int
    reference: str = ""


class RemsEnrollmentOut(Schema):
    id: int
    patient_id: int
    enrolled_on: dt.date
    prescriber_id: int
    reference: str
    ended_on: dt.date | None
