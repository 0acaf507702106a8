"""Fixtures for the plans area: a Westside calendar (hours, chairs, a room, nurse shifts) and protocols.

Dates are fixed: Monday 5 January 2026 is the usual start (see the calendars in clinical/tests/test_protocols.py).
The intake gate (signed candidacy + consent) is the intake area's; ``gate_open`` stubs it to pass, and
tests of the refusal use ``gate_closed``.
"""

import datetime as dt
from decimal import Decimal

import pytest

from ketaclinic.plans import services, sms
from ketaclinic.plans.models import Chair

MONDAY = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def gate_open(monkeypatch):
    """Stand in for intake's gate (its own tests cover it); plan tests are about plans."""
    calls = []
    monkeypatch.setattr("ketaclinic.intake.services.require_plan_allowed", lambda patient, route: calls.append((patient.pk, route)))
    return calls


@pytest.fixture
def gate_closed(monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(patient, route):
        raise ValidationError({"route": "No signed candidacy decision for IV ketamine."})

    monkeypatch.setattr("ketaclinic.intake.services.require_plan_allowed", refuse)


@pytest.fixture
def recording_sms():
    fake = sms.RecordingSms()
    sms.use(fake)
    yield fake
    sms.use(None)


def open_clinic(clinic, user, *, weekdays=range(5), opens=dt.time(8), closes=dt.time(18)):
    services.set_opening_hours(clinic=clinic, hours={d: (opens, closes) for d in weekdays}, acting_user=user)


def staff_days(clinic, nurse, days, *, starts=dt.time(7, 30), ends=dt.time(18), acting_user=None):
    for day in days:
        services.add_shift(clinic=clinic, user=nurse, day=day, starts=starts, ends=ends, acting_user=acting_user or nurse)


@pytest.fixture
def calendar(westside, alice, bob, admin):
    """Westside: Mon–Fri 08:00–18:00, chairs 1–3 and a therapy room, bob on shift Jan–Feb 2026."""
    open_clinic(westside, admin)
    chairs = [services.add_chair(clinic=westside, name=f"Chair {n}", acting_user=admin) for n in (1, 2, 3)]
    room = services.add_chair(clinic=westside, name="Room A", kind=Chair.Kind.ROOM, acting_user=admin)
    staff_days(westside, bob, [MONDAY + dt.timedelta(days=n) for n in range(-14, 60)], acting_user=admin)
    return {"chairs": chairs, "room": room}


IV_PROTOCOL = dict(
    family="iv-standard", name="IV ketamine 0.5 mg/kg", route="iv-ketamine", dose_mg_per_kg=Decimal("0.50"),
    infusion_min=40, induction_infusions=6, observation_min=60, booster_min_interval_days=14,
)
ESK_PROTOCOL = dict(
    family="esk-trd", name="Esketamine TRD", route="esketamine", indication="TRD", dose_mg=56,
    maintenance_every_weeks=1, through_week=8, observation_min=120,
)
KAP_PROTOCOL = dict(
    IV_PROTOCOL, family="iv-kap", name="IV ketamine with psychotherapy", kap_preparation_sessions=1,
    kap_integration_per_dose=True, kap_session_min=60,
)


@pytest.fixture
def iv_protocol(westside, alice):
    return services.create_protocol(clinic=westside, data={**IV_PROTOCOL, "effective_from": dt.date(2025, 1, 1)}, acting_user=alice)


@pytest.fixture
def esk_protocol(westside, alice):
    return services.create_protocol(clinic=westside, data={**ESK_PROTOCOL, "effective_from": dt.date(2025, 1, 1)}, acting_user=alice)


@pytest.fixture
def kap_protocol(westside, alice):
    return services.create_protocol(clinic=westside, data={**KAP_PROTOCOL, "effective_from": dt.date(2025, 1, 1)}, acting_user=alice)


def signed_plan(patient, protocol, alice, start=MONDAY, **data):
    plan = services.create_plan(patient=patient, data={"protocol": protocol, "start_on": start, **data}, acting_user=alice)
    return services.sign_plan(plan, acting_user=alice)


@pytest.fixture
def iv_plan(patient, iv_protocol, alice, calendar):
    return signed_plan(patient, iv_protocol, alice)


def book_proposals(plan, user, proposals=None):
    proposals = proposals if proposals is not None else services.propose_series(plan)
    items = [services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in proposals if p.place]
    return services.book_series(plan, items=items, acting_user=user)
