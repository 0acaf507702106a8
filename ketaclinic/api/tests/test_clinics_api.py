import pytest

from conftest import make_clinic, make_staff
from ketaclinic.accounts.models import AuditEvent, Clinic
from ketaclinic.accounts.roles import Role

NEW = {"name": "Santa Monica", "address_line1": "1 Ocean Ave", "city": "Santa Monica", "postal_code": "90401", "phone": "+1 310 555 0400"}


def test_it_lists_only_my_clinics(api, alice, westside, pasadena):
    body = api(alice)("get", "/clinics").json()
    assert [c["name"] for c in body["items"]] == ["Westside"] and body["count"] == 1


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_runs_a_constant_number_of_queries(api, westside, network, rows, django_assert_num_queries):
    boss = make_staff("boss", westside, Role.NETWORK_ADMIN)
    for n in range(rows):
        make_clinic(network, f"Clinic {n:02d}")
    call = api(boss)
    with django_assert_num_queries(6):  # token, memberships, network's clinics, ids, count, page
        call("get", "/clinics?limit=100")


def test_another_clinics_user_gets_404(api, charlie, westside):
    call = api(charlie)
    assert call("get", f"/clinics/{westside.pk}").status_code == 404
    assert call("patch", f"/clinics/{westside.pk}", {"name": "x"}).status_code == 404


def test_a_patient_gets_404(api, pat, westside):
    assert api(pat)("get", f"/clinics/{westside.pk}").status_code == 404
    assert api(pat)("get", "/clinics").json()["count"] == 0


def test_a_clinic_admin_updates_rems_details_with_an_audit_row(api, admin, westside):
    response = api(admin)("patch", f"/clinics/{westside.pk}", {"rems_certification_number": "SPR-1", "rems_certified_on": "2026-01-05"})
    assert response.status_code == 200 and response.json()["rems_certified_on"] == "2026-01-05"
    assert AuditEvent.objects.get(action="update", object_type="clinic").changes["rems_certification_number"] == ["", "SPR-1"]


def test_a_physician_may_not_change_the_clinic(api, alice, westside):
    assert api(alice)("patch", f"/clinics/{westside.pk}", {"name": "Mine"}).status_code == 403


@pytest.mark.parametrize(
    "field, value", [("time_zone", "Mars/Olympus"), ("npi", "123"), ("dea_registration", "bad"), ("postal_code", "ABCDE")]
)
def test_bad_clinic_details_name_the_field(api, admin, westside, field, value):
    response = api(admin)("patch", f"/clinics/{westside.pk}", {field: value})
    assert response.status_code == 422 and field in response.json()["errors"]
    westside.refresh_from_db()
    assert getattr(westside, field) != value


def test_only_a_network_admin_adds_clinics(api, alice, westside):
    assert api(alice)("post", "/clinics", NEW).status_code == 403
    boss = make_staff("boss", westside, Role.NETWORK_ADMIN)
    response = api(boss)("post", "/clinics", NEW)
    assert response.status_code == 201 and Clinic.objects.get(name="Santa Monica").network_id == westside.network_id


def test_the_openapi_document_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "KetaClinic API" and "/api/v1/patients" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200
