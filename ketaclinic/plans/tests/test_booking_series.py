"""Proposing and booking a whole series (services)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, ChairSlot, NurseSlot
from ketaclinic.plans.scheduling import Availability
from ketaclinic.plans.tests.conftest import MONDAY, book_proposals

LA = "America/Los_Angeles"


def local(appointment):
    return appointment.starts_at.astimezone(appointment.clinic.tz)


def test_it_proposes_six_infusions_on_the_induction_calendar(iv_plan):
    proposals = services.propose_series(iv_plan)
    # iv_induction_dates from Monday 5 Jan, Mon–Fri, gap 2: Mon 5, Wed 7, Fri 9, Mon 12, Wed 14, Fri 16.
    assert [p.day for p in proposals] == [MONDAY + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 11)]
    first = proposals[0].place.starts_at.astimezone(iv_plan.clinic.tz)
    assert (first.hour, first.minute) == (8, 0)  # opening time, chair 1
    # 40 min infusion + 60 min observation = 100 min, held as 105 (seven 15-minute slots)
    assert proposals[0].place.ends_at - proposals[0].place.starts_at == dt.timedelta(minutes=105)
    assert all(p.problems == [] for p in proposals)


def test_it_books_the_series_in_one_go_with_slot_rows_and_audit(iv_plan, bob, alice):
    appointments = book_proposals(iv_plan, alice)
    assert len(appointments) == 6
    assert {a.status for a in appointments} == {Appointment.Status.BOOKED}
    assert {a.nurse_id for a in appointments} == {bob.pk}
    assert ChairSlot.objects.count() == 6 * 7 and NurseSlot.objects.count() == 6 * 7
    assert AuditEvent.objects.filter(object_type="appointment", action="create").count() == 6
    assert services.propose_series(iv_plan) == []  # nothing left to book


def test_it_respects_the_patients_availability(iv_plan):
    afternoons_tue_thu = Availability(weekdays=frozenset({1, 3}), earliest=dt.time(13), latest=dt.time(17))
    proposals = services.propose_series(iv_plan, availability=afternoons_tue_thu)
    days = [p.day for p in proposals]
    assert all(d.weekday() in (1, 3) for d in days)
    assert all(p.place.starts_at.astimezone(iv_plan.clinic.tz).time() >= dt.time(13) for p in proposals)
    # Tue 6, Thu 8, Tue 13, Thu 15, Tue 20, Thu 22: still two days apart at least
    assert days == [dt.date(2026, 1, d) for d in (6, 8, 13, 15, 20, 22)]


def test_a_taken_chair_sends_the_next_patient_to_another_chair_at_the_same_time(iv_plan, other_patient, alice, iv_protocol):
    from ketaclinic.plans.tests.conftest import signed_plan

    mine = book_proposals(iv_plan, alice)[0]
    theirs = services.propose_series(signed_plan(other_patient, iv_protocol, alice))[0]
    assert theirs.place.starts_at == mine.starts_at  # 08:00 Monday, in the next free chair
    assert theirs.place.chair_id != mine.chair_id


def test_nurse_ratio_limits_how_many_patients_dose_at_once(iv_plan, westside, alice, admin, iv_protocol, calendar):
    from conftest import make_patient
    from ketaclinic.plans.tests.conftest import signed_plan

    services.update_scheduling(clinic=westside, data={"nurse_ratio": 2}, acting_user=admin)
    starts = []
    for n in range(3, 6):  # three more patients; three chairs, one nurse for two at once
        plan = signed_plan(make_patient(westside, n), iv_protocol, alice)
        starts.append(book_proposals(plan, alice)[0])
    book_proposals(iv_plan, alice)
    first_day = [a for a in Appointment.objects.all() if local(a).date() == MONDAY]
    for a in first_day:
        overlapping = [b for b in first_day if b.starts_at < a.ends_at and a.starts_at < b.ends_at]
        assert len(overlapping) <= 2


def test_booking_is_all_or_nothing(iv_plan, alice):
    proposals = services.propose_series(iv_plan)
    items = [services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in proposals]
    sunday = dt.datetime(2026, 1, 11, 17, 0, tzinfo=dt.UTC)  # 09:00 Sunday in LA, closed
    items[-1] = services.BookingItem(items[-1].session_id, sunday, None)
    with pytest.raises(ValidationError) as error:
        services.book_series(iv_plan, items=items, acting_user=alice)
    assert f"session_{items[-1].session_id}" in error.value.message_dict
    assert "closed" in str(error.value)
    assert Appointment.objects.count() == 0 and ChairSlot.objects.count() == 0


def test_booking_refuses_a_series_that_breaks_the_spacing_rule(iv_plan, alice):
    proposals = services.propose_series(iv_plan)
    items = [services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in proposals]
    items[1] = services.BookingItem(items[1].session_id, items[0].starts_at + dt.timedelta(days=1), None)  # Tuesday
    with pytest.raises(ValidationError) as error:
        services.book_series(iv_plan, items=items, acting_user=alice)
    assert "consecutive-days" in str(error.value)
    assert Appointment.objects.count() == 0


def test_a_draft_plan_cannot_be_booked(patient, iv_protocol, alice, calendar):
    plan = services.create_plan(patient=patient, data={"protocol": iv_protocol, "start_on": MONDAY}, acting_user=alice)
    with pytest.raises(ValidationError, match="Sign the plan"):
        services.propose_series(plan)


def test_psychotherapy_sessions_are_paired_with_doses(patient, kap_protocol, alice, calendar):
    from ketaclinic.plans.tests.conftest import signed_plan

    plan = signed_plan(patient, kap_protocol, alice, with_psychotherapy=True)
    kinds = [(s.kind, s.planned_on) for s in plan.sessions.order_by("planned_on", "sequence")]
    # two days before Monday is Saturday, closed: the open day before, Friday 2 Jan
    assert kinds[0] == ("psychotherapy-preparation", MONDAY - dt.timedelta(days=3))
    booked = book_proposals(plan, alice)
    assert len(booked) == 1 + 6 + 6
    rooms = {a.chair.kind for a in booked if not a.is_dose}
    assert rooms == {"room"} and all(a.nurse_id is None for a in booked if not a.is_dose)
    prep = next(a for a in booked if a.kind == "psychotherapy-preparation")
    assert local(prep).date() < MONDAY  # before the first dose (Friday 2 Jan)
