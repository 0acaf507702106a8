"""The SPRAVATO REMS Patient Monitoring Form: filled from the session record, checked, signed, submitted.

The form cannot be signed while a required field is empty (``rems_pmf.sign_blockers``). Once signed its
values are frozen; a correction is a signed amendment, and a form amended after submission must be resubmitted.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.clinical import rems_pmf, session_day
from ketaclinic.clinical.instruments import cadss_dissociation
from ketaclinic.visits.models import ChecklistItem, MonitoringForm, MonitoringFormAmendment, RemsEnrollment, Visit
from ketaclinic.visits.services.checkin import MEDICATION_KEYS, latest_predose_reading
from ketaclinic.visits.services.common import record, require_text

F = MonitoringForm.Status
SUBMISSION_METHODS = {"online": "REMS website", "fax": "Fax 1-877-778-0091", "phone": "Phone 1-855-382-6022"}  # §3.6 [30][31]
YES, NO = rems_pmf.YES, rems_pmf.NO


def _yn(value) -> str:
    return "" if value is None else (YES if value else NO)


def prefill(visit: Visit) -> dict:
    """Everything the session record already says, in the form's field keys. Unknowns are left empty."""
    data: dict = {}
    data.update(_patient_fields(visit))
    data.update(_medication_fields(visit))
    data.update(_hcp_fields(visit))
    data.update(_setting_fields(visit))
    data.update(_session_fields(visit))
    data.update(_vital_fields(visit))
    data.update(_event_fields(visit))
    return data


def _patient_fields(visit: Visit) -> dict:
    patient = visit.patient
    earlier = Visit.objects.filter(patient=patient, route="esketamine", dosing_started_at__lt=visit.dosing_started_at)
    enrolled = RemsEnrollment.objects.filter(patient=patient, enrolled_on__lte=visit.dosing_started_at.date()).exists()
    return {
        "patient_first_name": patient.legal_first_name, "patient_middle_initial": "", "patient_last_name": patient.legal_last_name,
        "patient_date_of_birth": patient.date_of_birth.isoformat(), "patient_sex": patient.get_sex_at_birth_display(),
        "first_treatment": _yn(not earlier.exists()), "patient_enrolled": _yn(enrolled),
    }


def _medication_fields(visit: Visit) -> dict:
    entry = visit.checklist.filter(item=ChecklistItem.Item.MEDICATIONS).first()
    value = entry.value if entry else {}
    return {key: _yn(value.get(key)) for key in MEDICATION_KEYS}


def _hcp_fields(visit: Visit) -> dict:
    device = visit.doses.filter(drug="esketamine").exclude(status="voided").first()
    nurse = device.administered_by if device and device.administered_by_id else visit.checked_in_by
    first, _, last = (nurse.get_full_name() or nurse.display_name or "").partition(" ")
    return {"hcp_first_name": nurse.first_name or first, "hcp_last_name": nurse.last_name or last,
            "hcp_phone": visit.clinic.phone, "hcp_email": nurse.email}


def _setting_fields(visit: Visit) -> dict:
    clinic = visit.clinic
    return {
        "setting_name": clinic.name, "setting_rems_certification": clinic.rems_certification_number,
        "setting_address": " ".join(filter(None, [clinic.address_line1, clinic.address_line2])), "setting_city": clinic.city,
        "setting_state": clinic.state, "setting_zip": clinic.postal_code,
    }


def _session_fields(visit: Visit) -> dict:
    dose = visit.doses.filter(drug="esketamine").exclude(status="voided").first()
    first = visit.dosing_started_at
    end = visit.discharged_at
    mg = int(dose.dose_mg) if dose else None
    return {
        "treatment_date": timezone.localtime(first, visit.clinic.tz).date().isoformat(),
        "dose": str(mg) if mg in (56, 84) else (rems_pmf.DOSE_OTHER if mg else ""),
        "dose_other_mg": mg if mg and mg not in (56, 84) else None,
        "lot_number": dose.lot_number if dose else "",
        "total_monitoring_min": session_day.minutes_between(first, end) if end else None,
        "ready_to_leave_min": (session_day.nearest_minutes(first, visit.ready_without_observation_rule_at)
                               if visit.ready_without_observation_rule_at else None),
    }


def _vital_fields(visit: Visit) -> dict:
    readings = list(visit.readings.order_by("measured_at", "id"))
    with_bp = [r for r in readings if r.blood_pressure]
    before = latest_predose_reading(visit)
    after = [r for r in with_bp if r.phase != "pre-dose"]
    forty = [r for r in after if session_day.is_forty_minute_reading(visit.dosing_started_at, r.measured_at)]
    predose_alerts = visit.alerts.filter(reading__phase="pre-dose", level__in=["hold", "action"])
    held_open = visit.holds.filter(kind="vitals", clearance="override").exists()
    from ketaclinic.visits.services.discharge import vitals_vs_baseline

    near, _ = vitals_vs_baseline(visit)
    return {
        "vitals_acceptable_before_dosing": _yn(before is not None and not held_open and not predose_alerts.filter(reading=before).exists()),
        "vitals_acceptable_before_end": _yn(near),
        "bp_before_dosing": before.blood_pressure if before else "",
        "bp_40_min": forty[0].blood_pressure if forty else "",
        "bp_before_discharge": after[-1].blood_pressure if after else "",
        "pulse_oximetry_monitored": _yn(any(r.spo2_pct is not None for r in readings if r.phase != "pre-dose")),
    }


def _event_fields(visit: Visit) -> dict:
    """Suggestions from the record; the monitoring HCP confirms each answer before signing."""
    readings = list(visit.readings.exclude(phase="pre-dose"))
    # Sedation: MOAA/S ≤ 3 (the vitals caution line, §10.3 [53]).
    sedation = any(r.moaa_s is not None and r.moaa_s <= 3 for r in readings)
    scores = list(visit.cadss_scores.order_by("measured_at"))
    pre = [s.total for s in scores if s.measured_at < visit.dosing_started_at]
    post = [s.total for s in scores if s.measured_at >= visit.dosing_started_at]
    dissociation = bool(post) and cadss_dissociation(pre[-1] if pre else 0, max(post))  # label: >4 and up from pre-dose (§5.9)
    respiratory = visit.alerts.filter(parameter__in=["spo2_pct", "respiratory_rate_per_min"], level="action").exists()
    bp_up = visit.alerts.filter(parameter__in=["systolic_mmhg", "diastolic_mmhg"], reading__phase__in=["dosing", "recovery"]).exists()
    any_event = sedation or dissociation or respiratory or bp_up
    resolved = visit.status == Visit.Status.DISCHARGED and not visit.alerts.filter(acknowledged_at__isnull=True).exists()
    return {
        "sedation": _yn(sedation), "dissociation": _yn(dissociation), "respiratory_depression": _yn(respiratory),
        "blood_pressure_increase": _yn(bp_up), "events_resolved": _yn(resolved) if any_event else "",
    }


@transaction.atomic
def generate_form(visit: Visit, *, acting_user) -> MonitoringForm:
    """Create the draft form for a discharged esketamine visit, due 7 days after the session (§3.6)."""
    if not visit.is_esketamine or visit.dosing_started_at is None:
        raise ValidationError({"__all__": "A monitoring form is made for an esketamine session that was dosed."})
    existing = MonitoringForm.objects.filter(visit=visit).first()
    if existing is not None:
        return existing
    session_day_local = timezone.localtime(visit.dosing_started_at, visit.clinic.tz).date()
    form = MonitoringForm(
        visit=visit, form_version=rems_pmf.FORM_VERSION, data=prefill(visit), generated_by=acting_user,
        due_on=session_day_local + dt.timedelta(days=session_day.PMF_DUE_WITHIN_DAYS),
    )
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        return MonitoringForm.objects.get(visit=visit)
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="monitoring_form", object_id=form.pk,
           summary=f"REMS monitoring form drafted, due {form.due_on:%m/%d/%Y}")
    return form


def _lock(form: MonitoringForm) -> MonitoringForm:
    return MonitoringForm.objects.select_for_update(of=("self",)).select_related("visit").get(pk=form.pk)


def _typed(data: dict) -> dict:
    """Form posts arrive as text: minutes become whole numbers, blanks become empty."""
    clean = {}
    for key, value in data.items():
        field = rems_pmf.FIELD_BY_KEY.get(key)
        if isinstance(value, str):
            value = value.strip()
        if field is not None and field.kind == "minutes" and isinstance(value, str) and value:
            value = int(value) if value.isdigit() else value
        clean[key] = None if value == "" and field is not None and field.kind == "minutes" else value
    return clean


@transaction.atomic
def update_form(form: MonitoringForm, *, data: dict, acting_user) -> MonitoringForm:
    form = _lock(form)
    if form.status != F.DRAFT:
        raise ValidationError({"__all__": "A signed form is not edited; amend it instead."})
    data = _typed(data)
    errors = rems_pmf.invalid_values(data)
    if errors:
        raise ValidationError(errors)
    changes = {k: [form.data.get(k), v] for k, v in data.items() if form.data.get(k) != v}
    form.data = {**form.data, **data}
    form.save(update_fields=["data"])
    if changes:
        record(audit.Action.UPDATE, form.visit, actor=acting_user, object_type="monitoring_form", object_id=form.pk,
               summary="REMS monitoring form edited", changes=changes)
    return form


@transaction.atomic
def sign_form(form: MonitoringForm, *, acting_user) -> MonitoringForm:
    form = _lock(form)
    if form.status != F.DRAFT:
        raise ValidationError({"__all__": "This form is already signed."})
    blockers = rems_pmf.sign_blockers(form.data)
    if blockers:
        raise ValidationError(blockers)
    form.status, form.signed_at, form.signed_by = F.SIGNED, timezone.now(), acting_user
    form.save(update_fields=["status", "signed_at", "signed_by"])
    record(audit.Action.UPDATE, form.visit, actor=acting_user, object_type="monitoring_form", object_id=form.pk,
           summary="REMS monitoring form signed", changes={"status": [F.DRAFT, F.SIGNED]})
    return form


@transaction.atomic
def record_submission(form: MonitoringForm, *, method: str, reference: str, acting_user, at=None) -> MonitoringForm:
    form = _lock(form)
    if form.status not in (F.SIGNED, F.AMENDED):
        raise ValidationError({"__all__": "Sign the form before recording its submission."})
    if method not in SUBMISSION_METHODS:
        raise ValidationError({"method": f"Choose how it was sent: {', '.join(SUBMISSION_METHODS)}."})
    before = form.status
    form.status, form.submitted_at, form.submitted_by = F.SUBMITTED, at or timezone.now(), acting_user
    form.submission_method, form.submission_reference = method, (reference or "").strip()[:60]
    form.save(update_fields=["status", "submitted_at", "submitted_by", "submission_method", "submission_reference"])
    record(audit.Action.UPDATE, form.visit, actor=acting_user, object_type="monitoring_form", object_id=form.pk,
           summary=f"REMS monitoring form submitted ({SUBMISSION_METHODS[method]})", changes={"status": [before, F.SUBMITTED]})
    return form


@transaction.atomic
def amend_form(form: MonitoringForm, *, changes: dict, reason: str, acting_user) -> MonitoringFormAmendment:
    form = _lock(form)
    if form.status == F.DRAFT:
        raise ValidationError({"__all__": "A draft is edited, not amended."})
    reason = require_text(reason, "reason", "why the signed form is amended")
    current = form.current_data()
    changes = {k: v for k, v in _typed(changes).items() if current.get(k) != v}
    if not changes:
        raise ValidationError({"__all__": "Nothing changed."})
    blockers = rems_pmf.sign_blockers({**current, **changes})
    if blockers:
        raise ValidationError(blockers)
    amendment = MonitoringFormAmendment.objects.create(
        form=form, changes=changes, previous={k: current.get(k) for k in changes}, reason=reason[:200], signed_by=acting_user)
    if form.status == F.SUBMITTED:
        form.status = F.AMENDED
        form.save(update_fields=["status"])
    record(audit.Action.UPDATE, form.visit, actor=acting_user, object_type="monitoring_form", object_id=form.pk,
           summary=f"REMS monitoring form amended: {reason[:120]}", changes={k: [current.get(k), v] for k, v in changes.items()})
    return amendment


def sign_blockers_of(form: MonitoringForm) -> dict[str, str]:
    return rems_pmf.sign_blockers(form.current_data())


def as_data(form: MonitoringForm) -> dict:
    """The form as data (JSON export): fields by section, with labels, values and what still blocks signing."""
    data = form.current_data()
    blockers = rems_pmf.sign_blockers(data)
    return {
        "form_version": form.form_version, "status": form.status, "due_on": form.due_on.isoformat(),
        "signed_at": form.signed_at.isoformat() if form.signed_at else None,
        "submitted_at": form.submitted_at.isoformat() if form.submitted_at else None,
        "submission_method": form.submission_method, "submission_reference": form.submission_reference,
        "fields": [
            {"key": f.key, "section": f.section, "label": f.label, "required": rems_pmf.is_required(f, data),
             "value": data.get(f.key)} for f in rems_pmf.FIELDS
        ],
        "missing_or_invalid": blockers,
    }
