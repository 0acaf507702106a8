from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "ketaclinic.plans"
    label = "plans"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import demo, nav, sections
        from ketaclinic.plans import demo as plans_demo
        from ketaclinic.plans import sections as plan_sections

        nav.register("Floor", "plans:floor", perm=Perm.SCHEDULE_BOOK, order=20)
        nav.register("Protocols", "plans:protocols", perm=Perm.PROTOCOL_EDIT, order=70, more=True)
        nav.register("Clinic set-up", "plans:resources", perm=Perm.SCHEDULE_BOOK, order=80, more=True)
        sections.chart.register("plans", "plans/_chart_section.html", plan_sections.chart_context, order=30,
                                perm=Perm.CLINICAL_VIEW)
        sections.portal.register("plans", "plans/_portal_visits.html", plan_sections.portal_context, order=20)
        demo.register(plans_demo.seed_plans, order=40)
