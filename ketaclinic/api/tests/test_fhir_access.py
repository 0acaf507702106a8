"""Who may read each area's FHIR resources: the area's own access rules, through /api/v1/fhir/.

charlie (Pasadena) never sees a Westside record; pat reads her own record, quinn none of it.
"""

import pytest

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.api.tests import fhir_support


@pytest.fixture
def record(patient, alice, bob, admin, westside):
    dana = make_staff("dana", westside, Role.NURSE_RN)
    return fhir_support.build(patient, physician=alice, nurse=bob, second_nurse=dana, admin=admin)


def own_record_paths(record, patient) -> list[str]:
    """One resource of each kind the patient may read of their own record."""
    reading = record.readings[0].pk
    return [
        f"Condition/major-depression-{patient.pk}", f"Condition/dx1-{patient.pk}",
        f"ClinicalImpression/{record.decisions[-1].pk}", f"Consent/{record.consent.pk}",
        f"QuestionnaireResponse/{record.responses['PHQ-9'].pk}", f"Observation/score-{record.responses['PHQ-9'].pk}",
        f"CarePlan/{record.plan.pk}", f"Appointment/{record.appointments[0].pk}", f"Encounter/{record.visit.pk}",
        f"Observation/bp-{reading}", f"Observation/hr-{reading}", f"Observation/rr-{reading}",
        f"Observation/spo2-{reading}", f"Observation/moaas-{reading}", f"MedicationAdministration/{record.dose.pk}",
    ]


def every_path(record, patient) -> list[str]:
    return own_record_paths(record, patient) + [f"AdverseEvent/{record.adverse_event.pk}"]


def test_another_clinics_physician_gets_404_for_every_resource(record, patient, api, alice, charlie):
    for path in every_path(record, patient):
        assert api(alice)("get", f"/fhir/{path}").status_code == 200, path
        response = api(charlie)("get", f"/fhir/{path}")
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}, path


def test_a_patient_reads_their_own_record(record, patient, api, pat):
    call = api(pat)
    for path in own_record_paths(record, patient):
        assert call("get", f"/fhir/{path}").status_code == 200, path
    # Adverse events are staff records (visits.access): not even the patient's own is served to the portal.
    assert call("get", f"/fhir/AdverseEvent/{record.adverse_event.pk}").status_code == 404


def test_a_patients_own_bundle_leaves_out_what_only_staff_may_read(record, patient, api, pat, alice):
    def types(user):
        response = api(user)("get", f"/fhir/Patient/{patient.pk}/$everything")
        return {entry["resource"]["resourceType"] for entry in response.json()["entry"]}

    assert {"Encounter", "AdverseEvent"} <= types(alice)
    assert "Encounter" in types(pat) and "AdverseEvent" not in types(pat)


def test_another_patient_reads_none_of_it(record, patient, api, quinn):
    call = api(quinn)
    for path in every_path(record, patient):
        assert call("get", f"/fhir/{path}").status_code == 404, path


def test_each_read_is_audited(record, api, alice):
    api(alice)("get", f"/fhir/Encounter/{record.visit.pk}")
    assert AuditEvent.objects.filter(action="view", actor=alice, object_type="fhir:Encounter",
                                     object_id=str(record.visit.pk)).count() == 1


def test_everything_needs_clinical_view(patient, api, westside):
    front_desk = make_staff("fran", westside, Role.FRONT_DESK)
    response = api(front_desk)("get", f"/fhir/Patient/{patient.pk}/$everything")
    assert response.status_code == 403 and "detail" in response.json()


@pytest.mark.parametrize("path", ["/fhir/Observation/bp-x", "/fhir/Condition/dx13-1", "/fhir/Questionnaire/nonsense",
                                  "/fhir/Observation/score-999999", "/fhir/Encounter/999999"])
def test_unknown_ids_of_the_new_types_are_404(api, alice, path):
    response = api(alice)("get", path)
    assert response.status_code == 404 and "detail" in response.json()
