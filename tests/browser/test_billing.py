"""A member of the public gets an estimate; billing invoices a completed visit, records a partial payment and
downloads a superbill whose PDF text holds the codes and amounts."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.billing.services import insurance, prices
from ketaclinic.billing.tests.factories import PRICES, make_visit
from ketaclinic.billing.tests.pdftext import pdf_text
from tests.browser.conftest import no_serious_violations, screenshot, sign_in


@pytest.fixture
def published(westside, admin):
    westside.npi, westside.tax_id = "1234567893", "95-1234567"
    westside.save()
    today = timezone.localdate(timezone=westside.tz)
    prices.create_price_list(westside, data={**PRICES, "effective_from": today - dt.timedelta(days=30)}, acting_user=admin)
    prices.update_billing_profile(westside, data={"publish_prices": True, "financing_options":
                                                  "Interest-free payment plans over 3 to 6 months."}, acting_user=admin)


def test_a_member_of_the_public_gets_an_estimate(page, published):
    page.goto("/billing/estimate/")
    expect(page.get_by_role("heading", name="What will treatment cost?")).to_be_visible()
    page.get_by_label("Esketamine nasal spray (SPRAVATO)").check()
    page.get_by_label("Consultations").fill("0")
    page.get_by_label("Esketamine sessions").fill("3")
    page.get_by_label("I have insurance that covers esketamine").check()
    page.get_by_label("Deductible still to meet this year ($)").fill("1000")
    page.get_by_label("Coinsurance (%)").fill("20")
    page.get_by_role("button", name="Estimate my cost").click()
    # $900 sessions, $1,000 deductible left, 20% coinsurance: 90_000 + 26_000 + 18_000 = $1,340 (test_estimates.py)
    expect(page.get_by_test_id("you-pay")).to_have_text("$1,340.00")
    expect(page.get_by_text("Deductible of $1,000.00 applied first.")).to_be_visible()
    expect(page.get_by_text("Interest-free payment plans over 3 to 6 months.")).to_be_visible()
    assert "1000" not in page.url  # the coverage was POSTed, never put in the address
    screenshot(page, "billing-public-estimate")
    assert no_serious_violations(page) == []  # the estimate with its result


def test_the_estimate_on_a_phone(phone_page, published):
    phone_page.goto("/billing/estimate/")
    phone_page.get_by_role("button", name="Estimate my cost").click()  # the usual course: six IV infusions
    expect(phone_page.get_by_test_id("you-pay")).to_have_text("$3,590.00")  # consultation $350 + package $3,240
    screenshot(phone_page, "billing-public-estimate-phone")


@pytest.fixture
def completed_visit(westside, patient, published, bob):
    biller = make_staff("billie", westside, Role.BILLING)
    insurance.set_diagnoses(patient, codes_list=["F33.2"], acting_user=biller)
    return make_visit(patient, "esketamine", dose_mg="84", user=bob, discharged_at=timezone.now() - dt.timedelta(hours=1))


def test_billing_invoices_a_visit_takes_a_partial_payment_and_downloads_a_superbill(page, completed_visit):
    sign_in(page, "billie")
    page.get_by_role("link", name="Billing").click()
    expect(page.get_by_role("heading", name="Completed visits not charged")).to_be_visible()
    screenshot(page, "billing-desk")
    page.get_by_role("button", name="Create charges").click()
    expect(page.get_by_text("Visit charged.")).to_be_visible()
    # 84 mg: G2083 ($900) and J0013 × 84 at $15 ($1,260); total $2,160
    expect(page.get_by_role("cell", name="G2083", exact=True)).to_be_visible()
    page.get_by_role("button", name="Create invoice").click()
    expect(page.get_by_role("heading", name=re.compile(r"Invoice WS-000001"))).to_be_visible()
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$2,160.00")
    page.get_by_role("link", name="Record payment").click()
    page.get_by_label("Amount ($)").fill("500")
    page.get_by_label("Method").select_option("hsa_fsa")
    page.get_by_label("Reference").fill("HSA card ending 0042")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("Payment recorded.")).to_be_visible()
    expect(page.get_by_test_id("invoice-balance")).to_have_text("$1,660.00")
    screenshot(page, "billing-invoice-partly-paid")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download superbill (PDF)").click()
    text = pdf_text(open(download.value.path(), "rb").read())
    for expected in ("G2083", "J0013", "84", "F33.2", "$900.00", "$1,260.00", "$2,160.00", "$500.00", "$1,660.00",
                     "1234567893", "95-1234567"):
        assert expected in text, expected
    page.get_by_role("link", name=re.compile("account")).click()
    screenshot(page, "billing-account")


def test_a_patient_sees_their_bill_on_a_phone(phone_page, published, pat, patient, westside):
    from ketaclinic.billing.services import account, charges

    biller = make_staff("billie", westside, Role.BILLING)
    day = timezone.localdate(timezone=westside.tz)
    charge = charges.create_charge(patient, data={"code": "90792", "service_date": day}, acting_user=biller)
    invoice = account.create_invoice(patient, charge_ids=[charge.pk], acting_user=biller)
    account.record_payment(patient, data={"amount_cents": 10_000, "method": "card", "invoice": invoice}, acting_user=biller)
    sign_in(phone_page, "pat", url="/portal/sign-in/")
    phone_page.get_by_role("link", name="Bills and costs").first.click()
    expect(phone_page.get_by_test_id("balance")).to_have_text("$250.00")  # $350 consultation − $100 paid
    expect(phone_page.get_by_role("link", name="WS-000001")).to_be_visible()
    screenshot(phone_page, "billing-portal-phone")
