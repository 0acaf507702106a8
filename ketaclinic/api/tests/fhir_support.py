"""Support for the FHIR tests: reading and checking an export, and one patient's whole record built through the
services as the pages would.

Intake (two reported conditions, a decision amended from both routes to IV, IV consent), billed diagnoses, a
PHQ-9 with item 9 endorsed and a corrected GAD-7, a signed IV plan with its series booked, and the first visit:
a pre-dose blood pressure that raised a hold and a caution, a recheck, the infusion with its lot number, readings
during it, and a mild adverse event. Times are fixed (time_machine); nothing depends on today.
"""

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

import time_machine
from fhir.resources.R4B import get_fhir_model_class

from ketaclinic.billing.services import insurance
from ketaclinic.intake import baseline, consent_texts
from ketaclinic.intake import services as intake_services
from ketaclinic.intake.models import InformedConsent
from ketaclinic.outcomes import services as outcome_services
from ketaclinic.plans import services as plan_services
from ketaclinic.visits.services import checkin, dosing, records, vitals

def references(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "reference" and isinstance(value, str):
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def dangling_references(resources_by_type: dict[str, list[dict]]) -> set[str]:
    """References that name no resource among these (``#id`` must name one contained in the same resource)."""
    ids = {f"{kind}/{r['id']}" for kind, rows in resources_by_type.items() for r in rows}
    dangling = set()
    for rows in resources_by_type.values():
        for resource in rows:
            contained = {f"#{c['id']}" for c in resource.get("contained", [])}
            dangling |= {f"{resource['resourceType']}/{resource['id']} -> {r}" for r in references(resource)
                         if r not in ids and r not in contained}
    return dangling


def read_export(out_dir) -> dict[str, list[dict]]:
    """{resource_type: [resource as JSON]}; every line parsed with its fhir.resources R4B model, which must write
    back the same JSON (the export writes the validated input, not the model's own serialization)."""
    found: dict[str, list[dict]] = {}
    for path in sorted(out_dir.glob("*.ndjson")):
        kind = path.stem
        model = get_fhir_model_class(kind)
        for line in path.read_text(encoding="utf-8").splitlines():
            resource = model.model_validate_json(line)
            assert resource.get_resource_type() == kind
            assert json.loads(resource.model_dump_json(exclude_none=True)) == json.loads(line)
            found.setdefault(kind, []).append(json.loads(line))
    return found


def by_type(resources: list[dict]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for resource in resources:
        found.setdefault(resource["resourceType"], []).append(resource)
    return found


LA = zoneinfo.ZoneInfo("America/Los_Angeles")
PREPARED_AT = dt.datetime(2026, 1, 2, 9, 0, tzinfo=LA)
FIRST_DOSE_ON = dt.date(2026, 1, 5)  # a Monday
NORMAL = dict(systolic_mmhg=124, diastolic_mmhg=78, heart_rate_bpm=72, spo2_pct=98, respiratory_rate_per_min=14, moaa_s=5)
# Pre-dose 168/96 (clinical.md §1.6, §10.3 defaults): systolic ≥ 160 holds the dose, diastolic > 90 is a caution.
HIGH_PREDOSE = dict(NORMAL, systolic_mmhg=168, diastolic_mmhg=96)
# During the infusion, SpO2 89 % is below the action line (< 90, clinical.md §10.3): a critical alert.
LOW_SPO2_DOSING = dict(NORMAL, spo2_pct=89, moaa_s=4)
PHQ9_WITH_ITEM9 = [2, 2, 2, 1, 1, 1, 1, 1, 1]  # total 12, moderate; item 9 = 1 flags suicidal ideation
IV_PROTOCOL = dict(family="iv-standard", name="IV ketamine 0.5 mg/kg", route="iv-ketamine", dose_mg_per_kg=Decimal("0.50"),
                   infusion_min=40, induction_infusions=6, observation_min=60, booster_min_interval_days=14,
                   effective_from=dt.date(2025, 1, 1))


@dataclass
class Record:
    decisions: list
    consent: object
    responses: dict
    plan: object
    appointments: list
    visit: object
    readings: list
    dose: object
    adverse_event: object


def _intake(patient, nurse, physician):
    intake = intake_services.start_intake(patient, acting_user=nurse)
    intake_services.update_intake(intake, acting_user=nurse, data={
        "conditions": ["major-depression", "ptsd"], "current_mood_state": "depressed", "no_known_allergies": True,
        "psychotherapy_tried": True, "screening_bp_systolic_mmhg": 122, "screening_bp_diastolic_mmhg": 78,
        "screening_heart_rate_bpm": 70, "screening_spo2_pct": 98})
    for drug in ("sertraline", "bupropion"):
        intake_services.add_item(intake, "trial", acting_user=nurse, data={
            "drug": drug, "weeks": 8, "adequate_dose": "yes", "adherence": "most", "outcome": "no-response"})
    baseline.record_baseline(intake, "PHQ-9", PHQ9_WITH_ITEM9, acting_user=nurse, entered_by_patient=False)
    intake_services.submit_intake(intake, acting_user=nurse)
    decisions = []
    for decision, amendment in (("both", ""), ("iv", "Patient declined the nasal spray after the REMS talk.")):
        evaluation = intake_services.latest_evaluation(patient)
        overrides = intake_services.overridden_routes(evaluation, decision)
        decisions.append(intake_services.sign_decision(
            patient, evaluation=evaluation, decision=decision, note="Discussed risks and benefits.", acting_user=physician,
            override_reason="Physician judgement." if overrides else "", amendment_reason=amendment,
            supersedes=intake_services.current_decision(patient)))
    consent = intake_services.sign_consent(
        patient, route="iv-ketamine", typed_name=f"{patient.legal_first_name} {patient.legal_last_name}", agreed=True,
        text_version=consent_texts.current("iv-ketamine").version, where=InformedConsent.Where.CLINIC, acting_user=nurse)
    return decisions, consent


def _plan(patient, clinic, physician, nurse, admin):
    plan_services.set_opening_hours(clinic=clinic, hours={d: (dt.time(8), dt.time(18)) for d in range(5)}, acting_user=admin)
    plan_services.add_chair(clinic=clinic, name="Chair 1", acting_user=admin)
    for offset in range(0, 28):
        plan_services.add_shift(clinic=clinic, user=nurse, day=FIRST_DOSE_ON + dt.timedelta(days=offset),
                                starts=dt.time(7, 30), ends=dt.time(18), acting_user=admin)
    protocol = plan_services.create_protocol(clinic=clinic, data=IV_PROTOCOL, acting_user=physician)
    plan = plan_services.create_plan(patient=patient, data={"protocol": protocol, "start_on": FIRST_DOSE_ON}, acting_user=physician)
    plan = plan_services.sign_plan(plan, acting_user=physician)
    proposals = plan_services.propose_series(plan)
    items = [plan_services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in proposals if p.place]
    return plan, plan_services.book_series(plan, items=items, acting_user=nurse)


def _reading(visit, nurse, at, values):
    return vitals.record_reading(visit, values=values, idempotency_key=f"fhir-{at.isoformat()}", measured_at=at,
                                 acting_user=nurse).reading


def _visit(patient, appointment, physician, nurse, second_nurse, traveller):
    start = appointment.starts_at
    visit = checkin.check_in(patient, route="iv-ketamine", acting_user=nurse, appointment=appointment)
    for item, data in {
        "identity": {"confirmed": True}, "fasting": {"confirmed": True}, "consent_plan": {"confirmed": True},
        "ride": {"ride_name": "Robin Ride", "ride_phone": "+1 310 555 0142"},
        "pregnancy": {"pregnancy_status": "negative_test"},
        "medications": {k: False for k in checkin.MEDICATION_KEYS}, "pre_session_scale": {"note": "PHQ-9 on paper"},
        "weight": {"weight_kg": Decimal("70.0")},
    }.items():
        checkin.record_check(visit, item, data=data, acting_user=nurse)
    readings = [_reading(visit, nurse, start + dt.timedelta(minutes=1), HIGH_PREDOSE)]
    traveller.move_to(start + dt.timedelta(minutes=12))
    readings.append(_reading(visit, nurse, start + dt.timedelta(minutes=11), NORMAL))  # the recheck clears the hold
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=Decimal("10"), diluent_ml=Decimal("96.5"),
                                  lot_number="KET-LOT-2601", acting_user=nurse)
    dosing.confirm_second_check(dose, checker=second_nurse, dose_mg=dose.dose_mg, rate_ml_per_h=dose.rate_ml_per_h)
    dosing.start_infusion(dose, acting_user=nurse)
    traveller.move_to(start + dt.timedelta(minutes=32))
    readings.append(_reading(visit, nurse, start + dt.timedelta(minutes=31), LOW_SPO2_DOSING))
    traveller.move_to(start + dt.timedelta(minutes=53))
    dose = dosing.complete_infusion(dose, acting_user=nurse)
    event = records.record_adverse_event(patient, visit=visit, acting_user=nurse, data=dict(
        onset_at=start + dt.timedelta(minutes=40), category="nausea_vomiting", description="Nausea near the end of the infusion.",
        severity="mild", seriousness=[], outcome="resolved", action_taken="Ondansetron 4 mg IV."))
    return visit, readings, dose, event


def build(patient, *, physician, nurse, second_nurse, admin) -> Record:
    clinic = patient.clinic
    with time_machine.travel(PREPARED_AT, tick=False) as traveller:
        decisions, consent = _intake(patient, nurse, physician)
        insurance.set_diagnoses(patient, codes_list=["F33.2", "F43.10"], acting_user=admin)
        plan, appointments = _plan(patient, clinic, physician, nurse, admin)
        course = plan.course or outcome_services.start_course(
            patient, route="iv-ketamine", condition="major-depression", started_on=FIRST_DOSE_ON, acting_user=nurse)
        gad7 = outcome_services.record_response(patient, "GAD-7", [1, 1, 1, 1, 1, 1, 1], acting_user=nurse,
                                                entered_by_patient=False, course=course)
        corrected = outcome_services.amend_response(gad7, [2, 1, 1, 1, 1, 1, 1], reason="Item 1 was misread.",
                                                    acting_user=physician)
        traveller.move_to(appointments[0].starts_at)
        visit, readings, dose, event = _visit(patient, appointments[0], physician, nurse, second_nurse, traveller)
    phq9 = patient.questionnaire_responses.get(instrument="PHQ-9")
    return Record(decisions, consent, {"PHQ-9": phq9, "GAD-7": gad7, "GAD-7 corrected": corrected}, plan, appointments,
                  visit, readings, dose, event)
