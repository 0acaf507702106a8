from django.core.management.base import BaseCommand, CommandError

from ketaclinic.accounts.models import ApiToken, User
from ketaclinic.accounts.services import issue_api_token


class Command(BaseCommand):
    help = "Print a new personal API token for USERNAME (shown once; only its digest is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="A label to tell this token apart later.")
        parser.add_argument("--device", action="store_true", help="A device token: may only write readings.")

    def handle(self, username, name, device, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user called {username!r}.") from None
        kind = ApiToken.Kind.DEVICE if device else ApiToken.Kind.PERSONAL
        self.stdout.write(issue_api_token(user, kind=kind, name=name))
