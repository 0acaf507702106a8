"""Reminders 72 and 24 hours before each visit, by email and SMS, in the patient's language."""

import datetime as dt

import time_machine
from django.core import mail
from django.test import override_settings

from ketaclinic.plans import reminders, tasks
from ketaclinic.plans.models import ReminderSent
from ketaclinic.plans.tests.conftest import book_proposals, signed_plan

# The first dose is Monday 5 Jan 2026 08:00 PST = 16:00 UTC.
BOOKED_AT = dt.datetime(2025, 12, 20, 18, tzinfo=dt.UTC)
H72 = dt.datetime(2026, 1, 2, 16, 5, tzinfo=dt.UTC)
H24 = dt.datetime(2026, 1, 4, 16, 5, tzinfo=dt.UTC)


def test_the_sweep_sends_the_72_hour_reminder_once_with_iv_instructions(iv_plan, alice, recording_sms):
    with time_machine.travel(BOOKED_AT, tick=False):
        book_proposals(iv_plan, alice)
    assert mail.outbox == []  # booking weeks ahead sends nothing yet
    with time_machine.travel(H72, tick=False):
        tasks.send_due_reminders.enqueue()
        tasks.send_due_reminders.enqueue()  # a second sweep finds it sent
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["p1@example.com"]
    assert email.subject == "Reminder: your visit at Westside on Monday, January 5 at 8:00 AM"
    assert "Do not eat for 4 hours before your infusion." in email.body  # the clinic's IV rule (default)
    assert "Arrange for an adult to take you home" in email.body
    assert "Do not drive or operate machinery until the next day, after a restful sleep." in email.body
    assert [s.to for s in recording_sms.sent] == ["+1 310 555 0001"]
    assert ReminderSent.objects.filter(hours_before=72).count() == 2  # email and SMS


def test_the_24_hour_reminder_follows_and_a_late_booking_gets_only_the_latest(
    iv_plan, alice, recording_sms, django_capture_on_commit_callbacks
):
    # 46 h before the first dose: its 72-hour reminder is due at once and goes out when the booking commits
    with time_machine.travel(dt.datetime(2026, 1, 3, 18, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first, second = book_proposals(iv_plan, alice)[:2]
    assert [m.subject.startswith("Reminder") for m in mail.outbox] == [True]
    with time_machine.travel(H24, tick=False):  # dose 1's 24-hour and dose 2's (Wed 7 Jan) 72-hour reminders
        tasks.send_due_reminders.enqueue()
    sent = ReminderSent.objects.filter(channel="email").order_by("appointment_id", "hours_before")
    assert list(sent.values_list("appointment_id", "hours_before")) == [(first.pk, 24), (first.pk, 72), (second.pk, 72)]
    assert len(mail.outbox) == 3


def test_an_esketamine_reminder_in_spanish_names_the_label_fasting(patient, esk_protocol, alice, calendar, recording_sms):
    patient.preferred_language = "es"
    patient.save()
    with time_machine.travel(BOOKED_AT, tick=False):
        book_proposals(signed_plan(patient, esk_protocol, alice), alice)
    with time_machine.travel(H72, tick=False):
        tasks.send_due_reminders.enqueue()
    email = mail.outbox[0]
    assert email.subject.startswith("Recordatorio: su cita en Westside el lunes 5 de enero, a las 08:00")
    assert "No coma nada durante las 2 horas antes de su cita" in email.body  # clinical.md §3.3
    assert "No beba nada durante los 30 minutos antes de su cita." in email.body
    assert "hasta el día siguiente, después de dormir bien" in email.body  # §3.5
    assert "No beba nada durante los 30 minutos" in recording_sms.sent[0].body


def test_a_moved_or_cancelled_visit_does_not_get_the_old_reminder(iv_plan, alice, recording_sms):
    with time_machine.travel(BOOKED_AT, tick=False):
        first = book_proposals(iv_plan, alice)[0]
        old_start = first.starts_at.isoformat()
        from ketaclinic.plans import services

        services.cancel_appointment(first, reason="Flu", acting_user=alice)
    with time_machine.travel(H72, tick=False):
        assert tasks.send_reminder.enqueue(first.pk, 72, old_start).return_value == "skipped: not booked"
        assert reminders.send(first.pk, 72, "2026-01-05T17:00:00+00:00") == "skipped: not booked"
    assert mail.outbox == []


def test_reminders_are_queued_for_their_time_on_a_backend_that_can_wait(iv_plan, alice, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with time_machine.travel(BOOKED_AT, tick=False), django_capture_on_commit_callbacks(execute=True):
            book_proposals(iv_plan, alice)
        rows = DBTaskResult.objects.filter(task_path="ketaclinic.plans.tasks.send_reminder").order_by("run_after")
        assert rows.count() == 12  # six visits × (72 h, 24 h)
        assert rows.first().run_after == dt.datetime(2026, 1, 2, 16, tzinfo=dt.UTC)  # 72 h before Mon 08:00 PST
    assert mail.outbox == []
