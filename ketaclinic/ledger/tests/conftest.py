"""Ledger fixtures: products, a delivery at Westside, witness signatures, the API caller, and the trigger lift."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.ledger import db_guards, services
from ketaclinic.ledger.models import DrugProduct

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _ledger_guards_around_flushes(request):
    """The ledger's append-only triggers would refuse the flush after transaction tests: lift them just before."""
    yield from db_guards.lifted_for_flush(request)


@pytest.fixture
def k50(db, alice):
    return services.create_product(
        data=dict(name="Ketamine HCl injection", ndc="42023-113-10", form="vial", concentration_mg_per_ml="50",
                  container_volume_ml="10", manufacturer="Par Pharmaceutical"),
        acting_user=alice,
    )


@pytest.fixture
def spravato(db, alice):
    return services.create_product(
        data=dict(name="SPRAVATO (esketamine)", ndc="50458-028-02", form="nasal_device", manufacturer="Janssen"),
        acting_user=alice,
    )


def receive(clinic, product, user, n=2, **extra):
    data = dict(product=product, supplier_name="Henry Schein", supplier_address="135 Duryea Rd, Melville NY 11747",
                supplier_dea_number="PH1234567", received_on=timezone.localdate() - dt.timedelta(days=1),
                invoice_number="INV-1001", lot_number="L2401", expires_on=timezone.localdate() + dt.timedelta(days=365),
                containers_received=n)
    return services.receive(clinic=clinic, data={**data, **extra}, acting_user=user)


@pytest.fixture
def vial(westside, k50, bob):
    """One 500 mg (10 mL) vial of ketamine 50 mg/mL at Westside."""
    return receive(westside, k50, bob, n=1).containers.get()


@pytest.fixture
def crna(westside):
    return make_staff("crna", westside, Role.NURSE_CRNA)


@pytest.fixture
def frontdesk(westside):
    return make_staff("frontdesk", westside, Role.FRONT_DESK)


@pytest.fixture
def billing(westside):
    return make_staff("billing", westside, Role.BILLING)


def http_request():
    return RequestFactory().post("/ledger/", REMOTE_ADDR="127.0.0.1")


def sign(clinic, acting_user, witness, password=PASSWORD):
    return services.sign(http_request(), clinic=clinic, acting_user=acting_user, username=witness.username, password=password)


__all__ = ["DrugProduct", "receive", "sign", "http_request"]
