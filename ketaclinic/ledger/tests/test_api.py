"""The ledger API: the same rules as the pages, one error shape, charlie 404 everywhere, patients never."""

import datetime as dt

import pytest
from django.utils import timezone

from ketaclinic.accounts.models import ApiToken
from ketaclinic.ledger import services
from ketaclinic.ledger.models import Entry
from ketaclinic.ledger.tests.conftest import PASSWORD, receive, sign


@pytest.fixture
def draw(vial, bob, patient):
    return services.draw(vial, patient=patient, amount_ml="0.80", acting_user=bob)


@pytest.fixture
def case(westside, vial, bob, alice):
    count = services.record_count(clinic=westside, kind="closing", witness=sign(westside, bob, alice), acting_user=bob,
                                  lines=[{"product_id": vial.product_id, "sealed_counted": 0}])
    return count.lines.get().case


def test_a_nurse_draws_administers_and_wastes_through_the_api(api, bob, alice, vial, patient):
    call = api(bob)
    drawn = call("post", f"/ledger/containers/{vial.pk}/draws", {"patient_id": patient.pk, "amount_ml": "0.80"})
    assert drawn.status_code == 201 and drawn.json()["container_balance_ml"] == "9.20"
    draw_id = drawn.json()["id"]
    given = call("post", f"/ledger/draws/{draw_id}/administrations", {"amount_ml": "0.70"})
    assert given.status_code == 201 and given.json()["draw_balance_ml"] == "0.10"
    refused = call("post", f"/ledger/draws/{draw_id}/wastes", {"method": "sink", "witness_username": "alice", "witness_password": "x"})
    assert refused.status_code == 422 and "witness_password" in refused.json()["errors"]
    wasted = call("post", f"/ledger/draws/{draw_id}/wastes", {"method": "sink", "witness_username": "alice", "witness_password": PASSWORD})
    assert wasted.status_code == 201 and wasted.json()["witness_label"] == "Alice"


def test_a_draw_larger_than_the_balance_is_refused_with_the_field_named(api, bob, vial, patient):
    response = api(bob)("post", f"/ledger/containers/{vial.pk}/draws", {"patient_id": patient.pk, "amount_ml": "11"})
    assert response.status_code == 422 and "amount_ml" in response.json()["errors"]


def test_a_receipt_through_the_api(api, bob, westside, k50):
    today = timezone.localdate()
    response = api(bob)("post", "/ledger/receipts", {
        "clinic_id": westside.pk, "product_id": k50.pk, "received_on": today.isoformat(), "supplier_name": "Henry Schein",
        "supplier_address": "Melville NY", "supplier_dea_number": "PH1234567", "invoice_number": "I-1", "lot_number": "L1",
        "expires_on": (today + dt.timedelta(days=200)).isoformat(), "containers_received": 2,
    })
    assert response.status_code == 201 and len(response.json()["containers"]) == 2


def test_reversal_count_and_case_resolution(api, bob, alice, westside, vial, draw, case):
    reversed_ = api(bob)("post", f"/ledger/entries/{draw.pk}/reversal", {"reason": "Wrong patient"})
    assert reversed_.status_code == 201 and reversed_.json()["reverses_id"] == draw.pk
    count = api(bob)("post", "/ledger/counts", {
        "clinic_id": westside.pk, "kind": "opening", "witness_username": "alice", "witness_password": PASSWORD,
        "lines": [{"product_id": vial.product_id, "sealed_counted": 0, "open_counted": 1, "open_ml_counted": "10"}],
    })
    assert count.status_code == 201 and count.json()["lines"][0]["variance_mg"] == "0.000"
    assert api(bob)("post", f"/ledger/cases/{case.pk}/resolution", {"explanation": "x" * 30}).status_code == 403
    resolved = api(alice)("post", f"/ledger/cases/{case.pk}/resolution", {"explanation": "Recounted: the vial was in use."})
    assert resolved.status_code == 201 and resolved.json()["is_open"] is False
    assert api(alice)("get", f"/ledger/cases?clinic_id={westside.pk}&open=true").json()["items"] == []


def test_the_reconciliation_report_as_json(api, admin, bob, westside, draw):
    services.administer(draw, amount_ml="0.80", acting_user=bob)
    today = timezone.localdate()
    response = api(admin)("get", f"/ledger/reports/reconciliation?clinic_id={westside.pk}&start={today}&end={today}")
    body = response.json()
    assert response.status_code == 200 and body["balances"] is True
    assert body["products"][0]["administered_mg"] == "40.000" and body["products"][0]["recorded_closing_mg"] == "460.000"


def _reads(westside, vial, draw, case):
    return [f"/ledger/stock?clinic_id={westside.pk}", f"/ledger/containers?clinic_id={westside.pk}", f"/ledger/containers/{vial.pk}",
            f"/ledger/entries?clinic_id={westside.pk}", f"/ledger/entries/{draw.pk}", f"/ledger/counts?clinic_id={westside.pk}",
            f"/ledger/cases?clinic_id={westside.pk}",
            f"/ledger/reports/reconciliation?clinic_id={westside.pk}&start=2026-01-01&end=2026-12-31"]


def test_charlie_gets_404_on_every_endpoint(api, charlie, westside, vial, draw, case, patient):
    call = api(charlie)
    for path in _reads(westside, vial, draw, case):
        assert call("get", path).status_code == 404, path
    writes = [
        (f"/ledger/containers/{vial.pk}/draws", {"patient_id": patient.pk, "amount_ml": "1"}),
        (f"/ledger/draws/{draw.pk}/administrations", {"amount_ml": "0.1"}),
        (f"/ledger/draws/{draw.pk}/wastes", {"method": "sink", "witness_username": "alice", "witness_password": PASSWORD}),
        (f"/ledger/containers/{vial.pk}/losses", {"dea_form_reference": "x", "note": "x"}),
        (f"/ledger/entries/{draw.pk}/reversal", {"reason": "x"}),
        (f"/ledger/cases/{case.pk}/resolution", {"explanation": "x" * 30}),
        ("/ledger/counts", {"clinic_id": westside.pk, "kind": "opening", "lines": [], "witness_username": "a", "witness_password": "b"}),
    ]
    for path, body in writes:
        assert call("post", path, body).status_code == 404, path
    assert Entry.objects.filter(kind__in=["administer", "loss"]).count() == 0


def test_a_patient_never_reaches_the_ledger_api(api, pat, westside, vial, draw, case):
    for path in _reads(westside, vial, draw, case) + ["/ledger/products"]:
        assert api(pat)("get", path).status_code == 404, path


def test_billing_reads_but_may_not_move(api, billing, westside, vial, patient):
    call = api(billing)
    assert call("get", f"/ledger/entries?clinic_id={westside.pk}").status_code == 200
    assert call("post", f"/ledger/containers/{vial.pk}/draws", {"patient_id": patient.pk, "amount_ml": "1"}).status_code == 403


def test_a_device_token_is_refused(api, bob, westside):
    assert api(bob, kind=ApiToken.Kind.DEVICE)("get", f"/ledger/stock?clinic_id={westside.pk}").status_code == 403


@pytest.mark.parametrize("rows", [5, 50])
def test_list_endpoints_run_a_constant_number_of_queries(api, bob, westside, k50, rows, django_assert_num_queries):
    receive(westside, k50, bob, n=rows)
    call = api(bob)
    call("get", f"/ledger/stock?clinic_id={westside.pk}")  # the token's last-used time is written once a minute
    for path, queries in ((f"/ledger/entries?clinic_id={westside.pk}", 5), (f"/ledger/containers?clinic_id={westside.pk}", 5)):
        with django_assert_num_queries(queries):
            assert call("get", path).status_code == 200
