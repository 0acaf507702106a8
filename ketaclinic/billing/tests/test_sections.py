"""What billing adds to the chart and the portal home: money for billing staff, coverage without money
for clinicians, the patient's own balance in the portal."""

import datetime as dt

import pytest
from django.urls import reverse

from ketaclinic.billing.services import account, charges, payment_plans, prior_auth


@pytest.fixture
def owing(patient, price_list, biller, covered):
    charge = charges.create_charge(patient, data={"code": "90792", "service_date": dt.date(2026, 3, 2)}, acting_user=biller)
    invoice = account.create_invoice(patient, charge_ids=[charge.pk], acting_user=biller)
    payment_plans.create_payment_plan(patient, total_cents=35_000, count=2, first_due_on=dt.date(2026, 4, 1),
                                      frequency="monthly", invoice=invoice, acting_user=biller)
    pa = prior_auth.start_prior_authorization(covered, data={"units_requested": 8, "diagnosis_codes": ["F33.2"],
                                                                    "requested_on": dt.date(2026, 3, 1)},
                                              acting_user=biller)
    pa = prior_auth.submit_prior_authorization(pa, submitted_on=dt.date(2026, 3, 3), acting_user=biller)
    prior_auth.record_approval(pa, decided_on=dt.date(2026, 3, 5), units_approved=8, valid_from=dt.date(2026, 3, 5),
                               valid_to=dt.date(2026, 3, 20), payer_reference="AUTH-1", acting_user=biller)


def test_billing_staff_see_the_balance_on_the_chart(client_for, biller, patient, owing):
    text = client_for(biller).get(reverse("patients:chart", args=[patient.pk])).text
    assert "Billing account" in text and "$350.00" in text


def test_clinicians_see_the_authorisation_but_no_money(client_for, alice, patient, owing):
    text = client_for(alice).get(reverse("patients:chart", args=[patient.pk])).text
    assert "Coverage and authorisation" in text and "8 of 8 G2082 left" in text
    assert "Expires on 03/20/2026" in text
    assert "$350.00" not in text and "Billing account" not in text


def test_the_portal_home_shows_the_patients_balance_and_next_instalment(client_for, pat, owing):
    text = client_for(pat).get(reverse("portal:home")).text
    assert "$350.00" in text and "next instalment $175.00 due 04/01/2026" in text
    assert "Bills and costs" in text  # the portal navigation link


def test_billing_is_in_the_staff_navigation_for_billing_staff_only(client_for, biller, bob, patient):
    assert reverse("billing:home") in client_for(biller).get(reverse("patients:list")).text
    assert reverse("billing:home") not in client_for(bob).get(reverse("patients:list")).text
