"""Every billing page: billing staff get it, another clinic's staff get 404, clinicians without billing
rights 403 on money, patients 404 on staff pages and only their own records in the portal."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_patient
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.billing.models import PaymentPlan
from ketaclinic.billing.services import account, charges, payment_plans, prior_auth, statements
from ketaclinic.billing.tests.factories import make_visit


@pytest.fixture
def world(patient, price_list, biller, covered, bob):
    """One of everything on Pat's account."""
    charge = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    invoice = account.create_invoice(patient, charge_ids=[charge.pk], acting_user=biller)
    payment = account.record_payment(patient, data={"amount_cents": 5_000, "method": "cash", "invoice": invoice},
                                     acting_user=biller)
    plan = payment_plans.create_payment_plan(patient, total_cents=30_000, count=3, first_due_on=dt.date(2026, 4, 1),
                                             frequency="monthly", invoice=invoice, acting_user=biller)
    statement = statements.create_statement(patient, period_start=dt.date(2026, 3, 1), period_end=dt.date(2026, 3, 16),
                                            acting_user=biller)
    pa = prior_auth.start_prior_authorization(covered, data={"units_requested": 8}, acting_user=biller)
    visit = make_visit(patient, "iv-ketamine", dose_mg="35", user=bob)
    uninvoiced = charges.create_charge(patient, data={"code": "CANCEL", "service_date": dt.date(2026, 3, 3)}, acting_user=biller)
    return dict(patient=patient.pk, invoice=invoice.pk, payment=payment.pk, plan=plan.pk, statement=statement.pk,
                pa=pa.pk, visit=visit.pk, coverage=covered.pk, payer=covered.plan.payer_id, charge=uninvoiced.pk)


# (url name, argument names, needs billing.edit)
STAFF_PAGES = [
    ("billing:account", ("patient",), False), ("billing:invoice", ("invoice",), False),
    ("billing:invoice_superbill", ("invoice",), False), ("billing:plan", ("plan",), False),
    ("billing:statement", ("statement",), False), ("billing:statement_pdf", ("statement",), False),
    ("billing:superbill_period", ("patient",), False), ("billing:visit_superbill", ("visit",), False),
    ("billing:charge_new", ("patient",), True), ("billing:payment_new", ("patient",), True),
    ("billing:adjustment_new", ("patient",), True), ("billing:plan_new", ("patient",), True),
    ("billing:statement_new", ("patient",), True), ("billing:coverage_new", ("patient",), True),
    ("billing:savings_new", ("patient",), True), ("billing:diagnoses", ("patient",), True),
    ("billing:refund_new", ("payment",), True), ("billing:benefits_new", ("coverage",), True),
    ("billing:payer", ("payer",), True),
]
CLINIC_PAGES = ["billing:home", "billing:prices", "billing:payers", "billing:claims"]
POSTS = [
    ("billing:charge_void", ("charge",)), ("billing:invoice_new", ("patient",)), ("billing:visit_charge", ("visit",)),
    ("billing:invoice_void", ("invoice",)), ("billing:plan_cancel", ("plan",)), ("billing:coverage_end", ("coverage",)),
    ("billing:prior_auth_new", ("coverage",)), ("billing:package_sell", ("patient",)),
]


def url(name, keys, world):
    return reverse(name, args=[world[k] for k in keys])


@pytest.mark.parametrize("name, keys, edit", STAFF_PAGES)
def test_billing_staff_open_every_page(client_for, biller, world, name, keys, edit):
    assert client_for(biller).get(url(name, keys, world)).status_code == 200


@pytest.mark.parametrize("name", CLINIC_PAGES)
def test_billing_staff_open_the_clinic_pages(client_for, biller, world, name):
    assert client_for(biller).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name, keys, edit", STAFF_PAGES)
def test_another_clinics_staff_get_404(client_for, charlie, world, name, keys, edit):
    assert client_for(charlie).get(url(name, keys, world)).status_code == 404


@pytest.mark.parametrize("name, keys", POSTS)
def test_another_clinics_staff_cannot_post(client_for, charlie, world, name, keys):
    assert client_for(charlie).post(url(name, keys, world), {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("name, keys, edit", STAFF_PAGES)
def test_clinicians_without_billing_rights_get_403(client_for, alice, world, name, keys, edit):
    assert client_for(alice).get(url(name, keys, world)).status_code == 403


@pytest.mark.parametrize("name", CLINIC_PAGES)
def test_clinicians_cannot_open_the_billing_desk(client_for, alice, bob, name):
    assert client_for(bob).get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name, keys, edit", STAFF_PAGES)
def test_patients_cannot_open_staff_pages(client_for, pat, world, name, keys, edit):
    assert client_for(pat).get(url(name, keys, world)).status_code == 404


def test_a_clinician_reads_the_prior_authorisation_but_cannot_change_it(client_for, alice, world):
    client = client_for(alice)
    page = client.get(reverse("billing:prior_auth", args=[world["pa"]]))
    assert page.status_code == 200 and "Save answers" not in page.text
    assert client.post(reverse("billing:prior_auth_action", args=[world["pa"], "withdraw"])).status_code == 403


def test_opening_the_account_is_audited(client_for, biller, world):
    client_for(biller).get(reverse("billing:account", args=[world["patient"]]))
    assert AuditEvent.objects.filter(object_type="billing_account", action="view", actor=biller).exists()


def test_the_account_page_shows_the_balance(client_for, biller, world):
    text = client_for(biller).get(reverse("billing:account", args=[world["patient"]])).text
    # charges 35_000 + 10_000 − 5_000 paid = 40_000
    assert "$400.00" in text and "WS-000001" in text


# --- the portal -----------------------------------------------------------------------------------

PORTAL_PAGES = [("billing:portal_invoice", ("invoice",)), ("billing:portal_invoice_superbill", ("invoice",)),
                ("billing:portal_statement_pdf", ("statement",))]


@pytest.mark.parametrize("name, keys", PORTAL_PAGES)
def test_a_patient_opens_their_own_bills(client_for, pat, world, name, keys):
    assert client_for(pat).get(url(name, keys, world)).status_code == 200


@pytest.mark.parametrize("name, keys", PORTAL_PAGES)
def test_a_patient_never_opens_anothers_bills(client_for, quinn, world, name, keys):
    assert client_for(quinn).get(url(name, keys, world)).status_code == 404


def test_the_portal_home_lists_only_the_patients_own(client_for, pat, quinn, world):
    mine = client_for(pat).get(reverse("billing:portal_home")).text
    assert "WS-000001" in mine
    assert "WS-000001" not in client_for(quinn).get(reverse("billing:portal_home")).text


def test_staff_cannot_use_the_portal_pages(client_for, biller, world):
    assert client_for(biller).get(reverse("billing:portal_home")).status_code == 404


# --- forms ----------------------------------------------------------------------------------------

def test_a_payment_form_error_names_the_field_and_saves_nothing(client_for, biller, world):
    response = client_for(biller).post(reverse("billing:payment_new", args=[world["patient"]]), {
        "amount_cents": "12.345", "method": "card", "received_on": "2026-03-16"})
    assert response.status_code == 422
    assert "Amount ($): Enter dollars and cents, at most two decimals." in response.text


def test_a_partial_payment_through_the_form(client_for, biller, world):
    response = client_for(biller).post(reverse("billing:payment_new", args=[world["patient"]]), {
        "amount_cents": "100.00", "method": "hsa_fsa", "received_on": "2026-03-16", "invoice": world["invoice"]})
    assert response.status_code == 302
    assert account.invoice_totals(account.Invoice.objects.get(pk=world["invoice"])).balance_cents == 20_000


def test_a_card_number_is_never_stored(client_for, biller, world):
    response = client_for(biller).post(reverse("billing:payment_new", args=[world["patient"]]), {
        "amount_cents": "1.00", "method": "card", "received_on": "2026-03-16", "reference": "4242 4242 4242 4242"})
    assert response.status_code == 422 and "last four digits" in response.text


def test_the_period_superbill_is_posted_not_linked(client_for, biller, world):
    response = client_for(biller).post(reverse("billing:superbill_period", args=[world["patient"]]),
                                       {"start": "2026-03-01", "end": "2026-03-16"})
    assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "no-store"


def test_the_claim_csv_downloads(client_for, biller, world):
    response = client_for(biller).post(reverse("billing:claims"), {"start": "2026-03-01", "end": "2026-03-16",
                                                                    "insured_only": "on"})
    assert response["Content-Type"].startswith("text/csv") and b"24d_code" in response.content


def test_a_price_list_through_the_form(client_for, admin, westside):
    response = client_for(admin).post(reverse("billing:price_list_new"), {
        "effective_from": "2026-04-01", "iv_infusion_cents": "650.00", "induction_package_infusions": 6,
        "induction_package_price_cents": "3,500.00", "induction_package_discount_pct": "5"})
    assert response.status_code == 422
    assert "Give a package price or a discount, not both." in response.text


# --- list pages run a fixed number of queries --------------------------------------------------------

@pytest.mark.parametrize("rows", [5, 50])
def test_the_billing_desk_runs_a_constant_number_of_queries(client_for, biller, westside, price_list, rows,
                                                           django_assert_num_queries):
    for n in range(1, rows + 1):
        p = make_patient(westside, n + 10)
        charges.create_charge(p, data={"code": "CANCEL", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    client = client_for(biller)
    with django_assert_num_queries(12):
        assert client.get(reverse("billing:home")).status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_the_portal_invoice_list_runs_a_constant_number_of_queries(client_for, pat, patient, price_list, biller, rows,
                                                                  django_assert_num_queries):
    for _ in range(rows):
        c = charges.create_charge(patient, data={"code": "CANCEL", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
        account.create_invoice(patient, charge_ids=[c.pk], acting_user=biller)
    client = client_for(pat)
    with django_assert_num_queries(21):
        assert client.get(reverse("billing:portal_home")).status_code == 200
    assert PaymentPlan.objects.count() == 0


@pytest.mark.parametrize("name, key, object_type", [("billing:invoice", "invoice", "invoice"),
                                                    ("billing:plan", "plan", "payment_plan"),
                                                    ("billing:statement", "statement", "statement")])
def test_opening_a_money_page_is_audited(client_for, biller, world, name, key, object_type):
    client_for(biller).get(reverse(name, args=[world[key]]))
    assert AuditEvent.objects.filter(object_type=object_type, action="view", object_id=str(world[key])).exists()
