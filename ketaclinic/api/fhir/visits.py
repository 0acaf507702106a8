"""FHIR mapping of the session day: visits, vital signs, doses, dissociation scores and adverse events.

- ``Encounter/<visit id>``: each visit (ambulatory), with its Appointment, the clinic and who checked the patient
  in and discharged them.
- ``Observation/bp-|hr-|rr-|spo2-<reading id>``: US Core vital signs with LOINC and UCUM; ``moaas-<reading id>``
  the sedation score and ``cadss-<score id>`` the CADSS total (no LOINC code for either, clinical.md §5.1, §11).
  A reading that raised an alert carries it in ``interpretation`` (H/L, HH/LL for an action alert), with the
  alert's message as the clinician saw it.
- ``MedicationAdministration/<dose id>``: each dose that reached the patient, dose in mg, lot number on a contained
  Medication, IV rate in mL/h.
- ``AdverseEvent/<event id>``: with its seriousness, severity and outcome, and the visit's dose as the suspect.
"""

import re

from django.http import Http404

from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import (
    INTERPRETATION, LOINC, SURVEY, US_CORE, VITAL_SIGNS, coding, concept, instant, make, maybe_instant, quantity, ref,
)
from ketaclinic.api.fhir.foundation import StaffRefs
from ketaclinic.visits import access
from ketaclinic.visits.models import AdverseEvent, DissociationScore, DoseAdministration, Visit, VitalAlert, VitalReading

ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ADMINISTRATION_FUNCTION = "http://terminology.hl7.org/CodeSystem/med-admin-perform-function"
AE_SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

# LOINC vital-sign codes (issue 9; each passes the check digit, clinical.md §5.0) with their UCUM units.
BP_PANEL_LOINC = "85354-9"
SYSTOLIC_LOINC = "8480-6"
DIASTOLIC_LOINC = "8462-4"
HEART_RATE_LOINC = "8867-4"
RESPIRATORY_RATE_LOINC = "9279-1"
SPO2_LOINC = "59408-5"
# (id prefix, reading field, LOINC, display, UCUM unit, US Core profile). No profile is claimed for SpO2: US Core's
# pulse-oximetry profile also wants 2708-6, which the issue does not name and clinical.md does not list.
SINGLE_VITALS = (
    ("hr-", "heart_rate_bpm", HEART_RATE_LOINC, "Heart rate", "/min", "us-core-heart-rate"),
    ("rr-", "respiratory_rate_per_min", RESPIRATORY_RATE_LOINC, "Respiratory rate", "/min", "us-core-respiratory-rate"),
    ("spo2-", "spo2_pct", SPO2_LOINC, "Oxygen saturation in Arterial blood by Pulse oximetry", "%", None),
)
MMHG = "mm[Hg]"

_ENCOUNTER_STATUS = {
    "checked_in": "arrived", "dosing": "in-progress", "observation": "in-progress", "ready_for_discharge": "in-progress",
    "discharged": "finished", "cancelled": "cancelled",
}
# Doses that reached the patient; one waiting for its check, ready, or voided was never given.
_ADMINISTRATION_STATUS = {"running": "in-progress", "paused": "on-hold", "completed": "completed", "stopped": "stopped"}
_ROUTE_TEXT = {"ketamine": "Intravenous", "esketamine": "Nasal"}
_AE_OUTCOME = {"resolved": "resolved", "resolving": "recovering", "not_resolved": "ongoing",
               "sequelae": "resolvedWithSequelae", "fatal": "fatal", "unknown": "unknown"}
# Alert levels as the vital-sign rules judged them (clinical.md §10.3): an action alert is critical.
_CRITICAL_LEVELS = frozenset({VitalAlert.Level.ACTION})
_INTERPRETATION_CODES = {  # (direction, critical) -> v3 ObservationInterpretation code, display
    ("high", False): ("H", "High"), ("high", True): ("HH", "Critically high"),
    ("low", False): ("L", "Low"), ("low", True): ("LL", "Critically low"),
    (None, False): ("A", "Abnormal"), (None, True): ("AA", "Critically abnormal"),
}
# The alert message names the comparison it breached ("Systolic 182 mmHg ≥ 180: …"; clinical.vitals._message).
_COMPARISON = re.compile(r"\s(>|≥|<|≤)\s\d+:")


def interpretation(alert: VitalAlert) -> dict:
    match = _COMPARISON.search(alert.message)
    direction = None if match is None else "high" if match.group(1) in (">", "≥") else "low"
    code, display = _INTERPRETATION_CODES[(direction, alert.level in _CRITICAL_LEVELS)]
    return concept(INTERPRETATION, code, display, alert.message)


def encounter(visit: Visit, staff: StaffRefs):
    participants = [
        {"type": [concept(PARTICIPATION_TYPE, "ADM", "admitter")], "individual": staff.ref(visit.checked_in_by, visit.clinic_id)},
        {"type": [concept(PARTICIPATION_TYPE, "DIS", "discharger")],
         "individual": staff.ref(visit.discharged_by, visit.clinic_id)} if visit.discharged_by_id else None,
    ]
    return make(
        "Encounter", id=str(visit.pk), status=_ENCOUNTER_STATUS[visit.status],
        **{"class": coding(ACT_CODE, "AMB", "ambulatory")},
        type=[{"text": f"{visit.get_route_display()} session"}], subject=ref("Patient", visit.patient_id),
        participant=participants, appointment=[ref("Appointment", visit.appointment_id)] if visit.appointment_id else [],
        period={"start": instant(visit.checked_in_at), "end": maybe_instant(visit.discharged_at or visit.cancelled_at)},
        location=[{"location": ref("Location", visit.clinic_id)}], serviceProvider=ref("Organization", visit.clinic_id),
    )


def _vital_common(reading: VitalReading, visit: Visit, staff: StaffRefs) -> dict:
    return dict(
        status="final", subject=ref("Patient", visit.patient_id), encounter=ref("Encounter", visit.pk),
        effectiveDateTime=instant(reading.measured_at), issued=instant(reading.received_at),
        performer=[staff.ref(reading.recorded_by, visit.clinic_id)],
        device={"display": reading.device_label} if reading.device_label else None,
    )


def _interpretations(alerts: dict[str, VitalAlert], *fields: str) -> list[dict]:
    return [interpretation(alerts[name]) for name in fields if name in alerts]


def _blood_pressure(reading, visit, staff, alerts):
    components = [
        {"code": concept(LOINC, code, display), "valueQuantity": quantity(value, "mmHg", MMHG),
         "interpretation": _interpretations(alerts, name)}
        for name, code, display, value in (
            ("systolic_mmhg", SYSTOLIC_LOINC, "Systolic blood pressure", reading.systolic_mmhg),
            ("diastolic_mmhg", DIASTOLIC_LOINC, "Diastolic blood pressure", reading.diastolic_mmhg),
        )
        if value is not None
    ]
    return make(
        "Observation", id=f"bp-{reading.pk}",
        meta={"profile": [f"{US_CORE}/us-core-blood-pressure"] if len(components) == 2 else []},
        category=VITAL_SIGNS, code=concept(LOINC, BP_PANEL_LOINC, "Blood pressure panel with all children optional",
                                            "Blood pressure"),
        component=components, interpretation=_interpretations(alerts, "systolic_mmhg", "diastolic_mmhg"),
        **_vital_common(reading, visit, staff),
    )


def vital_observations(reading: VitalReading, visit: Visit, staff: StaffRefs, alerts: dict[str, VitalAlert]):
    """The reading's observations; ``alerts`` are the reading's alerts by parameter."""
    if reading.systolic_mmhg is not None or reading.diastolic_mmhg is not None:
        yield _blood_pressure(reading, visit, staff, alerts)
    for prefix, name, code, display, unit, profile in SINGLE_VITALS:
        value = getattr(reading, name)
        if value is not None:
            yield make(
                "Observation", id=f"{prefix}{reading.pk}", meta={"profile": [f"{US_CORE}/{profile}"] if profile else []},
                category=VITAL_SIGNS, code=concept(LOINC, code, display, display),
                valueQuantity=quantity(value, unit, unit), interpretation=_interpretations(alerts, name),
                **_vital_common(reading, visit, staff),
            )
    if reading.moaa_s is not None:
        yield make(
            "Observation", id=f"moaas-{reading.pk}", category=SURVEY,
            code={"text": "MOAA/S (Modified Observer's Assessment of Alertness/Sedation)"}, valueInteger=reading.moaa_s,
            interpretation=_interpretations(alerts, "moaa_s"), **_vital_common(reading, visit, staff),
        )


def dissociation_observation(score: DissociationScore, visit: Visit, staff: StaffRefs):
    return make(
        "Observation", id=f"cadss-{score.pk}", status="final", category=SURVEY,
        code={"text": "CADSS total score (23-item)"}, subject=ref("Patient", visit.patient_id),
        encounter=ref("Encounter", visit.pk), effectiveDateTime=instant(score.measured_at),
        performer=[staff.ref(score.recorded_by, visit.clinic_id)], valueInteger=score.total,
        method={"text": f"Scored by rule {score.rule_version}"},
    )


def _dosage(dose: DoseAdministration) -> dict:
    if dose.is_iv:
        text = f"{dose.dose_mg} mg IV" + (f" over {dose.duration_min} min" if dose.duration_min else "")
    else:
        text = f"{dose.dose_mg} mg nasal" + (f", {dose.devices} devices" if dose.devices else "")
    return {"text": text, "route": {"text": _ROUTE_TEXT[dose.drug]}, "dose": quantity(dose.dose_mg, "mg", "mg"),
            "rateQuantity": quantity(dose.rate_ml_per_h, "mL/h", "mL/h") if dose.rate_ml_per_h is not None else None}


def medication_administration(dose: DoseAdministration, visit: Visit, staff: StaffRefs):
    started = dose.started_at or dose.second_check_at or dose.calculated_at
    performers = [
        {"actor": staff.ref(dose.administered_by, visit.clinic_id)} if dose.administered_by_id else None,
        {"function": concept(ADMINISTRATION_FUNCTION, "verifier", "Verifier"),
         "actor": staff.ref(dose.second_check_by, visit.clinic_id)} if dose.second_check_by_id else None,
    ]
    return make(
        "MedicationAdministration", id=str(dose.pk), status=_ADMINISTRATION_STATUS[dose.status],
        contained=[{"resourceType": "Medication", "id": "med", "code": {"text": dose.get_drug_display()},
                    "batch": {"lotNumber": dose.lot_number}}],
        medicationReference={"reference": "#med", "display": dose.get_drug_display()},
        subject=ref("Patient", visit.patient_id), context=ref("Encounter", visit.pk),
        effectivePeriod={"start": instant(started), "end": maybe_instant(dose.ended_at)},
        performer=performers, dosage=_dosage(dose),
        note=[{"text": "Physician override of the calculated dose."}] if dose.physician_override else [],
    )


def adverse_event(event: AdverseEvent, staff: StaffRefs, given_dose_ids: dict[int, int]):
    dose_id = given_dose_ids.get(event.visit_id) if event.visit_id else None
    criteria = ", ".join(AdverseEvent.Seriousness(c).label.lower() for c in event.seriousness or [])
    serious = ("serious", "Serious") if event.serious else ("non-serious", "Non-serious")
    return make(
        "AdverseEvent", id=str(event.pk), actuality="actual",
        event={"text": f"{event.get_category_display()}: {event.description}"}, subject=ref("Patient", event.patient_id),
        encounter=ref("Encounter", event.visit_id) if event.visit_id else None, date=instant(event.onset_at),
        recordedDate=instant(event.recorded_at), location=ref("Location", event.clinic_id),
        seriousness=concept(AE_SERIOUSNESS, *serious, text=criteria or None),
        severity=concept(AE_SEVERITY, event.severity, event.get_severity_display()),
        outcome=concept(AE_OUTCOME, _AE_OUTCOME[event.outcome], event.get_outcome_display()),
        recorder=staff.ref(event.recorded_by, event.clinic_id),
        suspectEntity=[{"instance": ref("MedicationAdministration", dose_id)}] if dose_id else [],
    )


def _alerts_by_reading(alerts) -> dict[int, dict[str, VitalAlert]]:
    found: dict[int, dict[str, VitalAlert]] = {}
    for alert in alerts:  # at most one per parameter per reading (clinical.vitals.assess_vitals)
        found.setdefault(alert.reading_id, {})[alert.parameter] = alert
    return found


def patient_resources(patients):
    ids = [p.pk for p in patients]
    staff = StaffRefs.for_patients(patients)
    visits = {v.pk: v for v in Visit.objects.filter(patient_id__in=ids).select_related("checked_in_by", "discharged_by")
              .order_by("pk")}
    for visit in visits.values():
        yield encounter(visit, staff)
    alerts = _alerts_by_reading(VitalAlert.objects.filter(visit__patient_id__in=ids).only(
        "reading_id", "parameter", "level", "message"))
    readings = VitalReading.objects.filter(visit__patient_id__in=ids).select_related("recorded_by").order_by("pk")
    for reading in readings.iterator(chunk_size=2000):
        yield from vital_observations(reading, visits[reading.visit_id], staff, alerts.get(reading.pk, {}))
    for score in DissociationScore.objects.filter(visit__patient_id__in=ids).select_related("recorded_by").order_by("pk"):
        yield dissociation_observation(score, visits[score.visit_id], staff)
    given = (DoseAdministration.objects.filter(visit__patient_id__in=ids, status__in=list(_ADMINISTRATION_STATUS))
             .select_related("administered_by", "second_check_by").order_by("pk"))
    given_dose_ids = {}
    for dose in given:
        given_dose_ids[dose.visit_id] = dose.pk
        yield medication_administration(dose, visits[dose.visit_id], staff)
    for event in AdverseEvent.objects.filter(patient_id__in=ids).select_related("recorded_by").order_by("pk"):
        yield adverse_event(event, staff, given_dose_ids)


def _read_encounter(user, local_id):
    visit = access.get_visit_for_user(user, local_id)
    visit = Visit.objects.select_related("checked_in_by", "discharged_by").get(pk=visit.pk)
    return encounter(visit, StaffRefs([visit.clinic_id]))


def _reading_reader(prefix: str):
    def read(user, local_id):
        reading = VitalReading.objects.select_related("recorded_by").filter(pk=int(local_id)).first()
        if reading is None:
            raise Http404("No such observation.")
        visit = access.get_visit_for_user(user, reading.visit_id)
        alerts = _alerts_by_reading(VitalAlert.objects.filter(reading=reading)).get(reading.pk, {})
        found = [o for o in vital_observations(reading, visit, StaffRefs([visit.clinic_id]), alerts)
                 if o.id == f"{prefix}{reading.pk}"]
        if not found:
            raise Http404("No such observation.")
        return found[0]

    return read


def _read_dissociation(user, local_id):
    score = DissociationScore.objects.select_related("recorded_by").filter(pk=int(local_id)).first()
    if score is None:
        raise Http404("No such observation.")
    visit = access.get_visit_for_user(user, score.visit_id)
    return dissociation_observation(score, visit, StaffRefs([visit.clinic_id]))


def _read_administration(user, local_id):
    dose = (DoseAdministration.objects.select_related("administered_by", "second_check_by")
            .filter(pk=int(local_id), status__in=list(_ADMINISTRATION_STATUS)).first())
    if dose is None:
        raise Http404("No such administration.")
    visit = access.get_visit_for_user(user, dose.visit_id)
    return medication_administration(dose, visit, StaffRefs([visit.clinic_id]))


def _read_adverse_event(user, local_id):
    event = access.get_adverse_event_for_user(user, local_id)
    given = {}
    if event.visit_id:
        dose = DoseAdministration.objects.filter(visit_id=event.visit_id, status__in=list(_ADMINISTRATION_STATUS)).first()
        given = {event.visit_id: dose.pk} if dose else {}
    event = AdverseEvent.objects.select_related("recorded_by").get(pk=event.pk)
    return adverse_event(event, StaffRefs([event.clinic_id]), given)


def register() -> None:
    registry.register_patient_resources(patient_resources)
    registry.register_reader("Encounter", "", _read_encounter)
    for prefix in ("bp-", "moaas-", *(row[0] for row in SINGLE_VITALS)):
        registry.register_reader("Observation", prefix, _reading_reader(prefix))
    registry.register_reader("Observation", "cadss-", _read_dissociation)
    registry.register_reader("MedicationAdministration", "", _read_administration)
    registry.register_reader("AdverseEvent", "", _read_adverse_event)
    registry.register_staff_only("AdverseEvent")  # visits.access: adverse events are staff records
