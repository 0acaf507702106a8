from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ketaclinic.accounts"
    label = "accounts"
    verbose_name = "Accounts, clinics and audit"

    def ready(self):
        from ketaclinic.accounts import checks, signals  # noqa: F401  (registers checks and receivers)
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import nav

        nav.register("Audit log", "accounts:audit_log", perm=Perm.AUDIT_VIEW, order=90, more=True)
