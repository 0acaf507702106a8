"""Hand-worked estimates at the service and page level: the patient's plan, their benefits check and
savings enrolment go through the pure estimator, and the portal, the staff account and the public
estimator show the same numbers. Esketamine session: $900.00 (90_000 cents)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ketaclinic.billing.services import account, estimates, insurance
from ketaclinic.billing.tests.plans import make_plan

ESK = "esketamine"


def check(coverage, biller, **values):
    data = {"checked_on": dt.date(2026, 3, 2), "esketamine_covered": "yes", **values}
    return insurance.record_benefits_check(coverage, data=data, acting_user=biller)


@pytest.fixture
def esk_plan(patient, alice):
    return lambda n: make_plan(patient, ESK, {"dosing": n}, alice)


def test_deductible_partly_met_then_coinsurance(patient, price_list, covered, biller, esk_plan):
    esk_plan(3)
    check(covered, biller, deductible_cents=150_000, deductible_met_cents=50_000, coinsurance_pct=Decimal("20"))
    result = estimates.patient_estimate(patient).estimate
    # $1,000 of deductible left. s1: 90_000 all deductible. s2: 10_000 deductible + 20% of 80_000 = 16_000 → 26_000.
    # s3: 20% of 90_000 = 18_000. Patient 90_000 + 26_000 + 18_000 = 134_000; insurance 270_000 − 134_000 = 136_000.
    assert (result.total_cents, result.patient_cents, result.insurance_cents) == (270_000, 134_000, 136_000)
    assert result.patient_after_savings_cents == 134_000
    assert "Deductible of $1,000.00 applied first." in result.assumptions


def test_a_copay_per_session(patient, price_list, covered, biller, esk_plan):
    esk_plan(12)
    check(covered, biller, copay_cents=4_000)
    result = estimates.patient_estimate(patient).estimate
    # 12 sessions × $40 copay = $480; insurance 12 × 90_000 − 48_000 = 1_032_000
    assert (result.patient_cents, result.insurance_cents) == (48_000, 1_032_000)


def test_savings_capped_for_the_year(patient, price_list, covered, biller, esk_plan):
    esk_plan(2)
    check(covered, biller, coinsurance_pct=Decimal("20"))
    insurance.enroll_in_savings(patient, data={"enrolled_on": dt.date(2026, 1, 10)}, acting_user=biller)
    # CarePath already paid $7,000 of its $7,150 this year: $150 of the cap is left.
    account.record_payment(patient, data={"amount_cents": 700_000, "method": "savings",
                                          "received_on": dt.date(2026, 2, 1)}, acting_user=biller)
    result = estimates.patient_estimate(patient).estimate
    # Share 18_000 per session. s1: savings min(18_000 − 1_000 floor, 15_000 left) = 15_000; s2: cap used up → 0.
    # Patient pays 36_000 − 15_000 = 21_000.
    assert (result.patient_cents, result.savings_cents, result.patient_after_savings_cents) == (36_000, 15_000, 21_000)
    assert "Manufacturer savings capped at $150.00 per year; $150.00 used in this estimate." in result.assumptions


def test_out_of_pocket_maximum_reached_mid_course(patient, price_list, covered, biller, esk_plan):
    esk_plan(4)
    check(covered, biller, coinsurance_pct=Decimal("20"), oop_max_cents=400_000, oop_met_cents=360_000)
    result = estimates.patient_estimate(patient).estimate
    # $400 of the out-of-pocket maximum left: 18_000 + 18_000 + 4_000 (capped) + 0 = 40_000.
    assert (result.patient_cents, result.insurance_cents) == (40_000, 320_000)
    assert ("Out-of-pocket maximum reached at esketamine session 3; later covered sessions cost you $0."
            in result.assumptions)


def test_a_self_pay_iv_plan_uses_the_package(patient, price_list, alice):
    make_plan(patient, "iv-ketamine", {"dosing": 6, "psychotherapy-preparation": 2}, alice)
    result = estimates.patient_estimate(patient).estimate
    # Package: 6 × 60_000 = 360_000 less 10% (36_000) = 324_000; 2 preparation sessions × 40_000 = 80_000.
    assert [(line.session_type, line.total_cents) for line in result.lines] == [
        ("iv-induction-package", 324_000), ("psychotherapy-preparation", 80_000)]
    assert (result.total_cents, result.insurance_cents) == (404_000, 0)


def test_it_says_why_there_is_no_estimate(patient, price_list):
    assert estimates.patient_estimate(patient).problem.startswith("There is no signed treatment plan")


def test_the_portal_shows_the_patients_own_estimate(client_for, pat, patient, price_list, covered, biller, esk_plan):
    esk_plan(3)
    check(covered, biller, deductible_cents=150_000, deductible_met_cents=50_000, coinsurance_pct=Decimal("20"))
    text = client_for(pat).get(reverse("billing:portal_home")).text
    assert "$1,340.00" in text and "$1,360.00" in text  # the patient's 134_000 and insurance's 136_000


def test_the_staff_account_shows_the_same_estimate(client_for, biller, patient, price_list, covered, esk_plan):
    esk_plan(4)
    check(covered, biller, coinsurance_pct=Decimal("20"), oop_max_cents=400_000, oop_met_cents=360_000)
    text = client_for(biller).get(reverse("billing:account", args=[patient.pk])).text
    assert "$400.00" in text and "reached at esketamine session 3" in text


def public_post(client, westside, **fields):
    data = {"clinic": westside.pk, "route": "esketamine", "consultations": 0, "esketamine_sessions": 3, **fields}
    return client.post(reverse("billing:estimate"), data)


@pytest.fixture
def published(westside, price_list, admin):
    from ketaclinic.billing.services import prices

    prices.update_billing_profile(westside, data={"publish_prices": True, "financing_options": "Zero-interest plans."},
                                  acting_user=admin)


def test_the_public_estimator_works_the_same_case_from_typed_coverage(client, westside, published):
    response = public_post(client, westside, has_insurance="on", deductible_remaining_cents="1,000.00",
                           coinsurance_pct="20")
    assert response.status_code == 200
    assert "$1,340.00" in response.text and "Zero-interest plans." in response.text


def test_the_public_estimator_applies_savings_and_the_out_of_pocket_cap(client, westside, published):
    response = public_post(client, westside, esketamine_sessions=4, has_insurance="on", coinsurance_pct="20",
                           oop_max_remaining_cents="400", savings_program="on")
    # Shares 18_000, 18_000, 4_000, 0; CarePath leaves $10 of each non-zero share: 1_000 + 1_000 + 1_000 = $30.
    assert "$30.00" in response.text


def test_the_public_estimator_prices_iv_as_self_pay(client, westside, published):
    response = public_post(client, westside, route="iv", iv_infusions=6, as_package="on", has_insurance="on",
                           coinsurance_pct="20")
    assert "$3,240.00" in response.text  # the package; typed coverage is ignored for IV
    assert "IV ketamine is not covered by most insurers" in response.text
