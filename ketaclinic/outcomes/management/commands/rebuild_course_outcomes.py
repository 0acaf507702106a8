"""After a change to the outcome rules (clinical.course_summary / clinical.outcomes) or a bulk import."""

from django.core.management.base import BaseCommand

from ketaclinic.outcomes import services


class Command(BaseCommand):
    help = "Recompute every treatment course's outcome row from its responses."

    def handle(self, *args, **options):
        count = services.rebuild_course_outcomes()
        self.stdout.write(f"Recomputed {count} course(s).")
