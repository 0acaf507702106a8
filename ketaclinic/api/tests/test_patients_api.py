import pytest

from conftest import make_patient
from ketaclinic.accounts.models import ApiToken, AuditEvent
from ketaclinic.patients.models import Patient

NEW = {"clinic_id": None, "legal_first_name": "Dana", "legal_last_name": "Sample", "date_of_birth": "1990-05-17", "sex_at_birth": "female"}


def test_it_needs_a_token(client, patient):
    response = client.get("/api/v1/patients")
    assert response.status_code == 401 and response.json() == {"detail": "Sign in or send a valid API token."}
    assert client.get("/api/v1/patients", HTTP_AUTHORIZATION="Bearer kc_wrong").status_code == 401


def test_a_revoked_token_no_longer_works(client, alice, patient):
    row, token = ApiToken.issue(alice)
    ApiToken.objects.filter(pk=row.pk).update(revoked_at="2026-01-01T00:00Z")
    assert client.get("/api/v1/patients", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_it_lists_with_pagination_and_search(api, alice, westside, patient, pasadena_patient):
    for n in range(2, 8):
        make_patient(westside, n)
    call = api(alice)
    page = call("get", "/patients?limit=3&offset=0").json()
    assert page["count"] == 7 and len(page["items"]) == 3
    found = call("post", "/patients/search", {"q": "núñez"}).json()
    assert [p["mrn"] for p in found["items"]] == [patient.mrn]


def test_search_terms_go_in_the_body_not_the_url(api, alice, patient):
    assert api(alice)("get", "/patients?q=nunez").json()["count"] == 1  # ignored: still the whole list
    assert api(alice)("post", "/patients/search", {"q": ""}).json()["count"] == 1


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_a_constant_number_of_queries(api, alice, westside, rows, django_assert_num_queries):
    for n in range(1, rows + 1):
        make_patient(westside, n)
    call = api(alice)
    with django_assert_num_queries(6):  # token, its first-use stamp, portal account?, memberships, count, page
        assert len(call("get", "/patients?limit=100").json()["items"]) == rows


def test_reading_a_patient_is_audited(api, alice, patient):
    body = api(alice)("get", f"/patients/{patient.pk}").json()
    assert body["mrn"] == patient.mrn and body["weight_kg"] == "70.0"
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk, actor=alice).exists()


def test_it_creates_a_patient(api, alice, westside):
    response = api(alice)("post", "/patients", {**NEW, "clinic_id": westside.pk})
    assert response.status_code == 201 and response.json()["mrn"] == "WS000001"
    assert AuditEvent.objects.filter(action="create", object_type="patient").count() == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date_of_birth", "2999-01-01", "date_of_birth: must not be in the future."),
        ("weight_kg", "401", "weight_kg: Ensure this value is less than or equal to 400."),
        ("email", "nope", "email: Enter a valid email address."),
        ("sex_at_birth", "robot", "sex_at_birth: Value 'robot' is not a valid choice."),
        ("date_of_birth", "yesterday", "date_of_birth: Input should be a valid date"),
    ],
)
def test_bad_input_is_422_naming_the_field(api, alice, westside, field, value, message):
    response = api(alice)("post", "/patients", {**NEW, "clinic_id": westside.pk, field: value})
    assert response.status_code == 422
    assert message in response.json()["detail"] and field in response.json()["errors"]
    assert not Patient.objects.exists()


def test_weight_needs_its_date(api, alice, westside):
    response = api(alice)("post", "/patients", {**NEW, "clinic_id": westside.pk, "weight_kg": "70"})
    assert response.status_code == 422 and "measured_on" in response.json()["errors"]


def test_a_duplicate_mrn_is_422(api, alice, westside, patient):
    response = api(alice)("post", "/patients", {**NEW, "clinic_id": westside.pk, "mrn": patient.mrn})
    assert response.status_code == 422 and response.json()["errors"] == {"mrn": [f"MRN {patient.mrn} is already used at this clinic."]}


def test_it_updates_and_audits_old_and_new(api, alice, patient):
    response = api(alice)("patch", f"/patients/{patient.pk}", {"phone": "+1 310 555 9999"})
    assert response.status_code == 200 and response.json()["phone"] == "+1 310 555 9999"
    assert AuditEvent.objects.get(action="update").changes == {"phone": ["+1 310 555 0001", "+1 310 555 9999"]}


def test_another_clinics_user_gets_404_everywhere(api, charlie, patient, westside):
    call = api(charlie)
    assert call("get", f"/patients/{patient.pk}").status_code == 404
    assert call("patch", f"/patients/{patient.pk}", {"phone": "1"}).status_code == 404
    assert call("post", "/patients", {**NEW, "clinic_id": westside.pk}).status_code == 404
    assert call("get", "/patients").json()["count"] == 0
    assert call("post", "/patients/search", {"q": "nunez"}).json()["count"] == 0
    assert call("get", f"/patients/{patient.pk}").json() == {"detail": "Not found."}


def test_a_patient_sees_only_their_own_record(api, pat, patient, other_patient):
    call = api(pat)
    assert [p["id"] for p in call("get", "/patients").json()["items"]] == [patient.pk]
    assert call("get", f"/patients/{patient.pk}").status_code == 200
    assert call("get", f"/patients/{other_patient.pk}").status_code == 404
    assert call("patch", f"/patients/{patient.pk}", {"mrn": "X"}).status_code == 403


def test_a_role_without_the_right_gets_403(api, westside, patient):
    from conftest import make_staff
    from ketaclinic.accounts.roles import Role

    call = api(make_staff("clerk", westside, Role.BILLING))
    assert call("get", f"/patients/{patient.pk}").status_code == 200
    response = call("patch", f"/patients/{patient.pk}", {"phone": "+1 310 555 1111"})
    assert response.status_code == 403 and "detail" in response.json()


def test_a_device_token_cannot_read_patients(api, bob, patient):
    response = api(bob, kind=ApiToken.Kind.DEVICE)("get", f"/patients/{patient.pk}")
    assert response.status_code == 403 and response.json() == {"detail": "A device token may only write readings."}


def test_malformed_json_is_400_not_500(client, alice):
    _, token = ApiToken.issue(alice)
    response = client.post("/api/v1/patients", data="{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in (400, 422) and "detail" in response.json()


@pytest.mark.parametrize("query", ["limit=3269828163983283857653760", "offset=10000001", "limit=0", "limit=101"])
def test_out_of_range_paging_is_422_naming_the_parameter(api, alice, patient, query):
    response = api(alice)("get", f"/patients?{query}")
    assert response.status_code == 422 and query.split("=")[0] in response.json()["detail"]


def test_an_id_beyond_64_bits_is_404_not_500(api, alice):
    assert api(alice)("get", f"/patients/{10**30}").status_code == 404
    assert api(alice)("get", f"/clinics/{10**30}").status_code == 404
    response = api(alice)("get", f"/patients?clinic_id={10**30}")
    assert response.status_code == 422 and "clinic_id" in response.json()["detail"]
