from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "ketaclinic.intake"
    label = "intake"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import demo, nav
        from ketaclinic.core import sections as registry
        from ketaclinic.intake import demo as intake_demo
        from ketaclinic.intake import sections

        nav.register("Requests", "intake:queue", perm=Perm.INTAKE_QUEUE, order=30)
        nav.register("Candidacy", "intake:review_list", perm=Perm.CLINICAL_VIEW, order=31)
        registry.chart.register("intake", "intake/chart_section.html", sections.chart_context, order=20,
                                perm=Perm.CLINICAL_VIEW)
        registry.portal.register("intake", "intake/portal_section.html", sections.portal_context, order=20)
        registry.register_portal_nav("My intake", "intake:my_intake", order=20)
        demo.register(intake_demo.seed_intake_stages, order=20)
