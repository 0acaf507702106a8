"""The billing API: same services, same access rules. charlie (Pasadena) gets 404 on every Westside
record; a patient's token reads their own money and changes nothing."""

import datetime as dt

import pytest

from ketaclinic.billing.models import Charge, Payment
from ketaclinic.billing.services import account, charges, insurance, prices
from ketaclinic.billing.tests.factories import make_visit
from ketaclinic.patients.models import Patient


@pytest.fixture
def world(patient, price_list, biller, covered, bob):
    charge = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    invoice = account.create_invoice(patient, charge_ids=[charge.pk], acting_user=biller)
    payment = account.record_payment(patient, data={"amount_cents": 5_000, "method": "cash", "invoice": invoice},
                                     acting_user=biller)
    visit = make_visit(patient, "esketamine", dose_mg="56", user=bob)
    return dict(patient=patient.pk, invoice=invoice.pk, payment=payment.pk, charge=charge.pk, visit=visit.pk,
                coverage=covered.pk, payer=covered.plan.payer_id, plan=covered.plan_id, clinic=patient.clinic_id)


READS = [
    "/billing/patients/{patient}/charges", "/billing/patients/{patient}/invoices", "/billing/invoices/{invoice}",
    "/billing/patients/{patient}/payment-plans", "/billing/patients/{patient}/balance",
    "/billing/patients/{patient}/coverages", "/billing/price-lists?clinic_id={clinic}", "/billing/payers?clinic_id={clinic}",
    "/billing/invoices/{invoice}/superbill.pdf",
]
WRITES = [
    ("/billing/patients/{patient}/charges", {"service_date": "2026-03-02", "code": "90792"}),
    ("/billing/charges/{charge}/void", {"reason": "x"}),
    ("/billing/visits/{visit}/charges", None),
    ("/billing/patients/{patient}/invoices", {"charge_ids": []}),
    ("/billing/patients/{patient}/payments", {"amount_cents": 100, "method": "cash"}),
    ("/billing/payments/{payment}/refunds", {"amount_cents": 100, "reason": "x"}),
    ("/billing/patients/{patient}/adjustments", {"amount_cents": 100, "reason": "courtesy"}),
    ("/billing/patients/{patient}/payment-plans", {"total_cents": 100, "count": 1, "first_due_on": "2026-04-01"}),
    ("/billing/patients/{patient}/coverages", {"plan_id": 1, "member_id": "X"}),
    ("/billing/coverages/{coverage}/benefits-checks", {"checked_on": "2026-03-16"}),
    ("/billing/coverages/{coverage}/prior-authorizations", {"units_requested": 4}),
    ("/billing/payers/{payer}/plans", {"name": "HMO"}),
]


@pytest.mark.parametrize("path", READS)
def test_billing_staff_read(api, biller, world, path):
    assert api(biller)("get", path.format(**world)).status_code == 200


@pytest.mark.parametrize("path", READS)
def test_another_clinic_reads_nothing(api, charlie, world, path):
    assert api(charlie)("get", path.format(**world)).status_code == 404


@pytest.mark.parametrize("path, body", WRITES)
def test_another_clinic_changes_nothing(api, charlie, world, path, body):
    assert api(charlie)("post", path.format(**world), body).status_code == 404


@pytest.mark.parametrize("path, body", WRITES)
def test_a_patient_changes_nothing(api, pat, world, path, body):
    assert api(pat)("post", path.format(**world), body).status_code in (403, 404)


@pytest.mark.parametrize("path", ["/billing/patients/{patient}/invoices", "/billing/patients/{patient}/balance",
                                  "/billing/invoices/{invoice}", "/billing/patients/{patient}/payment-plans"])
def test_a_patient_reads_their_own_and_nobody_elses(api, pat, quinn, world, path):
    assert api(pat)("get", path.format(**world)).status_code == 200
    assert api(quinn)("get", path.format(**world)).status_code == 404


def test_a_clinician_cannot_read_money(api, alice, world):
    assert api(alice)("get", "/billing/patients/{patient}/balance".format(**world)).status_code == 403


def test_a_device_token_is_refused(api, biller, world):
    from ketaclinic.accounts.models import ApiToken

    assert api(biller, kind=ApiToken.Kind.DEVICE)("get", "/billing/patients/{patient}/balance".format(**world)).status_code == 403


def test_the_balance_is_integer_cents(api, biller, world):
    body = api(biller)("get", "/billing/patients/{patient}/balance".format(**world)).json()
    assert body == {"patient_id": world["patient"], "charges_cents": 35_000, "payments_cents": 5_000, "refunds_cents": 0,
                    "adjustments_cents": 0, "balance_cents": 30_000}


def test_a_partial_payment_then_the_invoice(api, biller, world):
    call = api(biller)
    response = call("post", "/billing/patients/{patient}/payments".format(**world),
                    {"amount_cents": 10_000, "method": "hsa_fsa", "invoice_id": world["invoice"]})
    assert response.status_code == 201
    assert call("get", "/billing/invoices/{invoice}".format(**world)).json()["balance_cents"] == 20_000


def test_an_error_names_the_field(api, biller, world):
    response = api(biller)("post", "/billing/patients/{patient}/payments".format(**world),
                           {"amount_cents": 100, "method": "insurance"})
    assert response.status_code == 422 and "payer" in response.json()["errors"]
    assert Payment.objects.count() == 1


def test_another_patients_invoice_id_is_refused(api, biller, world, other_patient):
    response = api(biller)("post", f"/billing/patients/{other_patient.pk}/payments",
                           {"amount_cents": 100, "method": "cash", "invoice_id": world["invoice"]})
    assert response.status_code == 422 and "invoice_id" in response.json()["errors"]


def test_charging_a_visit_is_idempotent(api, biller, world):
    call = api(biller)
    first = call("post", "/billing/visits/{visit}/charges".format(**world)).json()
    again = call("post", "/billing/visits/{visit}/charges".format(**world)).json()
    assert [c["code"] for c in first] == ["G2082", "J0013"] and first == again
    assert Charge.objects.filter(visit_id=world["visit"]).count() == 2


def test_a_prior_authorisation_through_its_steps(api, biller, world):
    insurance.set_diagnoses(Patient.objects.get(pk=world["patient"]), codes_list=["F33.2"], acting_user=biller)
    call = api(biller)
    pa = call("post", "/billing/coverages/{coverage}/prior-authorizations".format(**world), {"units_requested": 8}).json()
    assert pa["diagnosis_codes"] == ["F33.2"]
    steps = f"/billing/prior-authorizations/{pa['id']}/steps"
    assert call("post", steps, {"action": "submit", "on": "2026-03-16"}).status_code == 200
    approved = call("post", steps, {"action": "approve", "on": "2026-03-16", "units_approved": 8,
                                    "valid_from": "2026-03-16", "valid_to": "2026-06-16", "payer_reference": "A-1"}).json()
    assert (approved["status"], approved["units_approved"]) == ("approved", 8)


def test_the_public_estimate_and_prices_need_no_account(client, westside, price_list, admin):
    assert client.get(f"/api/v1/billing/published-prices/{westside.pk}").status_code == 404  # not published
    prices.update_billing_profile(westside, data={"publish_prices": True}, acting_user=admin)
    assert client.get(f"/api/v1/billing/published-prices/{westside.pk}").json()["prices_cents"]["iv-infusion"] == 60_000
    response = client.post("/api/v1/billing/estimate", {
        "clinic_id": westside.pk, "sessions": {"esketamine-session": 3},
        "coverage": {"deductible_remaining_cents": 100_000, "coinsurance_pct": "20"}}, content_type="application/json")
    assert response.json()["patient_after_savings_cents"] == 134_000  # as in test_estimates


def test_the_public_estimate_rejects_unknown_sessions(client, westside, price_list, admin):
    prices.update_billing_profile(westside, data={"publish_prices": True}, acting_user=admin)
    response = client.post("/api/v1/billing/estimate", {"clinic_id": westside.pk, "sessions": {"ketamine-lozenge": 1}},
                           content_type="application/json")
    assert response.status_code == 422 and "ketamine-lozenge" in response.json()["detail"]


def test_the_claim_csv(api, biller, world):
    response = api(biller)("post", "/billing/claims.csv", {"clinic_id": world["clinic"], "start": "2026-03-01",
                                                          "end": "2026-03-16"})
    assert response.status_code == 200 and b"90792" in response.content


def test_the_claim_csv_of_another_clinic_is_404(api, charlie, world):
    response = api(charlie)("post", "/billing/claims.csv", {"clinic_id": world["clinic"], "start": "2026-03-01",
                                                           "end": "2026-03-16"})
    assert response.status_code == 404


def test_charges_and_invoices_come_in_pages_filtered_by_date(api, biller, world):
    patient = Patient.objects.get(pk=world["patient"])
    for day in (10, 20):
        charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 2, day)}, acting_user=biller)
    call = api(biller)
    base = "/billing/patients/{patient}/charges".format(**world)
    page = call("get", f"{base}?limit=2").json()
    assert page["count"] == 3 and [c["service_date"] for c in page["items"]] == ["2026-02-10", "2026-02-20"]
    mid_february = call("get", f"{base}?service_from=2026-02-15&service_to=2026-03-01").json()
    assert [c["service_date"] for c in mid_february["items"]] == ["2026-02-20"]
    backwards = call("get", f"{base}?service_from=2026-05-01&service_to=2026-04-01")
    assert backwards.status_code == 422 and "service_to" in backwards.json()["errors"]

    invoices = "/billing/patients/{patient}/invoices".format(**world)
    first = call("get", invoices).json()
    # 35,000 charged, 5,000 paid in the fixture: the page carries each invoice's own totals
    totals = {k: first["items"][0][k] for k in ("id", "status", "total_cents", "paid_cents", "adjusted_cents", "balance_cents")}
    assert first["count"] == 1 and totals == {"id": world["invoice"], "status": "issued", "total_cents": 35_000,
                                              "paid_cents": 5_000, "adjusted_cents": 0, "balance_cents": 30_000}
    issued = first["items"][0]["issued_on"]
    assert call("get", f"{invoices}?issued_to=2000-01-01").json() == {"items": [], "count": 0}
    assert call("get", f"{invoices}?issued_from={issued}&issued_to={issued}").json()["count"] == 1
