"""Visit reminders, 72 and 24 hours before, by email and SMS, in the patient's language.

Two paths lead to ``send`` and it sends each reminder at most once (a unique ``ReminderSent`` row is
written in the same transaction as the message goes out; a retry finds the row and stops):
1. at booking (on commit), each future reminder is queued with ``run_after`` on a backend that can defer
   (the database backend in production);
2. ``send_due_reminders`` (a task, and `manage.py send_due_reminders` for cron) sweeps for reminders
   whose time has come, as a backstop and for backends that cannot defer.

Only the latest reminder due is sent: a visit booked 10 hours ahead gets the 24-hour one, not both.
A moved visit gets new reminders; the old ones see a different time and do nothing.
"""

import datetime as dt

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ketaclinic.plans import instructions, sms
from ketaclinic.plans.models import REMINDER_HOURS_BEFORE, Appointment, ReminderSent
from ketaclinic.plans.scheduling import scheduling_for

SWEEP_HORIZON = dt.timedelta(hours=max(REMINDER_HOURS_BEFORE))


def schedule_after_commit(appointment_ids: list[int]) -> None:
    ids = list(appointment_ids)
    transaction.on_commit(lambda: schedule(ids))


def schedule(appointment_ids: list[int], *, now: dt.datetime | None = None) -> None:
    from django_tasks import default_task_backend

    from ketaclinic.plans.tasks import send_reminder

    now = now or timezone.now()
    for appointment in Appointment.objects.filter(pk__in=appointment_ids, status=Appointment.Status.BOOKED):
        iso = appointment.starts_at.isoformat()
        due_now = applicable_hours(appointment.starts_at, now)
        if due_now is not None:
            send_reminder.enqueue(appointment.pk, due_now, iso)
        if default_task_backend.supports_defer:
            for hours in REMINDER_HOURS_BEFORE:
                run_after = appointment.starts_at - dt.timedelta(hours=hours)
                if run_after > now:
                    send_reminder.using(run_after=run_after).enqueue(appointment.pk, hours, iso)


def applicable_hours(starts_at: dt.datetime, now: dt.datetime) -> int | None:
    """The reminder due at ``now``: the smallest ``hours`` whose time has come, or None (too early or past)."""
    if now >= starts_at:
        return None
    due = [h for h in REMINDER_HOURS_BEFORE if starts_at - dt.timedelta(hours=h) <= now]
    return min(due) if due else None


def send_due(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    candidates = Appointment.objects.filter(
        status=Appointment.Status.BOOKED, starts_at__gt=now, starts_at__lte=now + SWEEP_HORIZON
    ).values_list("pk", "starts_at")
    sent = 0
    for pk, starts_at in candidates:
        hours = applicable_hours(starts_at, now)
        if hours is not None and send(pk, hours, starts_at.isoformat(), now=now) == "sent":
            sent += 1
    return sent


def send(appointment_id: int, hours_before: int, starts_at_iso: str, *, now: dt.datetime | None = None) -> str:
    """Send one reminder; the answer says what happened (for the task result and tests)."""
    now = now or timezone.now()
    appointment = (
        Appointment.objects.select_related("patient", "clinic", "chair").filter(pk=appointment_id).first()
    )
    if appointment is None or appointment.status != Appointment.Status.BOOKED:
        return "skipped: not booked"
    if appointment.starts_at.isoformat() != starts_at_iso:
        return "skipped: moved"
    if applicable_hours(appointment.starts_at, now) != hours_before:
        return "skipped: not due"
    if ReminderSent.objects.filter(appointment=appointment, starts_at=appointment.starts_at, hours_before__lte=hours_before).exists():
        return "skipped: already sent"
    return _deliver(appointment, hours_before, now)


def _deliver(appointment: Appointment, hours_before: int, now) -> str:
    patient = appointment.patient
    message = compose(appointment)
    channels = []
    try:
        with transaction.atomic():
            if patient.email:
                _claim(appointment, hours_before, ReminderSent.Channel.EMAIL, now)
                EmailMessage(message["subject"], message["body"], to=[patient.email]).send()
                channels.append("email")
            if patient.phone:
                _claim(appointment, hours_before, ReminderSent.Channel.SMS, now)
                sms.sender().send(to=patient.phone, body=message["sms"])
                channels.append("sms")
    except IntegrityError:  # another worker sent it a moment ago
        return "skipped: already sent"
    return "sent" if channels else "skipped: no email or phone"


def _claim(appointment, hours_before, channel, now) -> None:
    ReminderSent.objects.create(appointment=appointment, hours_before=hours_before, channel=channel,
                                starts_at=appointment.starts_at, sent_at=now)


def compose(appointment: Appointment) -> dict[str, str]:
    """Subject, email body and SMS text, in the patient's language."""
    lang = instructions.language(appointment.patient)
    local = appointment.starts_at.astimezone(appointment.clinic.tz)
    context = {
        "appointment": appointment, "patient": appointment.patient, "clinic": appointment.clinic,
        "when": when_text(local, lang), "steps": instructions.preparation(appointment, scheduling_for(appointment.clinic), lang),
    }
    return {
        "subject": render_to_string(f"plans/email/reminder_subject_{lang}.txt", context).strip(),
        "body": render_to_string(f"plans/email/reminder_{lang}.txt", context),
        "sms": render_to_string(f"plans/email/reminder_sms_{lang}.txt", context).strip(),
    }


DAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}
MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
}


def when_text(local: dt.datetime, lang: str) -> str:
    day, month = DAYS[lang][local.weekday()], MONTHS[lang][local.month - 1]
    if lang == "es":
        return f"{day} {local.day} de {month}, a las {local:%H:%M}"
    return f"{day}, {month} {local.day} at {local:%I:%M %p}".replace(" 0", " ")
