"""Observation and discharge: the timer, Aldrete (or the clinic's checklist), vitals near baseline, the ride.

An assessment stores the raw answers, the rule applied and the conclusion. Discharge re-judges the latest
assessment at the moment of discharge, so an assessment taken before the timer ran out counts once it has.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.clinical import discharge as rules
from ketaclinic.clinical import vitals as vital_rules
from ketaclinic.clinical.session_day import observation_clock
from ketaclinic.visits import hooks
from ketaclinic.visits.models import DischargeAssessment, DischargeMethod, Visit, VitalReading
from ketaclinic.visits.services.checkin import latest_predose_reading
from ketaclinic.visits.services.common import field_error, lock, record, set_status
from ketaclinic.visits.services.dosing import moment

# The clinic checklist alternative to Aldrete: clinical.md §9.2, [UNSOURCED – common practice].
CLINIC_CHECKLIST = {
    "baseline_mental_status": "Back to baseline mental status",
    "ambulates_steadily": "Walks steadily without dizziness",
    "no_significant_nausea": "No significant nausea",
    "no_driving_acknowledged": "Knows not to drive until the next day after sleep",
}
# SPRAVATO: monitored "until resolution of sedation, dissociation and respiratory depression" (REMS, §3.6).
ESKETAMINE_CHECKLIST = {
    "sedation_resolved": "Sedation resolved",
    "dissociation_resolved": "Dissociation resolved",
    "respiratory_depression_resolved": "No respiratory depression",
}
ALDRETE_KEYS = tuple(item.name for item in rules.ALDRETE_ITEMS)


@dataclass(frozen=True)
class Readiness:
    ready: bool
    unmet: tuple[str, ...]
    ready_at: dt.datetime | None
    observation_ends_at: dt.datetime


def checklist_for(visit: Visit) -> dict[str, str]:
    items = dict(CLINIC_CHECKLIST) if visit.protocol.discharge_method == DischargeMethod.CHECKLIST else {}
    if visit.is_esketamine:
        items.update(ESKETAMINE_CHECKLIST)
    return items


def vitals_vs_baseline(visit: Visit) -> tuple[bool, str]:
    """Whether the latest complete reading is near the pre-dose baseline (±tolerance, SpO2 ≥ 94 %)."""
    baseline = latest_predose_reading(visit)
    current = (
        visit.readings.exclude(phase="pre-dose").filter(
            systolic_mmhg__isnull=False, diastolic_mmhg__isnull=False, heart_rate_bpm__isnull=False, spo2_pct__isnull=False)
        .order_by("-measured_at", "-id").first()
    )
    if baseline is None:
        return False, "no complete pre-dose reading to compare with"
    if current is None:
        return False, "no complete reading since dosing"
    ok = vital_rules.near_baseline(baseline.values(), current.values(), tolerance_pct=visit.protocol.near_baseline_tolerance_pct)
    return ok, (f"{_short(current)} at {timezone.localtime(current.measured_at, visit.clinic.tz):%H:%M} vs baseline {_short(baseline)}"
                f" (±{visit.protocol.near_baseline_tolerance_pct} %)")


def _short(reading: VitalReading) -> str:
    return f"BP {reading.blood_pressure}, HR {reading.heart_rate_bpm}, SpO2 {reading.spo2_pct} %"


@transaction.atomic
def assess_discharge(visit: Visit, *, data: dict, acting_user, now: dt.datetime | None = None) -> DischargeAssessment:
    visit = lock(visit)
    if visit.status not in (Visit.Status.OBSERVATION, Visit.Status.READY_FOR_DISCHARGE) or visit.observation_started_at is None:
        raise ValidationError({"__all__": "Discharge is assessed during observation, after dosing."})
    now = now or timezone.now()
    method = visit.protocol.discharge_method
    scores, total = _aldrete(data) if method == DischargeMethod.ALDRETE else ({}, None)
    answers = _checklist_answers(visit, data)
    near, detail = vitals_vs_baseline(visit)
    ride = data.get("ride_present") is True
    assessment = DischargeAssessment(
        visit=visit, assessed_at=now, assessed_by=acting_user, method=method, aldrete_scores=scores, aldrete_total=total,
        aldrete_ready_min_total=rules.ALDRETE_READY_AT_OR_ABOVE_TOTAL if total is not None else None, checklist=answers,
        vitals_near_baseline=near, vitals_detail=detail[:200], ride_present=ride,
    )
    result = judge(visit, assessment, now)
    assessment.observation_ends_at, assessment.ready, assessment.unmet = result.observation_ends_at, result.ready, list(result.unmet)
    assessment.save()
    record(audit.Action.CREATE, visit, actor=acting_user, object_type="discharge_assessment", object_id=assessment.pk,
           summary=("Ready for discharge" if result.ready else "Not ready: " + "; ".join(result.unmet)),
           changes={"aldrete_total": [None, total], "ride_present": [None, ride], "ready": [None, result.ready]})
    _note_ready_without_two_hour_rule(visit, result, data.get("ready_without_rule_at"), now)
    _follow_phase(visit, result.ready, now, acting_user)
    return assessment


def _aldrete(data: dict) -> tuple[dict, int]:
    scores = {key: data.get(key) for key in ALDRETE_KEYS}
    try:
        result = rules.aldrete(**scores)
    except ValueError as error:
        raise field_error(error) from None
    return dict(result.scores), result.total


def _checklist_answers(visit: Visit, data: dict) -> dict:
    return {key: data.get(key) is True for key in checklist_for(visit)}


def judge(visit: Visit, assessment: DischargeAssessment, now: dt.datetime) -> Readiness:
    """The assessment's answers judged at ``now`` (the observation timer keeps running after it was taken)."""
    result = rules.discharge_readiness(
        observed_since=visit.observation_started_at, now=max(now, visit.observation_started_at),
        observation_min_required=visit.observation_min_required, aldrete_total=assessment.aldrete_total,
        vitals_near_baseline=assessment.vitals_near_baseline, ride_present=assessment.ride_present,
    )
    labels = checklist_for(visit)
    extra = tuple(f"not yet: {labels[key].lower()}" for key, ok in assessment.checklist.items() if key in labels and not ok)
    if visit.alerts.filter(acknowledged_at__isnull=True).exists():
        extra += ("an alert is not acknowledged",)
    ends_at = visit.observation_started_at + dt.timedelta(minutes=visit.observation_min_required)
    only_time_left = result.ready_at is not None and not extra
    return Readiness(result.ready and not extra, result.unmet + extra, result.ready_at if only_time_left else None, ends_at)


def _note_ready_without_two_hour_rule(visit: Visit, result: Readiness, typed, now) -> None:
    """Esketamine: the REMS asks when the patient would have been ready but for the 2-hour rule (§3.7)."""
    if not visit.is_esketamine:
        return
    if typed:
        at = moment(typed, visit, "ready_without_rule_at")
        if at < visit.observation_started_at:
            raise ValidationError({"ready_without_rule_at": "cannot be before the first device."})
        visit.ready_without_observation_rule_at = at
    elif visit.ready_without_observation_rule_at is None and (result.ready_at is not None or result.ready):
        visit.ready_without_observation_rule_at = now
    else:
        return
    visit.save(update_fields=["ready_without_observation_rule_at"])


def _follow_phase(visit: Visit, ready: bool, now, acting_user) -> None:
    if ready and visit.status == Visit.Status.OBSERVATION:
        visit.ready_for_discharge_at = now
        visit.save(update_fields=["ready_for_discharge_at"])
        set_status(visit, Visit.Status.READY_FOR_DISCHARGE, acting_user=acting_user)
    elif not ready and visit.status == Visit.Status.READY_FOR_DISCHARGE:
        set_status(visit, Visit.Status.OBSERVATION, acting_user=acting_user, summary="Back to observation: a later check was not ready")


def latest_assessment(visit: Visit) -> DischargeAssessment | None:
    return visit.discharge_assessments.order_by("-assessed_at", "-id").first()


def current_readiness(visit: Visit, now: dt.datetime | None = None) -> Readiness | None:
    assessment = latest_assessment(visit)
    if assessment is None or visit.observation_started_at is None:
        return None
    return judge(visit, assessment, now or timezone.now())


def clock(visit: Visit, now: dt.datetime | None = None):
    if visit.observation_started_at is None:
        return None
    return observation_clock(visit.observation_started_at, now or timezone.now(), visit.observation_min_required)


@transaction.atomic
def discharge(visit: Visit, *, acting_user, now: dt.datetime | None = None) -> Visit:
    visit = lock(visit)
    if visit.status not in (Visit.Status.OBSERVATION, Visit.Status.READY_FOR_DISCHARGE):
        raise ValidationError({"__all__": f"A visit in {visit.get_status_display().lower()} cannot be discharged."})
    now = now or timezone.now()
    readiness = current_readiness(visit, now)
    if readiness is None:
        raise ValidationError({"__all__": "Record a discharge assessment first."})
    if not readiness.ready:
        raise ValidationError({"__all__": "Not ready for discharge: " + "; ".join(readiness.unmet) + "."})
    if visit.status == Visit.Status.OBSERVATION:
        visit.ready_for_discharge_at = now
        visit.save(update_fields=["ready_for_discharge_at"])
    visit.discharged_at, visit.discharged_by = now, acting_user
    visit.save(update_fields=["discharged_at", "discharged_by"])
    set_status(visit, Visit.Status.DISCHARGED, acting_user=acting_user,
               summary=f"Discharged to {visit.ride_name or 'the named ride'}")
    if visit.is_esketamine:
        from ketaclinic.visits.services.pmf import generate_form

        generate_form(visit, acting_user=acting_user)
    visit_id = visit.pk
    transaction.on_commit(lambda: hooks.fire_discharged(visit_id))
    return visit
