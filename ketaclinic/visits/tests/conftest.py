"""Fixtures for the session day: a second nurse (dana), visits at each step, and a fake of intake's consent check.

Times are explicit: ``T0`` is 10:00 in Los Angeles on a fixed day, and tests travel with time_machine.
"""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
import time_machine

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.visits import integrations
from ketaclinic.visits.models import RemsEnrollment
from ketaclinic.visits.services import checkin, dosing, vitals

LA = zoneinfo.ZoneInfo("America/Los_Angeles")
T0 = dt.datetime(2026, 11, 18, 10, 0, tzinfo=LA)
NORMAL = dict(systolic_mmhg=124, diastolic_mmhg=78, heart_rate_bpm=72, spo2_pct=98, respiratory_rate_per_min=14, moaa_s=5)


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


@pytest.fixture
def clock():
    """Now is T0 and moves only when the test says (traveller.shift / move_to)."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def dana(westside):
    return make_staff("dana", westside, Role.NURSE_RN)


@pytest.fixture
def consented(monkeypatch):
    """Intake says the patient's consent and candidacy decision are current for both routes."""
    monkeypatch.setattr(integrations, "approved_routes", lambda patient: {"iv-ketamine", "esketamine"})


@pytest.fixture
def certified(westside):
    westside.rems_certification_number, westside.rems_certified_on = "SPR-TEST-1", dt.date(2025, 1, 1)
    westside.save()
    return westside


@pytest.fixture
def enrolled(patient, alice, certified):
    return RemsEnrollment.objects.create(patient=patient, enrolled_on=dt.date(2026, 10, 1), prescriber=alice, recorded_by=alice)


IV_ORDER = {"dose_mg_per_kg": Decimal("0.5"), "infusion_duration_min": 40, "weight_basis": "actual"}


def check_in(patient, nurse, physician, route="iv-ketamine", order=None):
    visit = checkin.check_in(patient, route=route, acting_user=nurse, chair="Chair 1")
    data = order or (IV_ORDER if route == "iv-ketamine" else {"esketamine_dose_mg": 56})
    checkin.enter_order(visit, data=data, acting_user=physician)
    return visit


def do_checklist(visit, nurse, *, skip=()):
    items = {
        "identity": {"confirmed": True}, "fasting": {"confirmed": True}, "consent_plan": {"confirmed": True},
        "ride": {"ride_name": "Robin Ride", "ride_phone": "+1 310 555 0142"},
        "pregnancy": {"pregnancy_status": "negative_test"},
        "medications": {k: False for k in checkin.MEDICATION_KEYS},
        "pre_session_scale": {"note": "PHQ-9 on paper"},
    }
    for item, data in items.items():
        if item not in skip:
            checkin.record_check(visit, item, data=data, acting_user=nurse)


def reading(visit, user, at=None, key=None, **values):
    measured = at or dt.datetime.now(tz=LA)
    return vitals.record_reading(visit, values={**NORMAL, **values}, idempotency_key=key or f"k-{measured.isoformat()}-{values}",
                                 measured_at=measured, acting_user=user)


def ready_iv(patient, nurse, second, physician):
    """Checked in, checklist done, pre-dose vitals normal, dose calculated and checked: ready to start."""
    visit = check_in(patient, nurse, physician)
    do_checklist(visit, nurse)
    reading(visit, nurse)
    dose = dosing.prepare_iv_dose(visit, concentration_mg_per_ml=Decimal("10"), diluent_ml=Decimal("96.5"),
                                  lot_number="LOT-1", acting_user=nurse)
    dosing.confirm_second_check(dose, checker=second, dose_mg=dose.dose_mg, rate_ml_per_h=dose.rate_ml_per_h)
    return visit, dose
