"""Background work for the plans area, run by `manage.py db_worker` (django-tasks, database backend)."""

from django_tasks import task

from ketaclinic.plans import reminders


@task()
def send_reminder(appointment_id: int, hours_before: int, starts_at_iso: str) -> str:
    """Send one visit's 72- or 24-hour reminder (email, and SMS when there is a phone); at most once."""
    return reminders.send(appointment_id, hours_before, starts_at_iso)


@task()
def send_due_reminders() -> int:
    """The sweep: every reminder whose time has come and that was not sent yet. Run it every few minutes
    (`manage.py send_due_reminders` from cron) as a backstop to the reminders queued at booking."""
    return reminders.send_due()
