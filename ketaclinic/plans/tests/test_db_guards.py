"""Double-booking a chair or a nurse's seat is refused by the database itself, whatever the code above does."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ketaclinic.plans import services
from ketaclinic.plans.models import ChairSlot, NurseSlot
from ketaclinic.plans.tests.conftest import book_proposals

SLOT = dt.datetime(2026, 1, 5, 16, 0, tzinfo=dt.UTC)


def test_a_chair_slot_cannot_be_taken_twice(iv_plan, alice):
    first = book_proposals(iv_plan, alice)[0]
    held = ChairSlot.objects.filter(appointment=first).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ChairSlot.objects.create(chair_id=held.chair_id, slot_start=held.slot_start, appointment=first)


def test_a_nurse_seat_cannot_be_taken_twice_nor_beyond_the_ratio(iv_plan, alice, bob):
    first = book_proposals(iv_plan, alice)[0]
    seat = NurseSlot.objects.filter(appointment=first).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        NurseSlot.objects.create(nurse=bob, slot_start=seat.slot_start, seat=seat.seat, ratio=seat.ratio, appointment=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        NurseSlot.objects.create(nurse=bob, slot_start=seat.slot_start, seat=seat.ratio, ratio=seat.ratio, appointment=first)


def test_a_stale_check_is_caught_by_the_database_and_nothing_is_booked(iv_plan, other_patient, iv_protocol, alice, monkeypatch):
    """What happens to the loser of a race: its in-memory check passed, the insert does not."""
    from ketaclinic.plans.services import booking
    from ketaclinic.plans.tests.conftest import signed_plan

    rival = signed_plan(other_patient, iv_protocol, alice)
    stale = services.propose_series(rival)  # chair 1 at 08:00 on each day, computed before the first booking
    first_calendar = booking._calendar_for

    book_proposals(iv_plan, alice)  # takes chair 1 at 08:00 on the same days
    # Replay the rival's booking with the calendar it saw before (as a racing transaction would).
    monkeypatch.setattr(booking, "_calendar_for", lambda plan, moments: _empty(first_calendar, plan, moments))
    items = [services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in stale]
    with pytest.raises(Exception) as error:
        services.book_series(rival, items=items, acting_user=alice)
    assert "Someone else booked" in str(error.value)
    assert rival.appointments.count() == 0


def _empty(real, plan, moments):
    calendar = real(plan, moments)
    calendar.chair_taken.clear()
    calendar.seats_taken.clear()
    calendar.patient_busy.clear()
    return calendar
