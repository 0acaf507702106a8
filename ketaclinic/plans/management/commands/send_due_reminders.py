from django.core.management.base import BaseCommand

from ketaclinic.plans.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Queue the reminder sweep (visits 72 and 24 hours ahead); run it from cron every few minutes."

    def handle(self, **options):
        result = send_due_reminders.enqueue()
        self.stdout.write(f"Queued the reminder sweep ({result.id}).")
