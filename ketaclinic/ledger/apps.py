from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ketaclinic.ledger"
    label = "ledger"
    verbose_name = "Controlled-substance ledger"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import demo as core_demo
        from ketaclinic.core import nav
        from ketaclinic.ledger import demo, warnings

        nav.register("Ledger", "ledger:home", perm=Perm.LEDGER_VIEW, order=50)
        core_demo.register(demo.seed_ledger, order=55)
        try:  # the plans area's floor board, when installed
            from ketaclinic.plans.floor import register_floor_warning
        except ImportError:
            pass
        else:
            register_floor_warning(warnings.for_clinic)
