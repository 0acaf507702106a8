"""Two front-desk clerks book two patients into the last free chair at the same moment: exactly one wins.

On PostgreSQL the two bookings run in two threads, each on its own connection, held at a barrier until
both have read the calendar (so both believe the chair is free) and then released to insert together:
the unique (chair, slot) index makes the second insert wait for the first commit and then fail.
SQLite allows one writer at a time (transactions start IMMEDIATE), so two bookings can never overlap
there; the test replays the loser with the calendar it read before the winner committed, which is exactly
the state a racing transaction would be in. The assertions are the same on both databases.
"""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import make_patient
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, ChairSlot, NurseSlot
from ketaclinic.plans.services import booking
from ketaclinic.plans.tests.conftest import IV_PROTOCOL, MONDAY, open_clinic, staff_days

@pytest.fixture
def two_plans(transactional_db, westside, alice, bob, admin, gate_open):
    open_clinic(westside, admin)
    services.add_chair(clinic=westside, name="The only chair", acting_user=admin)
    staff_days(westside, bob, [MONDAY], acting_user=admin)
    protocol = services.create_protocol(clinic=westside, data={**IV_PROTOCOL, "induction_infusions": 1,
                                                              "effective_from": dt.date(2025, 1, 1)}, acting_user=alice)
    plans = []
    for n in (1, 2):
        plan = services.create_plan(patient=make_patient(westside, n), data={"protocol": protocol, "start_on": MONDAY}, acting_user=alice)
        plans.append(services.sign_plan(plan, acting_user=alice))
    return plans


def _items(plan):
    (proposal,) = services.propose_series(plan)
    return [services.BookingItem(proposal.session.pk, proposal.place.starts_at, proposal.place.chair_id)]


def _attempt(plan, items, user, results):
    try:
        services.book_series(plan, items=items, acting_user=user)
        results.append("booked")
    except ValidationError as error:
        results.append(" ".join(error.messages))
    finally:
        if threading.current_thread() is not threading.main_thread():
            connection.close()


def _race_on_postgresql(plans, items, user, monkeypatch):
    barrier = threading.Barrier(2, timeout=30)
    read_calendar = booking._calendar_for

    def read_then_wait(plan, moments):
        calendar = read_calendar(plan, moments)
        barrier.wait()  # both transactions have now seen the chair as free
        return calendar

    monkeypatch.setattr(booking, "_calendar_for", read_then_wait)
    results: list[str] = []
    threads = [threading.Thread(target=_attempt, args=(plan, its, user, results)) for plan, its in zip(plans, items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _race_on_sqlite(plans, items, user, monkeypatch):
    read_calendar = booking._calendar_for
    seen_by_loser = read_calendar(plans[1], [items[1][0].starts_at])  # read before the winner commits
    results: list[str] = []
    _attempt(plans[0], items[0], user, results)
    monkeypatch.setattr(booking, "_calendar_for", lambda plan, moments: seen_by_loser)
    _attempt(plans[1], items[1], user, results)
    return results


def test_two_bookings_racing_for_one_chair_exactly_one_wins(transactional_db, two_plans, alice, monkeypatch):
    items = [_items(plan) for plan in two_plans]
    assert items[0][0].starts_at == items[1][0].starts_at and items[0][0].chair_id == items[1][0].chair_id
    race = _race_on_postgresql if connection.vendor == "postgresql" else _race_on_sqlite
    results = race(two_plans, items, alice, monkeypatch)
    assert sorted(results, key=len) == ["booked", results[0] if results[0] != "booked" else results[1]]
    assert results.count("booked") == 1
    loser = next(r for r in results if r != "booked")
    assert "Someone else booked" in loser and "Nothing was booked" in loser
    assert Appointment.objects.count() == 1
    winner = Appointment.objects.get()
    assert ChairSlot.objects.filter(appointment=winner).count() == ChairSlot.objects.count() == 7
    assert NurseSlot.objects.count() == 7
