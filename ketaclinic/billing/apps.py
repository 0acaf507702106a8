from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "ketaclinic.billing"
    label = "billing"
    verbose_name = "Billing"

    def ready(self):
        from ketaclinic.billing import demo, hooks, sections
        from ketaclinic.core import demo as core_demo

        sections.register()
        hooks.register()
        core_demo.register(demo.seed_billing, order=60)
