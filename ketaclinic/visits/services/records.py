"""Session notes (sign-and-lock, signed amendments), adverse events, REMS enrolment, the clinic protocol."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.access import can
from ketaclinic.accounts.roles import Perm
from ketaclinic.visits.models import (
    AdverseEvent,
    AdverseEventFollowUp,
    Note,
    NoteAmendment,
    RemsEnrollment,
    SessionProtocol,
    Visit,
)
from ketaclinic.visits.models.protocol import VITAL_LIMIT_FIELDS
from ketaclinic.visits.services.common import record, require_text

NOTE_BODY_MAX = 20_000
# Who may write which note: a physician's note needs the physician's signing right.
NOTE_KIND_PERM = {Note.Kind.PHYSICIAN: Perm.CLINICAL_SIGN}


# --- notes -----------------------------------------------------------------------------------------------------
def _body(text: str) -> str:
    text = require_text(text, "body", "what happened")
    if len(text) > NOTE_BODY_MAX:
        raise ValidationError({"body": f"Keep a note under {NOTE_BODY_MAX} characters."})
    return text


@transaction.atomic
def create_note(visit: Visit, *, kind: str, body: str, acting_user, sign: bool = False) -> Note:
    if kind not in Note.Kind.values:
        raise ValidationError({"kind": "Choose the kind of note."})
    needed = NOTE_KIND_PERM.get(kind, Perm.CLINICAL_RECORD)
    if not can(acting_user, needed, visit.clinic_id):
        raise ValidationError({"kind": f"Your role cannot write a {Note.Kind(kind).label.lower()}."})
    now = timezone.now()
    note = Note.objects.create(visit=visit, kind=kind, body=_body(body), author=acting_user, created_at=now, updated_at=now,
                               signed_at=now if sign else None)
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="note", object_id=note.pk,
           summary=f"{note.get_kind_display()} written" + (" and signed" if sign else ""))
    return note


def _own_draft(note: Note, user) -> Note:
    note = Note.objects.select_for_update(of=("self",)).select_related("visit").get(pk=note.pk)
    if note.is_signed:
        raise ValidationError({"__all__": "This note is signed and locked; add a signed amendment instead."})
    if note.author_id != user.pk:
        raise ValidationError({"__all__": "Only the author may change or sign their draft."})
    return note


@transaction.atomic
def update_note(note: Note, *, body: str, acting_user) -> Note:
    note = _own_draft(note, acting_user)
    before, note.body, note.updated_at = note.body, _body(body), timezone.now()
    note.save(update_fields=["body", "updated_at"])
    record(audit.Action.UPDATE, note.visit, actor=acting_user, object_type="note", object_id=note.pk,
           summary="Draft note changed", changes={"body": [len(before), len(note.body)]})
    return note


@transaction.atomic
def sign_note(note: Note, *, acting_user) -> Note:
    note = _own_draft(note, acting_user)
    note.signed_at = timezone.now()
    note.save(update_fields=["signed_at"])
    record(audit.Action.UPDATE, note.visit, actor=acting_user, object_type="note", object_id=note.pk,
           summary=f"{note.get_kind_display()} signed", changes={"signed_at": [None, note.signed_at.isoformat()]})
    return note


@transaction.atomic
def amend_note(note: Note, *, body: str, reason: str, acting_user) -> NoteAmendment:
    note = Note.objects.select_for_update(of=("self",)).select_related("visit").get(pk=note.pk)
    if not note.is_signed:
        raise ValidationError({"__all__": "A draft is edited, not amended."})
    if not can(acting_user, NOTE_KIND_PERM.get(note.kind, Perm.CLINICAL_RECORD), note.visit.clinic_id):
        raise ValidationError({"__all__": "Your role cannot amend this note."})
    amendment = NoteAmendment.objects.create(note=note, author=acting_user, body=_body(body),
                                             reason=require_text(reason, "reason", "why the note is amended")[:200])
    record(audit.Action.CREATE, note.visit, actor=acting_user, object_type="note_amendment", object_id=amendment.pk,
           summary=f"Signed amendment to note #{note.pk}: {amendment.reason[:100]}")
    return amendment


# --- adverse events --------------------------------------------------------------------------------------------
AE_FIELDS = ("onset_at", "category", "description", "severity", "seriousness", "outcome", "action_taken",
             "follow_up_plan", "follow_up_due_on")


def _apply_event(event: AdverseEvent, data: dict) -> None:
    unknown = set(data) - set(AE_FIELDS)
    if unknown:
        raise ValidationError({k: "is not an adverse-event field that can be set." for k in sorted(unknown)})
    for key, value in data.items():
        setattr(event, key, value if value is not None or key in ("follow_up_due_on", "onset_at") else "")
    criteria = list(event.seriousness or [])
    bad = [c for c in criteria if c not in AdverseEvent.Seriousness.values]
    if bad:
        raise ValidationError({"seriousness": f"Unknown criteria: {', '.join(bad)}."})
    event.seriousness, event.serious = sorted(set(criteria)), bool(criteria)
    if event.onset_at and event.onset_at > timezone.now() + dt.timedelta(minutes=2):
        raise ValidationError({"onset_at": "cannot be in the future."})
    if event.outcome == AdverseEvent.Outcome.FATAL and AdverseEvent.Seriousness.DEATH not in event.seriousness:
        raise ValidationError({"seriousness": "A fatal outcome is a serious event: tick “Death”."})
    event.full_clean(exclude=["clinic", "patient", "visit", "recorded_by"])


@transaction.atomic
def record_adverse_event(patient, *, data: dict, acting_user, visit: Visit | None = None) -> AdverseEvent:
    if visit is not None and visit.patient_id != patient.pk:
        raise ValidationError({"visit_id": "That visit is another patient's."})
    event = AdverseEvent(clinic_id=patient.clinic_id, patient=patient, visit=visit, recorded_by=acting_user)
    _apply_event(event, data)
    event.save()
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="adverse_event", object_id=event.pk,
                 clinic=patient.clinic_id, patient=patient, summary=f"Adverse event: {event.get_category_display()}"
                 + (" (serious)" if event.serious else ""), changes=audit.snapshot(event, ("severity", "outcome", "serious")))
    return event


@transaction.atomic
def update_adverse_event(event: AdverseEvent, *, data: dict, acting_user) -> AdverseEvent:
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    fields = AE_FIELDS + ("serious",)
    before = audit.snapshot(event, fields)
    _apply_event(event, data)
    event.save()
    changes = audit.changed(before, audit.snapshot(event, fields))
    if changes:
        audit.record(audit.Action.UPDATE, actor=acting_user, object_type="adverse_event", object_id=event.pk,
                     clinic=event.clinic_id, patient=event.patient_id, summary="Adverse event updated", changes=changes)
    return event


@transaction.atomic
def add_follow_up(event: AdverseEvent, *, note: str, acting_user) -> AdverseEventFollowUp:
    follow_up = AdverseEventFollowUp.objects.create(event=event, note=require_text(note, "note", "the follow-up"),
                                                    recorded_by=acting_user)
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="adverse_event_follow_up", object_id=follow_up.pk,
                 clinic=event.clinic_id, patient=event.patient_id, summary=f"Follow-up on adverse event #{event.pk}")
    return follow_up


@transaction.atomic
def mark_reported(event: AdverseEvent, *, reported_to: str, reference: str, acting_user) -> AdverseEvent:
    event = AdverseEvent.objects.select_for_update().get(pk=event.pk)
    if event.reported_at is not None:
        raise ValidationError({"__all__": "Already recorded as reported."})
    event.reported_to = require_text(reported_to, "reported_to", "where it was reported")[:80]
    event.report_reference, event.reported_at = (reference or "").strip()[:60], timezone.now()
    event.save(update_fields=["reported_to", "report_reference", "reported_at"])
    audit.record(audit.Action.UPDATE, actor=acting_user, object_type="adverse_event", object_id=event.pk,
                 clinic=event.clinic_id, patient=event.patient_id, summary=f"Adverse event reported to {event.reported_to}",
                 changes={"reported_to": [None, event.reported_to]})
    return event


# --- REMS enrolment --------------------------------------------------------------------------------------------
@transaction.atomic
def record_rems_enrollment(patient, *, enrolled_on: dt.date, prescriber, reference: str, acting_user) -> RemsEnrollment:
    if enrolled_on is None or enrolled_on > timezone.localdate(timezone=patient.clinic.tz):
        raise ValidationError({"enrolled_on": "Give the date the enrolment form was signed (not in the future)."})
    if prescriber is None or not can(prescriber, Perm.CLINICAL_SIGN, patient.clinic_id):
        raise ValidationError({"prescriber_id": "Choose the prescriber who signed the enrolment form."})
    enrollment = RemsEnrollment(patient=patient, enrolled_on=enrolled_on, prescriber=prescriber,
                                reference=(reference or "").strip()[:40], recorded_by=acting_user)
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        raise ValidationError({"__all__": "The patient is already enrolled; end that enrolment first."}) from None
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="rems_enrollment", object_id=enrollment.pk,
                 clinic=patient.clinic_id, patient=patient, summary="SPRAVATO REMS enrolment recorded")
    return enrollment


@transaction.atomic
def end_rems_enrollment(enrollment: RemsEnrollment, *, reason: str, acting_user) -> RemsEnrollment:
    enrollment = RemsEnrollment.objects.select_for_update(of=("self",)).select_related("patient").get(pk=enrollment.pk)
    if enrollment.ended_on is not None:
        raise ValidationError({"__all__": "This enrolment has already ended."})
    enrollment.end_reason = require_text(reason, "reason", "why the enrolment ends")[:200]
    enrollment.ended_on = timezone.localdate(timezone=enrollment.patient.clinic.tz)
    enrollment.save(update_fields=["ended_on", "end_reason"])
    audit.record(audit.Action.UPDATE, actor=acting_user, object_type="rems_enrollment", object_id=enrollment.pk,
                 clinic=enrollment.patient.clinic_id, patient=enrollment.patient_id, summary="SPRAVATO REMS enrolment ended")
    return enrollment


# --- the clinic's session protocol -----------------------------------------------------------------------------
PROTOCOL_FIELDS = ("iv_observation_min", "esketamine_observation_min", "weight_max_age_days",
                   "max_dose_mg_per_kg_without_override", "dosing_vitals_interval_min", "recovery_vitals_interval_min",
                   "near_baseline_tolerance_pct", "discharge_method", "vital_limits")


def protocol_in_force(clinic) -> SessionProtocol:
    """The clinic's current protocol, or an unsaved one holding the shipped defaults."""
    return SessionProtocol.objects.filter(clinic=clinic, effective_from__lte=timezone.now()).first() or SessionProtocol(clinic=clinic)


@transaction.atomic
def revise_protocol(clinic, *, data: dict, acting_user) -> SessionProtocol:
    """A new version of the clinic's protocol, from now, approved by ``acting_user``. Old visits keep theirs."""
    unknown = set(data) - set(PROTOCOL_FIELDS)
    if unknown:
        raise ValidationError({k: "is not a protocol setting." for k in sorted(unknown)})
    current = protocol_in_force(clinic)
    values = {name: getattr(current, name) for name in PROTOCOL_FIELDS}
    values.update(data)
    limits = {k: v for k, v in (values["vital_limits"] or {}).items() if v is not None}
    unknown = sorted(set(limits) - set(VITAL_LIMIT_FIELDS))
    if unknown:
        raise ValidationError({"vital_limits": f"unknown limits: {', '.join(unknown)}."})
    values["vital_limits"] = {k: v for k, v in limits.items() if v != _default_limit(k)}
    protocol = SessionProtocol(clinic=clinic, approved_by=acting_user, effective_from=timezone.now(), **values)
    protocol.full_clean()
    protocol.save()
    changes = {k: [str(getattr(current, k)), str(getattr(protocol, k))] for k in PROTOCOL_FIELDS
               if getattr(current, k) != getattr(protocol, k)}
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="session_protocol", object_id=protocol.pk,
                 clinic=clinic, summary="Session protocol revised", changes=changes)
    return protocol


def _default_limit(name: str):
    from ketaclinic.clinical.vitals import DEFAULT_LIMITS

    return getattr(DEFAULT_LIMITS, name)
