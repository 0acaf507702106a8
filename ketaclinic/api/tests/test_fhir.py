import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class

from ketaclinic.accounts.models import AuditEvent, Clinic
from ketaclinic.api.fhir import registry
from ketaclinic.api.tests.fhir_support import dangling_references, read_export
from ketaclinic.patients.models import Patient


def assert_every_reference_resolves(resources_by_type):
    assert dangling_references(resources_by_type) == set()


# Every resource type the issue names, and where each comes from.
EXPECTED_TYPES = {
    "Organization", "Location", "Practitioner", "PractitionerRole", "Patient",  # foundation
    "Condition", "ClinicalImpression", "Consent",  # intake (and billing's ICD-10-CM diagnoses)
    "Questionnaire", "QuestionnaireResponse", "Observation",  # outcomes (and vital signs)
    "CarePlan", "Appointment",  # plans
    "Encounter", "MedicationAdministration", "AdverseEvent",  # visits
}


# staff + intakes, decisions, consents; staff + diagnoses; staff + responses; staff + appointments, plans, sessions;
# staff + visits, alerts, readings, CADSS, doses, adverse events.
QUERIES_PER_CHUNK = 19


def test_the_demo_network_exports_valid_ndjson_whose_references_resolve(db, tmp_path):
    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("export_fhir", "--out", str(tmp_path), stdout=out)
    found = read_export(tmp_path)  # every line of every file parsed with its R4B model
    assert set(found) == EXPECTED_TYPES
    assert len(found["Patient"]) == 40 and len(found["Organization"]) == 2
    assert_every_reference_resolves(found)
    questionnaires = {q["url"] for q in found["Questionnaire"]}
    assert {r["questionnaire"].split("|")[0] for r in found["QuestionnaireResponse"]} <= questionnaires
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert {item["type"]: item["count"] for item in manifest["output"]} == {kind: len(rows) for kind, rows in found.items()}
    assert "Wrote" in out.getvalue()
    for clinic in Clinic.objects.all():  # each clinic alone: its records point only at its own staff and places
        call_command("export_fhir", "--out", str(tmp_path / clinic.mrn_prefix), "--clinic", str(clinic.pk), stdout=StringIO())
        assert_every_reference_resolves(read_export(tmp_path / clinic.mrn_prefix))
    assert AuditEvent.objects.filter(action="export", object_type="fhir_bulk_export").count() == 4
    # A chunk costs the same few queries whether it holds one clinic's twenty patients or both clinics' forty.
    patients = list(Patient.objects.order_by("pk"))
    assert _queries_for(patients[:20]) == _queries_for(patients) == QUERIES_PER_CHUNK


def _queries_for(patients) -> int:
    with CaptureQueriesContext(connection) as queries:
        for _ in registry.patient_resources(patients):
            pass
    return len(queries)


def test_one_clinic_exports_only_its_own_records(db, tmp_path, westside, pasadena, patient, pasadena_patient, alice, charlie):
    call_command("export_fhir", "--out", str(tmp_path), "--clinic", str(westside.pk), stdout=StringIO())
    found = read_export(tmp_path)
    assert [p["id"] for p in found["Patient"]] == [str(patient.pk)]
    assert [p["id"] for p in found["Practitioner"]] == [str(alice.pk)]
    assert_every_reference_resolves(found)


def test_the_patient_resource_follows_us_core(api, alice, patient):
    body = api(alice)("get", f"/fhir/Patient/{patient.pk}").json()
    assert body["identifier"][0]["value"] == patient.mrn
    assert body["birthDate"] == "1980-01-02" and body["gender"] == "female"
    assert {"family": "Núñez", "given": ["Pat"], "use": "usual"} in body["name"]
    birth_sex = [e for e in body["extension"] if e["url"].endswith("us-core-birthsex")]
    assert birth_sex[0]["valueCode"] == "F"


def test_body_weight_carries_its_loinc_code_and_ucum_unit(api, alice, patient):
    body = api(alice)("get", f"/fhir/Observation/weight-{patient.pk}").json()
    assert body["code"]["coding"][0]["code"] == "29463-7"
    assert body["valueQuantity"] == {"value": 70.0, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}


def test_everything_returns_a_valid_bundle_whose_references_resolve(api, alice, patient, other_patient):
    response = api(alice)("get", f"/fhir/Patient/{patient.pk}/$everything")
    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    bundle = get_fhir_model_class("Bundle").model_validate_json(response.content)
    resources = {}
    for entry in response.json()["entry"]:
        resources.setdefault(entry["resource"]["resourceType"], []).append(entry["resource"])
    assert [p["id"] for p in resources["Patient"]] == [str(patient.pk)]
    assert_every_reference_resolves(resources)
    assert bundle.total == len(response.json()["entry"])
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk, summary__contains="$everything").exists()


def test_another_clinics_user_gets_404(api, charlie, patient, westside, alice):
    call = api(charlie)
    for path in (f"/fhir/Patient/{patient.pk}/$everything", f"/fhir/Patient/{patient.pk}", f"/fhir/Observation/weight-{patient.pk}",
                 f"/fhir/Organization/{westside.pk}", f"/fhir/Practitioner/{alice.pk}"):
        assert call("get", path).status_code == 404, path


def test_a_patient_reads_only_their_own_record(api, pat, patient, other_patient):
    call = api(pat)
    assert call("get", f"/fhir/Patient/{patient.pk}/$everything").status_code == 200
    assert call("get", f"/fhir/Patient/{other_patient.pk}/$everything").status_code == 404
    assert call("get", f"/fhir/Patient/{other_patient.pk}").status_code == 404


@pytest.mark.parametrize("path", ["/fhir/Nonsense/1", "/fhir/Patient/abc", "/fhir/Observation/weight-x", "/fhir/Patient/1$2"])
def test_unknown_types_and_ids_are_404(api, alice, path):
    response = api(alice)("get", path)
    assert response.status_code == 404 and "detail" in response.json()
