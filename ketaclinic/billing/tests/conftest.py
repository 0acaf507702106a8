"""Billing fixtures: a billing clerk, Westside's price list, a payer and plan, completed visits.

"Now" is pinned to Monday 16 March 2026, 1 pm in Los Angeles (20:00 UTC), so dates of service, due dates
and the J0013 switch (1 January 2026) are fixed.
"""

import datetime as dt

import pytest
import time_machine

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.billing.services import insurance, prices
from ketaclinic.billing.tests.factories import NOW, PRICES


@pytest.fixture(autouse=True)
def frozen_now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def biller(westside):
    return make_staff("billie", westside, Role.BILLING)


@pytest.fixture
def price_list(westside, admin):
    return prices.create_price_list(westside, data={**PRICES, "effective_from": dt.date(2026, 1, 1)}, acting_user=admin)


@pytest.fixture
def insurance_plan(westside, biller):
    payer = insurance.create_payer(westside, data={"name": "Pacific Test Health", "esketamine_in_network": True},
                                   acting_user=biller)
    return insurance.create_plan(payer, data={"name": "PPO", "esketamine_billing": "buy_and_bill"}, acting_user=biller)


@pytest.fixture
def covered(patient, insurance_plan, biller):
    """Pat has commercial coverage with a recorded benefits check."""
    coverage = insurance.add_coverage(patient, data={"plan": insurance_plan, "member_id": "M123"}, acting_user=biller)
    return coverage
