"""What each area's FHIR resources say, read one by one through /api/v1/fhir/ for one patient's whole record.

Codes: LOINC vital signs and scale codes (issue 9; clinical.md §5.0–§5.2), ICD-10-CM (clinical.md §7.3), UCUM units.
"""

import pytest
from fhir.resources.R4B import get_fhir_model_class

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.api.tests import fhir_support
from ketaclinic.clinical import instruments
from ketaclinic.clinical.instruments import loinc_is_valid
from ketaclinic.intake.services import withdraw_consent

UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"


@pytest.fixture
def record(patient, alice, bob, admin, westside):
    dana = make_staff("dana", westside, Role.NURSE_RN)
    return fhir_support.build(patient, physician=alice, nurse=bob, second_nurse=dana, admin=admin)


@pytest.fixture
def read(api, alice):
    call = api(alice)

    def get(path):
        response = call("get", f"/fhir/{path}")
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        get_fhir_model_class(body["resourceType"]).model_validate(body)
        return body

    return get


def codes(concept):
    return [(c.get("system"), c["code"]) for c in concept.get("coding", [])]


def test_a_pre_dose_blood_pressure_that_held_the_dose_carries_its_alerts(record, read):
    bp = read(f"Observation/bp-{record.readings[0].pk}")  # 168/96 before the dose
    assert codes(bp["code"]) == [(LOINC, "85354-9")] and bp["category"][0]["coding"][0]["code"] == "vital-signs"
    systolic, diastolic = bp["component"]
    assert codes(systolic["code"]) == [(LOINC, "8480-6")] and codes(diastolic["code"]) == [(LOINC, "8462-4")]
    assert systolic["valueQuantity"] == {"value": 168, "unit": "mmHg", "system": UCUM, "code": "mm[Hg]"}
    # Systolic ≥ 160 held the dose and diastolic > 90 was a caution: both high, neither critical.
    assert codes(systolic["interpretation"][0]) == [("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "H")]
    assert "hold the dose" in systolic["interpretation"][0]["text"]
    assert codes(diastolic["interpretation"][0])[0][1] == "H"
    assert [codes(i)[0][1] for i in bp["interpretation"]] == ["H", "H"]
    assert bp["encounter"] == {"reference": f"Encounter/{record.visit.pk}"}


def test_a_reading_without_an_alert_has_no_interpretation(record, read):
    bp = read(f"Observation/bp-{record.readings[1].pk}")  # the normal recheck
    assert "interpretation" not in bp and all("interpretation" not in c for c in bp["component"])


def test_an_action_alert_is_critical(record, read):
    spo2 = read(f"Observation/spo2-{record.readings[2].pk}")  # 89 % during the infusion
    assert codes(spo2["code"]) == [(LOINC, "59408-5")]
    assert spo2["valueQuantity"] == {"value": 89, "unit": "%", "system": UCUM, "code": "%"}
    assert codes(spo2["interpretation"][0])[0][1] == "LL"


@pytest.mark.parametrize("prefix, loinc, unit, value", [("hr", "8867-4", "/min", 72), ("rr", "9279-1", "/min", 14)])
def test_heart_and_respiratory_rate_carry_loinc_and_ucum(record, read, prefix, loinc, unit, value):
    body = read(f"Observation/{prefix}-{record.readings[1].pk}")
    assert codes(body["code"]) == [(LOINC, loinc)]
    assert body["valueQuantity"] == {"value": value, "unit": unit, "system": UCUM, "code": unit}


def test_the_dose_carries_its_lot_and_its_mg(record, read):
    given = read(f"MedicationAdministration/{record.dose.pk}")
    medication = given["contained"][0]
    assert given["medicationReference"]["reference"] == f"#{medication['id']}"
    assert medication["batch"] == {"lotNumber": "KET-LOT-2601"}
    # 70 kg × 0.5 mg/kg = 35.0 mg over 40 min; 100.00 mL × 60 / 40 = 150.0 mL/h
    assert given["dosage"]["dose"] == {"value": 35.0, "unit": "mg", "system": UCUM, "code": "mg"}
    assert given["dosage"]["rateQuantity"] == {"value": 150.0, "unit": "mL/h", "system": UCUM, "code": "mL/h"}
    assert given["status"] == "completed" and given["context"] == {"reference": f"Encounter/{record.visit.pk}"}
    assert [p.get("function", {}).get("coding", [{}])[0].get("code") for p in given["performer"]] == [None, "verifier"]


def test_the_adverse_event_names_the_visit_and_the_dose(record, read):
    event = read(f"AdverseEvent/{record.adverse_event.pk}")
    assert event["encounter"] == {"reference": f"Encounter/{record.visit.pk}"}
    assert event["suspectEntity"] == [{"instance": {"reference": f"MedicationAdministration/{record.dose.pk}"}}]
    assert [codes(event[k])[0][1] for k in ("seriousness", "severity", "outcome")] == ["non-serious", "mild", "resolved"]


def test_the_visit_is_an_encounter_of_its_appointment(record, read):
    encounter = read(f"Encounter/{record.visit.pk}")
    assert encounter["status"] == "in-progress" and encounter["class"]["code"] == "AMB"
    assert encounter["appointment"] == [{"reference": f"Appointment/{record.appointments[0].pk}"}]
    assert encounter["serviceProvider"] == {"reference": f"Organization/{record.visit.clinic_id}"}


def test_the_plan_lists_its_booked_appointments(record, read):
    plan = read(f"CarePlan/{record.plan.pk}")
    assert plan["status"] == "active" and plan["intent"] == "plan"
    assert [a["reference"]["reference"] for a in plan["activity"]] == [f"Appointment/{a.pk}" for a in record.appointments]
    first, second = (read(f"Appointment/{a.pk}") for a in record.appointments[:2])
    assert (first["status"], second["status"]) == ("arrived", "booked")
    assert second["supportingInformation"] == [{"reference": f"CarePlan/{record.plan.pk}"}]
    assert {p["actor"]["reference"].split("/")[0] for p in second["participant"]} == {"Patient", "Location", "Practitioner"}


def test_a_phq9_response_and_its_scored_total(record, read):
    response = record.responses["PHQ-9"]
    body = read(f"QuestionnaireResponse/{response.pk}")
    assert body["questionnaire"] == "urn:ketaclinic:questionnaire:phq9|phq9-2001.1" and body["status"] == "completed"
    assert [i["linkId"] for i in body["item"]] == [str(n) for n in range(1, 10)]
    assert body["item"][0]["answer"] == [{"valueCoding": {"system": LOINC, "code": "LA6570-1", "display": "More than half the days"}}]
    score = read(f"Observation/score-{response.pk}")
    assert codes(score["code"]) == [(LOINC, "44261-6")] and score["valueInteger"] == 12
    assert score["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response.pk}"}]
    severity, item9 = score["interpretation"]
    assert severity == {"text": "Severity: moderate"}
    assert codes(item9)[0][1] == "AA" and "item 9" in item9["text"]


def test_a_corrected_response_supersedes_the_one_it_corrects(record, read):
    old, new = record.responses["GAD-7"], record.responses["GAD-7 corrected"]
    assert read(f"QuestionnaireResponse/{old.pk}")["status"] == "entered-in-error"
    assert read(f"QuestionnaireResponse/{new.pk}")["status"] == "amended"
    assert read(f"Observation/score-{old.pk}")["status"] == "entered-in-error"
    corrected = read(f"Observation/score-{new.pk}")
    assert corrected["status"] == "corrected" and corrected["valueInteger"] == 8
    assert f"QuestionnaireResponse/{old.pk}" in corrected["note"][0]["text"]


def test_there_is_a_questionnaire_per_scale_with_only_valid_loinc_codes(read, alice):
    for definition in instruments.INSTRUMENTS.values():
        body = read(f"Questionnaire/{definition.slug}")
        assert len(body["item"]) == definition.item_count
        found = [c["code"] for c in body.get("code", [])] + [c["code"] for i in body["item"] for c in i.get("code", [])]
        assert all(loinc_is_valid(code) for code in found), definition.code
    phq9 = read("Questionnaire/phq9")
    assert [(c["system"], c["code"]) for c in phq9["code"] + phq9["item"][8]["code"]] == [(LOINC, "44249-1"), (LOINC, "44260-8")]
    assert "code" not in read("Questionnaire/pcl5")  # no verified LOINC code (clinical.md §5.1)


def test_reported_conditions_are_concerns_and_billed_ones_icd10_cm(record, patient, read):
    reported = read(f"Condition/ptsd-{patient.pk}")
    assert reported["code"] == {"text": "PTSD"} and reported["verificationStatus"]["coding"][0]["code"] == "unconfirmed"
    billed = [read(f"Condition/dx{n}-{patient.pk}") for n in (1, 2)]
    assert [codes(c["code"]) for c in billed] == [[("http://hl7.org/fhir/sid/icd-10-cm", "F33.2")],
                                                  [("http://hl7.org/fhir/sid/icd-10-cm", "F43.10")]]
    assert billed[0]["verificationStatus"]["coding"][0]["code"] == "confirmed"


def test_an_amended_candidacy_decision_points_at_the_one_it_replaces(record, read):
    first, amended = record.decisions
    body = read(f"ClinicalImpression/{amended.pk}")
    assert body["previous"] == {"reference": f"ClinicalImpression/{first.pk}"}
    assert body["description"] == "Candidate for IV ketamine"
    assert {"text": "Amendment: Patient declined the nasal spray after the REMS talk."} in body["note"]


def test_a_withdrawn_consent_is_inactive_from_the_withdrawal(record, read, alice):
    assert read(f"Consent/{record.consent.pk}")["status"] == "active"
    withdrawal = withdraw_consent(record.consent, reason="Changed their mind.", acting_user=alice)
    body = read(f"Consent/{record.consent.pk}")
    assert body["status"] == "inactive" and body["provision"]["period"]["end"].startswith(str(withdrawal.withdrawn_at.year))
    assert codes(body["category"][0]) == [(LOINC, "59284-0")] and body["scope"]["coding"][0]["code"] == "treatment"


def test_everything_holds_the_whole_record_and_every_reference_resolves(record, patient, api, alice):
    response = api(alice)("get", f"/fhir/Patient/{patient.pk}/$everything")
    get_fhir_model_class("Bundle").model_validate_json(response.content)
    found = fhir_support.by_type([entry["resource"] for entry in response.json()["entry"]])
    assert {"Condition", "ClinicalImpression", "Consent", "Questionnaire", "QuestionnaireResponse", "CarePlan",
            "Appointment", "Encounter", "MedicationAdministration", "AdverseEvent"} <= set(found)
    assert fhir_support.dangling_references(found) == set()
