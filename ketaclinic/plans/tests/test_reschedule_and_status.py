"""Moving one visit keeps the series valid or names the rule; phases move only along the allowed path."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, ChairSlot, NurseSlot
from ketaclinic.plans.tests.conftest import MONDAY, book_proposals, signed_plan

BEFORE = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


def local_at(clinic, day, hour, minute=0):
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=clinic.tz).astimezone(dt.UTC)


@time_machine.travel(BEFORE, tick=False)
def test_moving_a_dose_later_the_same_day_works_and_moves_its_slots(iv_plan, alice):
    second = book_proposals(iv_plan, alice)[1]  # Wed 7 Jan 08:00
    new_start = local_at(second.clinic, dt.date(2026, 1, 7), 13)
    moved = services.reschedule_appointment(second, starts_at=new_start, acting_user=alice)
    assert moved.starts_at == new_start and moved.ends_at == new_start + dt.timedelta(minutes=105)
    assert sorted(ChairSlot.objects.filter(appointment=moved).values_list("slot_start", flat=True))[0] == new_start
    assert NurseSlot.objects.filter(appointment=moved).count() == 7
    assert AuditEvent.objects.filter(object_type="appointment", summary="Moved a visit").exists()


@time_machine.travel(BEFORE, tick=False)
def test_moving_a_dose_next_to_another_names_the_broken_rule(iv_plan, alice):
    second = book_proposals(iv_plan, alice)[1]  # Wed 7 Jan; dose 1 is Mon 5 Jan
    with pytest.raises(ValidationError) as error:
        services.reschedule_appointment(second, starts_at=local_at(second.clinic, dt.date(2026, 1, 6), 9), acting_user=alice)
    assert "never dose on consecutive days (rule: consecutive-days)" in str(error.value)
    second.refresh_from_db()
    assert second.starts_at.astimezone(second.clinic.tz).date() == dt.date(2026, 1, 7)


@time_machine.travel(BEFORE, tick=False)
def test_moving_an_esketamine_dose_out_of_its_label_week_is_refused(patient, esk_protocol, alice, calendar):
    plan = signed_plan(patient, esk_protocol, alice)  # Monday start: Mon/Thu doses in weeks 1–4
    booked = book_proposals(plan, alice)
    thursday = booked[1]
    with pytest.raises(ValidationError, match="label-week"):
        services.reschedule_appointment(thursday, starts_at=local_at(plan.clinic, dt.date(2026, 1, 13), 9), acting_user=alice)


@time_machine.travel(BEFORE, tick=False)
def test_moving_into_a_taken_chair_or_a_closed_day_says_why(iv_plan, other_patient, iv_protocol, alice, calendar):
    mine = book_proposals(iv_plan, alice)[0]
    theirs = book_proposals(signed_plan(other_patient, iv_protocol, alice), alice)[0]
    with pytest.raises(ValidationError, match="the chair is taken then"):
        services.reschedule_appointment(theirs, starts_at=mine.starts_at, chair_id=mine.chair_id, acting_user=alice)
    with pytest.raises(ValidationError, match="closed"):
        services.reschedule_appointment(theirs, starts_at=local_at(iv_plan.clinic, dt.date(2026, 1, 4), 9), acting_user=alice)


def test_a_visit_moves_through_its_phases_and_is_audited(iv_plan, alice, bob):
    appointment = book_proposals(iv_plan, alice)[0]
    for status in ("checked_in", "dosing", "observation", "ready_for_discharge", "discharged"):
        appointment = services.set_appointment_status(appointment, status, acting_user=bob)
    assert appointment.status == Appointment.Status.DISCHARGED
    assert AuditEvent.objects.filter(object_type="appointment", action="update").count() == 5


def test_a_phase_cannot_be_skipped_and_the_error_says_what_may_follow(iv_plan, alice, bob):
    appointment = book_proposals(iv_plan, alice)[0]
    with pytest.raises(ValidationError) as error:
        services.set_appointment_status(appointment, "observation", acting_user=bob)
    assert error.value.message_dict["status"] == [
        "A booked appointment cannot become observation; next may be: checked in, cancelled, no-show."
    ]
    with pytest.raises(ValidationError, match="not a phase"):
        services.set_appointment_status(appointment, "asleep", acting_user=bob)


def test_cancelling_frees_the_chair_and_the_nurse_seat(iv_plan, alice):
    appointment = book_proposals(iv_plan, alice)[0]
    with pytest.raises(ValidationError, match="reason"):
        services.cancel_appointment(appointment, reason=" ", acting_user=alice)
    services.cancel_appointment(appointment, reason="Patient has a cold", acting_user=alice)
    assert not ChairSlot.objects.filter(appointment=appointment).exists()
    assert not NurseSlot.objects.filter(appointment=appointment).exists()
    proposal = services.propose_series(iv_plan)  # the cancelled session is open to book again
    assert [p.session.pk for p in proposal] == [appointment.planned_session_id]


def test_a_consultation_is_checked_in_then_finished(patient, westside, alice, calendar):
    starts = local_at(westside, MONDAY, 10)
    visit = services.book_visit(patient=patient, route="iv-ketamine", kind="consultation", starts_at=starts, minutes=45,
                                acting_user=alice)
    assert visit.chair.kind == "room" and visit.nurse_id is None and visit.ends_at - visit.starts_at == dt.timedelta(minutes=45)
    assert services.allowed_next(visit) == ["checked_in", "cancelled", "no_show"]
    visit = services.set_appointment_status(visit, "checked_in", acting_user=alice)
    assert services.allowed_next(visit) == ["discharged", "cancelled"]
    with pytest.raises(ValidationError, match="Doses are booked from a signed treatment plan"):
        services.book_visit(patient=patient, route="iv-ketamine", kind="dosing", starts_at=starts, minutes=45, acting_user=alice)
