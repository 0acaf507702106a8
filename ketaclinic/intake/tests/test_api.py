"""The intake API: the same services and access rules as the pages; charlie gets 404 everywhere."""

import pytest

from conftest import make_staff
from ketaclinic.accounts.models import ApiToken, AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.intake import services
from ketaclinic.intake.models import CandidacyDecision, ConsultationRequest, InformedConsent, Intake
from ketaclinic.intake.tests.conftest import fill_intake, sign, submitted_intake

TRIAL = {"drug": "sertraline", "weeks": 8, "adequate_dose": "yes", "adherence": "most", "outcome": "no-response"}


def make_request(clinic, n=1):
    return services.submit_consultation_request(clinic=clinic, data={"first_name": f"Dana{n}", "last_name": "Sample",
                                                                    "phone": "+1 310 555 0100"})


def test_front_desk_lists_and_works_requests(api, westside, pasadena):
    front_desk = make_staff("ortiz", westside, Role.FRONT_DESK)
    request = make_request(westside)
    make_request(pasadena, 2)
    call = api(front_desk)
    listed = call("get", "/intake/consultation-requests").json()
    assert [r["first_name"] for r in listed["items"]] == ["Dana1"]
    assert call("post", f"/intake/consultation-requests/{request.pk}/contact", {"note": ""}).status_code == 422
    assert call("post", f"/intake/consultation-requests/{request.pk}/contact", {"note": "Called."}).json()["status"] == "contacted"
    registered = call("post", f"/intake/consultation-requests/{request.pk}/register",
                      {"date_of_birth": "1985-04-12", "sex_at_birth": "female"})
    assert registered.status_code == 201 and registered.json()["mrn"] == "WS000001"
    assert Intake.objects.get().patient_id == registered.json()["patient_id"]


def test_charlie_gets_404_on_every_request_endpoint(api, charlie, westside):
    request = make_request(westside)
    call = api(charlie)
    assert call("get", "/intake/consultation-requests").json()["items"] == []
    assert call("get", f"/intake/consultation-requests/{request.pk}").status_code == 404
    for action, body in (("contact", {"note": "x"}), ("close", {"reason": "spam"}),
                         ("register", {"date_of_birth": "1985-04-12", "sex_at_birth": "female"})):
        assert call("post", f"/intake/consultation-requests/{request.pk}/{action}", body).status_code == 404
    assert ConsultationRequest.objects.get().status == "new"


def test_staff_fill_submit_and_a_physician_signs_through_the_api(api, bob, alice, patient):
    nurse = api(bob)
    assert nurse("post", f"/intake/patients/{patient.pk}").status_code == 201
    patched = nurse("patch", f"/intake/patients/{patient.pk}", {
        "conditions": ["major-depression"], "current_mood_state": "depressed", "no_known_allergies": True,
        "screening_bp_systolic_mmhg": 128, "screening_bp_diastolic_mmhg": 82})
    assert patched.status_code == 200 and patched.json()["screening_bp_systolic_mmhg"] == 128
    for drug in ("sertraline", "bupropion"):
        assert nurse("post", f"/intake/patients/{patient.pk}/trials", {**TRIAL, "drug": drug}).status_code == 201
    assert nurse("post", f"/intake/patients/{patient.pk}/submit").json()["status"] == "awaiting_review"
    candidacy = nurse("get", f"/intake/patients/{patient.pk}/candidacy").json()
    evaluation = candidacy["evaluation"]
    assert (evaluation["iv_verdict"], evaluation["rules_version"]) == ("eligible", "candidacy-2026.1")
    assert evaluation["result"]["routes"]["esketamine"]["reasons"][0]["source"].startswith("clinical.md")
    body = {"evaluation_id": evaluation["id"], "decision": "both", "note": "Discussed."}
    assert nurse("post", f"/intake/patients/{patient.pk}/candidacy/decisions", body).status_code == 403
    signed = api(alice)("post", f"/intake/patients/{patient.pk}/candidacy/decisions", body)
    assert signed.status_code == 201 and signed.json()["approved_routes"] == ["esketamine", "iv-ketamine"]
    again = api(alice)("post", f"/intake/patients/{patient.pk}/candidacy/decisions", {**body, "decision": "iv"})
    assert again.status_code == 422 and "supersedes" in again.json()["errors"]


def test_errors_name_the_field(api, bob, patient):
    call = api(bob)
    call("post", f"/intake/patients/{patient.pk}")
    response = call("patch", f"/intake/patients/{patient.pk}",
                    {"screening_bp_systolic_mmhg": 80, "screening_bp_diastolic_mmhg": 120})
    assert response.status_code == 422 and "screening_bp_diastolic_mmhg" in response.json()["errors"]
    response = call("post", f"/intake/patients/{patient.pk}/trials", {**TRIAL, "weeks": 900})
    assert response.status_code == 422 and "weeks" in response.json()["errors"]
    response = call("post", f"/intake/patients/{patient.pk}/trials", {**TRIAL, "outcome": "cured"})
    assert response.status_code == 422 and "outcome" in response.json()["detail"]


def test_charlie_gets_404_on_every_patient_endpoint(api, charlie, bob, alice, pat, patient):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    consent = services.sign_consent(patient, route="iv-ketamine", typed_name="Patricia Núñez", agreed=True,
                                    text_version="iv-ketamine-2026.1", where="portal", acting_user=pat)
    call = api(charlie)
    base = f"/intake/patients/{patient.pk}"
    trial = Intake.objects.get().trials.first()
    for method, path, body in [
        ("get", base, None), ("post", base, None), ("patch", base, {"pregnant": True}),
        ("post", f"{base}/trials", TRIAL), ("post", f"{base}/medications", {"name": "x"}),
        ("post", f"{base}/allergies", {"substance": "x"}), ("delete", f"{base}/trials/{trial.pk}", None),
        ("post", f"{base}/submit", None), ("get", f"{base}/candidacy", None),
        ("post", f"{base}/candidacy/decisions", {"evaluation_id": 1, "decision": "both", "note": "x"}),
        ("get", f"{base}/consents", None),
        ("post", f"{base}/consents", {"route": "iv-ketamine", "typed_name": "x", "agreed": True, "text_version": "x"}),
        ("post", f"/intake/consents/{consent.pk}/withdraw", {"reason": ""}),
    ]:
        assert call(method, path, body).status_code == 404, (method, path)
    assert CandidacyDecision.objects.count() == 1 and not consent.is_withdrawn


def test_a_patient_fills_their_own_intake_and_signs_consent_through_the_api(api, pat, quinn, bob, alice, patient, other_patient):
    me = api(pat)
    base = f"/intake/patients/{patient.pk}"
    assert me("post", base).status_code == 201
    assert me("patch", base, {"screening_bp_systolic_mmhg": 120}).status_code == 422  # vitals are staff-only
    assert me("patch", base, {"conditions": ["major-depression"], "current_mood_state": "depressed",
                              "no_known_allergies": True}).status_code == 200
    for drug in ("sertraline", "bupropion"):
        me("post", f"{base}/trials", {**TRIAL, "drug": drug})
    assert me("post", f"{base}/submit").status_code == 200
    assert me("patch", base, {"pregnant": True}).status_code == 422  # sent: the clinic changes it now
    assert me("post", f"{base}/candidacy/decisions", {"evaluation_id": 1, "decision": "both", "note": "x"}).status_code == 403
    sign(patient, alice, "both")
    signed = me("post", f"{base}/consents", {"route": "iv-ketamine", "typed_name": "Patricia Nunez", "agreed": True,
                                             "text_version": "iv-ketamine-2026.1"})
    assert signed.status_code == 201 and signed.json()["where"] == "portal"
    assert me("get", f"{base}/candidacy").json()["approved_routes"] == ["iv-ketamine"]
    # quinn's record does not exist for pat
    assert me("get", f"/intake/patients/{other_patient.pk}").status_code == 404
    assert api(quinn)("get", base).status_code == 404


def test_a_device_token_cannot_use_the_intake_api(api, bob, patient):
    assert api(bob, kind=ApiToken.Kind.DEVICE)("get", f"/intake/patients/{patient.pk}").status_code == 403


def test_reading_an_intake_is_audited(api, bob, patient):
    fill_intake(patient, bob)
    api(bob)("get", f"/intake/patients/{patient.pk}")
    assert AuditEvent.objects.filter(action="view", summary="Opened intake through the API").exists()


def test_items_are_removed_and_a_missing_collection_is_404(api, bob, patient):
    intake = fill_intake(patient, bob)
    trial = intake.trials.first()
    call = api(bob)
    assert call("delete", f"/intake/patients/{patient.pk}/trials/{trial.pk}").status_code == 204
    assert call("delete", f"/intake/patients/{patient.pk}/pets/{trial.pk}").status_code == 404
    assert intake.trials.count() == 1


def test_consent_texts_and_the_clinic_protocol_are_readable(api, bob, charlie, westside):
    text = api(bob)("get", "/intake/consent-texts/esketamine").json()
    assert text["version"] == "esketamine-2026.1" and len(text["sha256"]) == 64
    first = text["sections"][0]
    assert set(first) == {"heading", "paragraphs"} and first["heading"] and first["paragraphs"]
    protocol = api(bob)("get", f"/intake/clinics/{westside.pk}/protocol").json()
    assert protocol["is_default"] and protocol["bp_hold_systolic_mmhg"] == 160
    assert api(charlie)("get", f"/intake/clinics/{westside.pk}/protocol").status_code == 404


def test_withdrawing_through_the_api(api, bob, alice, pat, patient):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    consent = services.sign_consent(patient, route="iv-ketamine", typed_name="Patricia Núñez", agreed=True,
                                    text_version="iv-ketamine-2026.1", where="portal", acting_user=pat)
    response = api(pat)("post", f"/intake/consents/{consent.pk}/withdraw", {"reason": "Not now."})
    assert response.status_code == 200 and response.json()["withdrawn_at"]
    assert InformedConsent.objects.get().is_withdrawn


@pytest.mark.parametrize("rows", [5, 50])
def test_the_request_list_runs_a_constant_number_of_queries(api, westside, rows, django_assert_num_queries):
    front_desk = make_staff("ortiz", westside, Role.FRONT_DESK)
    for n in range(rows):
        make_request(westside, n)
    call = api(front_desk)
    # token, token last-used update?, memberships, count, page
    with django_assert_num_queries(5):
        assert call("get", "/intake/consultation-requests").status_code == 200
