"""Personas shared by every test module.

alice (physician) and bob (nurse) work at Westside; charlie (physician) works at Pasadena and must never see
Westside's patients. pat is a Westside patient with a portal account; quinn is another patient.
"""

import datetime as dt
from decimal import Decimal

import pytest

from ketaclinic.accounts.models import Clinic, Membership, Network, User
from ketaclinic.accounts.roles import Role
from ketaclinic.patients.models import Patient
from ketaclinic.portal.models import PortalAccount


@pytest.fixture
def network(db):
    return Network.objects.create(name="Test network")


def make_clinic(network, name, prefix="T", **extra):
    defaults = dict(address_line1="1 Main St", city="Los Angeles", postal_code="90001", phone="+1 310 555 0000",
                    time_zone="America/Los_Angeles", mrn_prefix=prefix)
    return Clinic.objects.create(network=network, name=name, **{**defaults, **extra})


@pytest.fixture
def westside(network):
    return make_clinic(network, "Westside", "WS")


@pytest.fixture
def pasadena(db):
    # Its own network: even a Westside network admin must not reach it.
    return make_clinic(Network.objects.create(name="Other network"), "Pasadena", "PA")


def make_staff(username, clinic, role):
    user = User.objects.create_user(username, password="correct-horse-battery", display_name=username.title())
    Membership.objects.create(user=user, clinic=clinic, role=role)
    return user


@pytest.fixture
def alice(westside):
    return make_staff("alice", westside, Role.PHYSICIAN)


@pytest.fixture
def bob(westside):
    return make_staff("bob", westside, Role.NURSE_RN)


@pytest.fixture
def charlie(pasadena):
    return make_staff("charlie", pasadena, Role.PHYSICIAN)


@pytest.fixture
def admin(westside):
    return make_staff("admin", westside, Role.CLINIC_ADMIN)


def make_patient(clinic, n=1, **extra):
    data = dict(
        mrn=f"{clinic.mrn_prefix}{n:06d}", legal_first_name=f"First{n}", legal_last_name=f"Last{n}",
        date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=n), sex_at_birth="female", phone=f"+1 310 555 {n:04d}",
        email=f"p{n}@example.com", weight_kg=Decimal("70.0"), height_cm=Decimal("170.0"), measured_on=dt.date(2026, 11, 1),
    )
    return Patient.objects.create(clinic=clinic, **{**data, **extra})


@pytest.fixture
def patient(westside):
    return make_patient(westside, 1, legal_first_name="Patricia", legal_last_name="Núñez", preferred_name="Pat")


@pytest.fixture
def other_patient(westside):
    return make_patient(westside, 2, legal_first_name="Quinn", legal_last_name="Oliver")


@pytest.fixture
def pasadena_patient(pasadena):
    return make_patient(pasadena, 1, legal_first_name="Carla", legal_last_name="Pasadena")


@pytest.fixture
def pat(patient):
    user = User.objects.create_user("pat", password="correct-horse-battery")
    PortalAccount.objects.create(user=user, patient=patient)
    return user


@pytest.fixture
def quinn(other_patient):
    user = User.objects.create_user("quinn", password="correct-horse-battery")
    PortalAccount.objects.create(user=user, patient=other_patient)
    return user


@pytest.fixture
def client_for(client):
    """client_for(user) signs the test client in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _audit_guards_around_flushes(request):
    """Live-server and transaction tests empty every table afterwards; the append-only triggers would refuse.

    Put the triggers in place before such a test (a previous one lifted them) and lift them just before
    pytest-django's flush, which runs after this fixture's teardown because this fixture asks for it first.
    """
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    from django.db import connection

    from ketaclinic.accounts import db_guards
    from ketaclinic.ledger import db_guards as ledger_guards

    guards = (db_guards, ledger_guards)  # every append-only table's triggers
    for guard in guards:
        guard.install(connection)
    yield
    for guard in guards:
        guard.remove(connection)


@pytest.fixture(autouse=True)
def _language_reset():
    """A request in Spanish leaves Spanish active on the thread (LocaleMiddleware does not undo it); reset it so the
    next test starts in the site's default language whatever ran before it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def api(client):
    """api(user) -> call(method, path, json=None) against /api/v1 with a fresh personal token of that user
    (``kind=ApiToken.Kind.DEVICE`` for a monitor's); api(None) calls with no token."""
    from ketaclinic.accounts.models import ApiToken

    def for_user(user, kind=ApiToken.Kind.PERSONAL):
        headers = {}
        if user is not None:
            _, token = ApiToken.issue(user, kind=kind)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

        def call(method, path, json=None):
            kwargs = dict(headers)
            if json is not None:
                kwargs.update(data=json, content_type="application/json")
            return getattr(client, method)(f"/api/v1{path}", **kwargs)

        return call

    return for_user
