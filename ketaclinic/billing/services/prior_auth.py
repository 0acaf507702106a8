"""Esketamine prior authorisation: drafted with the payer's usual questions pre-filled from the record,
submitted, decided (approved with units and dates, or denied), appealed or withdrawn.

Payers ask for the diagnosis, the failed antidepressant trials (≥2 adequate trials in the current
episode defines TRD, clinical.md §4.1) and baseline scores. They are read from the intake and outcomes
areas when those hold them, and left blank otherwise for billing to fill in.
"""

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from ketaclinic.accounts import audit
from ketaclinic.billing import codes
from ketaclinic.billing.models import Charge, Coverage, PriorAuthorization
from ketaclinic.billing.services._common import apply_fields, clinic_today, record_create, record_update, save_checked
from ketaclinic.billing.services.insurance import diagnoses_for
from ketaclinic.patients.models import Patient

S = PriorAuthorization.Status
# Which decision may follow which.
TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.WITHDRAWN},
    S.SUBMITTED: {S.APPROVED, S.DENIED, S.WITHDRAWN},
    S.DENIED: {S.APPEALED},
    S.APPEALED: {S.APPROVED, S.DENIED, S.WITHDRAWN},
    S.APPROVED: set(),
    S.WITHDRAWN: set(),
}
DRAFT_FIELDS = ("unit_code", "units_requested", "diagnosis_codes", "failed_trials", "baseline_scores",
                "clinical_summary", "requested_on")
# Warn staff when an approval is about to run out, in days or units left. [UNSOURCED – common practice]
EXPIRY_WARNING_DAYS = 14
UNITS_LEFT_WARNING = 2
BASELINE_SCALES = ("PHQ-9", "MADRS", "GAD-7", "QIDS-SR16", "PCL-5")


# --- the payer's questions, pre-filled -------------------------------------------------------------

def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def prefill_failed_trials(patient: Patient) -> str:
    trial_model = _model("intake.AntidepressantTrial")
    if trial_model is None:
        return ""
    lines = []
    for trial in trial_model.objects.filter(intake__patient=patient).order_by("created_at", "id"):
        dose = f"{trial.dose_mg_per_day.normalize():f} mg/day, " if trial.dose_mg_per_day is not None else ""
        lines.append(f"{trial.drug}: {dose}{trial.weeks} weeks; adequate dose: {trial.get_adequate_dose_display().lower()}; "
                     f"adherence: {trial.get_adherence_display().lower()}; outcome: {trial.get_outcome_display().lower()}")
    return "\n".join(lines)


def prefill_baseline_scores(patient: Patient) -> str:
    """The first final score of each scale on record (the baseline before treatment)."""
    response_model = _model("outcomes.QuestionnaireResponse")
    if response_model is None:
        return ""
    first: dict[str, Any] = {}
    for response in response_model.objects.filter(patient=patient, status="final").order_by("taken_at", "id"):
        first.setdefault(response.instrument, response)
    lines = []
    for instrument, response in sorted(first.items(), key=lambda kv: kv[1].taken_at):
        severity = f" ({response.severity})" if response.severity else ""
        lines.append(f"{instrument}: {response.total}{severity} on {response.taken_on:%m/%d/%Y}")
    return "\n".join(lines)


def prefill_summary(patient: Patient) -> str:
    intake_model = _model("intake.Intake")
    intake = intake_model.objects.filter(patient=patient).first() if intake_model else None
    if intake is None or not intake.conditions:
        return ""
    try:
        from ketaclinic.intake.models import Condition
        names = [Condition(c).label for c in intake.conditions if c in Condition.values]
    except ImportError:
        names = list(intake.conditions)
    return "Conditions noted at intake: " + ", ".join(names) + "." if names else ""


def prefilled(patient: Patient) -> dict[str, Any]:
    return {
        "diagnosis_codes": diagnoses_for(patient),
        "failed_trials": prefill_failed_trials(patient),
        "baseline_scores": prefill_baseline_scores(patient),
        "clinical_summary": prefill_summary(patient),
    }


# --- the life of a request -------------------------------------------------------------------------

def _clean_codes(pa: PriorAuthorization) -> None:
    try:
        pa.diagnosis_codes = codes.clean_icd10(pa.diagnosis_codes)
    except ValueError as error:
        raise ValidationError({"diagnosis_codes": str(error)}) from None


@transaction.atomic
def start_prior_authorization(coverage: Coverage, *, data: dict[str, Any] | None = None, acting_user) -> PriorAuthorization:
    """A draft for the coverage, pre-filled from the record; ``data`` overrides any pre-filled answer."""
    patient = coverage.patient
    if not coverage.active:
        raise ValidationError({"coverage": "That coverage has ended."})
    pa = PriorAuthorization(patient=patient, coverage=coverage,
                            created_by=acting_user if getattr(acting_user, "pk", None) else None)
    apply_fields(pa, {"requested_on": clinic_today(patient.clinic), **prefilled(patient), **(data or {})}, DRAFT_FIELDS)
    _clean_codes(pa)
    save_checked(pa)
    record_create(pa, actor=acting_user, object_type="prior_authorization", clinic=patient.clinic_id, patient=patient,
                  summary="Started an esketamine prior authorisation")
    return pa


def _locked(pa: PriorAuthorization) -> PriorAuthorization:
    return PriorAuthorization.objects.select_for_update().select_related("patient").get(pk=pa.pk)


def _move(pa: PriorAuthorization, status: str) -> None:
    if status not in TRANSITIONS[S(pa.status)]:
        allowed = ", ".join(S(s).label.lower() for s in TRANSITIONS[S(pa.status)]) or "nothing (it is closed)"
        raise ValidationError({"status": f"A request that is {S(pa.status).label.lower()} cannot become "
                                         f"{S(status).label.lower()}; next may be: {allowed}."})
    pa.status = status


def _save(pa: PriorAuthorization, before: dict, acting_user, summary: str) -> PriorAuthorization:
    save_checked(pa)
    record_update(pa, before, actor=acting_user, object_type="prior_authorization", clinic=pa.patient.clinic_id,
                  patient=pa.patient_id, summary=summary)
    return pa


@transaction.atomic
def update_draft(pa: PriorAuthorization, *, data: dict[str, Any], acting_user) -> PriorAuthorization:
    pa = _locked(pa)
    if pa.status != S.DRAFT:
        raise ValidationError({"status": "Only a request being prepared can be edited; it has gone to the payer."})
    before = audit.snapshot(pa, PriorAuthorization.AUDITED_FIELDS)
    apply_fields(pa, data, DRAFT_FIELDS)
    _clean_codes(pa)
    return _save(pa, before, acting_user, "Edited a prior authorisation request")


@transaction.atomic
def submit_prior_authorization(pa: PriorAuthorization, *, submitted_on: dt.date, acting_user) -> PriorAuthorization:
    pa = _locked(pa)
    before = audit.snapshot(pa, PriorAuthorization.AUDITED_FIELDS)
    _move(pa, S.SUBMITTED)
    if not pa.diagnosis_codes:
        raise ValidationError({"diagnosis_codes": "Payers need at least one diagnosis code; add it before submitting."})
    if submitted_on < pa.requested_on:
        raise ValidationError({"submitted_on": "Cannot be before the request was started."})
    pa.submitted_on = submitted_on
    return _save(pa, before, acting_user, "Submitted a prior authorisation to the payer")


@transaction.atomic
def record_approval(pa: PriorAuthorization, *, decided_on: dt.date, units_approved: int, valid_from: dt.date,
                    valid_to: dt.date, payer_reference: str, acting_user) -> PriorAuthorization:
    pa = _locked(pa)
    before = audit.snapshot(pa, PriorAuthorization.AUDITED_FIELDS)
    _move(pa, S.APPROVED)
    if not payer_reference.strip():
        raise ValidationError({"payer_reference": "Enter the payer's authorisation number; claims need it."})
    if not units_approved or units_approved < 1:
        raise ValidationError({"units_approved": "Enter how many units the payer approved (at least 1)."})
    if valid_to < valid_from:
        raise ValidationError({"valid_to": "The approval cannot expire before it starts."})
    if pa.submitted_on and decided_on < pa.submitted_on:
        raise ValidationError({"decided_on": "Cannot be before the request was submitted."})
    pa.decided_on, pa.units_approved, pa.valid_from, pa.valid_to = decided_on, units_approved, valid_from, valid_to
    pa.payer_reference = payer_reference.strip()
    return _save(pa, before, acting_user, "Recorded prior authorisation approval")


@transaction.atomic
def record_denial(pa: PriorAuthorization, *, decided_on: dt.date, reason: str, acting_user) -> PriorAuthorization:
    pa = _locked(pa)
    before = audit.snapshot(pa, PriorAuthorization.AUDITED_FIELDS)
    _move(pa, S.DENIED)
    if not reason.strip():
        raise ValidationError({"denial_reason": "Say why the payer denied it; an appeal answers that reason."})
    pa.decided_on, pa.denial_reason = decided_on, reason.strip()
    return _save(pa, before, acting_user, "Recorded prior authorisation denial")


@transaction.atomic
def appeal_prior_authorization(pa: PriorAuthorization, *, note: str, acting_user) -> PriorAuthorization:
    pa = _locked(pa)
    before = audit.snapshot(pa, PriorAuthorization.AUDITED_FIELDS)
    _move(pa, S.APPEALED)
    if note.strip():
        pa.clinical_summary = (pa.clinical_summary + "\n\nAppeal: " + note.strip()).strip()[:4000]
    return _save(pa, before, acting_user, "Appealed a prior authorisation denial")


@transaction.atomic
def withdraw_prior_authorization(pa: PriorAuthorization, *, acting_user) -> PriorAuthorization:
    pa = _locked(pa)
    before = audit.snapshot(pa, PriorAuthorization.AUDITED_FIELDS)
    _move(pa, S.WITHDRAWN)
    return _save(pa, before, acting_user, "Withdrew a prior authorisation request")


# --- use ------------------------------------------------------------------------------------------

def units_used(pa: PriorAuthorization) -> int:
    return sum(Charge.objects.filter(prior_authorization=pa, status=Charge.Status.ACTIVE, code=pa.unit_code)
               .values_list("units", flat=True))


def units_left(pa: PriorAuthorization) -> int | None:
    if pa.units_approved is None:
        return None
    return max(0, pa.units_approved - units_used(pa))


def authorization_for(patient: Patient, code: str, on: dt.date) -> PriorAuthorization | None:
    """The approved request in force on ``on`` that counts ``code``, with units left; None otherwise."""
    for pa in PriorAuthorization.objects.filter(patient=patient, status=S.APPROVED, valid_from__lte=on, valid_to__gte=on):
        if pa.unit_code == code and (units_left(pa) or 0) > 0:
            return pa
    return None


def warnings_for(pa: PriorAuthorization, today: dt.date) -> list[str]:
    if pa.status != S.APPROVED:
        return []
    found = []
    if pa.valid_to and pa.valid_to < today:
        found.append(f"Expired on {pa.valid_to:%m/%d/%Y}.")
    elif pa.valid_to and (pa.valid_to - today).days <= EXPIRY_WARNING_DAYS:
        found.append(f"Expires on {pa.valid_to:%m/%d/%Y}; ask for a renewal now.")
    left = units_left(pa)
    if left is not None and left <= UNITS_LEFT_WARNING:
        found.append(f"{left} unit{'s' if left != 1 else ''} left.")
    return found
