from django.core.management.base import BaseCommand

from ketaclinic.core import demo


class Command(BaseCommand):
    help = "Load the demo network of clinics (idempotent: a second run changes nothing) and print the logins."

    def handle(self, **options):
        context = demo.seed()
        clinics = context["clinics"]
        self.stdout.write(self.style.SUCCESS(f"Demo network ready: {', '.join(c.name for c in clinics.values())}."))
        self.stdout.write(f"\nDemo logins (password for all: {demo.DEMO_PASSWORD})")
        self.stdout.write(f"  {'user name':<18} {'role':<28} clinics")
        for username, role, clinic_keys in demo.logins():
            self.stdout.write(f"  {username:<18} {role:<28} {clinic_keys}")
        self.stdout.write("\nStaff sign in at /accounts/sign-in/ ; patients at /portal/sign-in/ (WS = Westside, PA = Pasadena)")
