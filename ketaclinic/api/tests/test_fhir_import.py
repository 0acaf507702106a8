"""POST /api/v1/fhir/QuestionnaireResponse: a scale filled in elsewhere, checked and scored like any other.

PHQ-9 codes and answer codes: clinical.md §5.2; GAD-7's alternative answer code: §5.3.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from ketaclinic.accounts.models import ApiToken, AuditEvent
from ketaclinic.outcomes.models import QuestionnaireResponse, SafetyTask
from ketaclinic.outcomes.services import record_response

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
AUTHORED = "2026-11-10T09:30:00-08:00"
PHQ9_ITEMS = ("44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8")
LA_BY_SCORE = ("LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9")  # Not at all … Nearly every day


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, 0, tzinfo=LA), tick=False):
        yield


def loinc_form_phq9(patient, answers, **extra) -> dict:
    """A PHQ-9 as the LOINC form fills it in another system: linkIds are LOINC item codes, answers LA codes."""
    items = [{"linkId": f"/{code}", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": LA_BY_SCORE[value]}}]}
             for code, value in zip(PHQ9_ITEMS, answers)]
    return {"resourceType": "QuestionnaireResponse", "id": "ext-42", "status": "completed",
            "questionnaire": "http://loinc.org/q/44249-1", "subject": {"reference": f"Patient/{patient.pk}"},
            "authored": AUTHORED, "item": items, **extra}


def ours(patient, answers, code_slug="phq9") -> dict:
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": f"urn:ketaclinic:questionnaire:{code_slug}", "subject": {"reference": f"Patient/{patient.pk}"},
            "authored": AUTHORED, "item": [{"linkId": str(n), "answer": [{"valueInteger": v}]}
                                           for n, v in enumerate(answers, start=1) if v is not None]}


def post(api, user, body):
    return api(user)("post", "/fhir/QuestionnaireResponse", json=body)


def test_a_phq9_exported_then_imported_keeps_its_total_and_severity(api, alice, charlie, patient, pasadena_patient):
    original = record_response(patient, "PHQ-9", [3, 3, 2, 2, 2, 2, 2, 2, 1], acting_user=alice, entered_by_patient=False,
                               taken_at=dt.datetime(2026, 11, 10, 9, 30, tzinfo=LA))
    exported = api(alice)("get", f"/fhir/QuestionnaireResponse/{original.pk}").json()

    again = post(api, alice, exported)  # back onto the record it came from: it is already there
    assert again.status_code == 422 and again.json()["detail"] == f"duplicate: already recorded as QuestionnaireResponse/{original.pk}."

    # The patient moves to Pasadena, whose physician imports the exported response into their record there.
    response = post(api, charlie, {**exported, "subject": {"reference": f"Patient/{pasadena_patient.pk}"}})
    assert response.status_code == 201, response.content
    imported = QuestionnaireResponse.objects.get(pk=response.json()["id"])
    # 3 + 3 + 2 × 6 + 1 = 19: moderately severe (15–19, clinical.md §5.1)
    assert (imported.total, imported.severity) == (original.total, original.severity) == (19, "moderately severe")
    assert imported.answers == original.answers and imported.taken_at == original.taken_at
    assert (imported.patient, imported.context, imported.entered_by, imported.entered_by_patient) == (
        pasadena_patient, "imported", charlie, False)
    assert response["Location"].endswith(f"/api/v1/fhir/QuestionnaireResponse/{imported.pk}")
    assert response.json()["item"] == exported["item"]


def test_a_loinc_form_phq9_from_another_system_is_scored_like_any_other(api, alice, patient):
    body = loinc_form_phq9(patient, [1, 1, 1, 1, 1, 1, 1, 0, 1])
    body["item"] += [{"linkId": "/69722-7", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA6573-5"}}]},
                     {"linkId": "/44261-6", "answer": [{"valueInteger": 8}]}]  # the unscored difficulty item; the total
    response = post(api, alice, body)
    assert response.status_code == 201, response.content
    imported = QuestionnaireResponse.objects.get(pk=response.json()["id"])
    assert (imported.total, imported.severity, imported.flags) == (8, "mild", ["suicidal-ideation"])
    # Item 9 endorsed: the safety path runs as for a portal answer.
    assert SafetyTask.objects.filter(response=imported, reason="phq9-item9").exists()
    audit = AuditEvent.objects.get(object_type="fhir_import", object_id=str(imported.pk))
    assert (audit.actor, audit.patient_id, audit.summary) == (
        alice, patient.pk, "Imported PHQ-9 from a FHIR QuestionnaireResponse (its id ext-42): 8, mild")
    assert AuditEvent.objects.filter(object_type="questionnaire_response", object_id=str(imported.pk)).exists()


def test_a_gad7_may_say_more_days_than_not_for_two(api, alice, patient):
    body = ours(patient, [None, None, 1, 1, 1, 1, 1], code_slug="gad7")
    body["item"][:0] = [{"linkId": "1", "answer": [{"valueInteger": 0}]},
                        {"linkId": "/68509-9", "answer": [{"valueCoding": {"system": "http://loinc.org", "code": "LA18938-3"}}]}]
    response = post(api, alice, body)
    assert response.status_code == 201, response.content
    assert QuestionnaireResponse.objects.get(pk=response.json()["id"]).answers == [0, 2, 1, 1, 1, 1, 1]


def _change(body, **changes):
    return {**body, **changes}


ERRORS = {
    "unknown questionnaire": (lambda p: _change(ours(p, [0] * 9), questionnaire="http://example.org/Questionnaire/mood"),
                              "questionnaire: unknown questionnaire 'http://example.org/Questionnaire/mood'"),
    "missing item": (lambda p: ours(p, [0, 0, None, 0, 0, 0, 0, 0, 0]), "item_3: PHQ-9 item 3: missing answer"),
    "out of range": (lambda p: ours(p, [0, 0, 0, 0, 0, 0, 0, 0, 4]), "item_9: PHQ-9 item 9: 4 is outside 0–3"),
    "unknown item": (lambda p: _change(ours(p, [0] * 9), item=ours(p, [0] * 9)["item"] + [{"linkId": "10", "answer": [{"valueInteger": 1}]}]),
                     "item: linkId '10' is not an item of PHQ-9"),
    "unknown answer code": (lambda p: loinc_form_phq9(p, [0] * 9, item=[{"linkId": "/44250-9", "answer": [
        {"valueCoding": {"system": "http://loinc.org", "code": "LA0000-0"}}]}]), "item_1: PHQ-9 item 1: answer code 'LA0000-0'"),
    "stated total differs": (lambda p: _change(ours(p, [1] * 9), item=ours(p, [1] * 9)["item"] + [
        {"linkId": "/44261-6", "answer": [{"valueInteger": 10}]}]), "total: the response states a PHQ-9 total of 10; its answers add up to 9."),
    "date without time": (lambda p: _change(ours(p, [0] * 9), authored="2026-11-10"), "authored: give when it was answered"),
    "long ago": (lambda p: _change(ours(p, [0] * 9), authored="0001-01-01T00:00:00Z"), "authored: 0001-01-01 is before 1900."),
    "in the future": (lambda p: _change(ours(p, [0] * 9), authored="2026-12-01T09:00:00-08:00"), "authored: must not be in the future."),
    "not completed": (lambda p: _change(ours(p, [0] * 9), status="in-progress"), "status: only a completed QuestionnaireResponse"),
    "no subject": (lambda p: {k: v for k, v in ours(p, [0] * 9).items() if k != "subject"}, "subject: expected a reference to Patient/<id>"),
    "another resource": (lambda p: _change(ours(p, [0] * 9), resourceType="Observation"), "resourceType: expected QuestionnaireResponse"),
    "not FHIR": (lambda p: _change(ours(p, [0] * 9), item=[{"linkId": "1", "answer": [{"valueInteger": "often"}]}]),
                 "item.0.answer.0.valueInteger: Input should be a valid integer"),
}


@pytest.mark.parametrize("case", ERRORS)
def test_what_it_cannot_take_is_refused_naming_the_element(api, alice, patient, case):
    build, detail = ERRORS[case]
    response = post(api, alice, build(patient))
    assert response.status_code == 422 and response.json()["detail"].startswith(detail), response.json()
    assert not QuestionnaireResponse.objects.filter(patient=patient).exists()


def test_a_body_that_is_not_json_is_a_400(client, alice):
    _, token = ApiToken.issue(alice)
    response = client.post("/api/v1/fhir/QuestionnaireResponse", data=b"PHQ-9: 12", content_type="application/fhir+json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and response.json() == {"detail": "The body is not JSON."}


def test_another_clinics_patient_is_404(api, charlie, patient):
    response = post(api, charlie, ours(patient, [0] * 9))
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert not QuestionnaireResponse.objects.exists()


def test_importing_is_for_staff(api, pat, patient, alice):
    response = post(api, pat, ours(patient, [0] * 9))
    assert response.status_code == 403 and "staff" in response.json()["detail"]
    assert post(api, alice, ours(patient, [0] * 9)).status_code == 201


def test_a_device_token_cannot_import(api, bob, patient):
    response = api(bob, kind=ApiToken.Kind.DEVICE)("post", "/fhir/QuestionnaireResponse", json=ours(patient, [0] * 9))
    assert response.status_code == 403
