"""Nightly (cron or a worker): make the questionnaires each open course's schedule says are due."""

from django.core.management.base import BaseCommand

from ketaclinic.outcomes import services


class Command(BaseCommand):
    help = "Assign the rating scales due now in every open treatment course, and close stale ones as missed."

    def handle(self, *args, **options):
        made = services.sync_all_open_courses()
        self.stdout.write(f"Assigned {made} questionnaire(s).")
