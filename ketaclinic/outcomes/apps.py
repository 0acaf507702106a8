from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class OutcomesConfig(AppConfig):
    name = "ketaclinic.outcomes"
    label = "outcomes"
    verbose_name = "Measurement-based care"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import demo, nav
        from ketaclinic.core import sections as registry
        from ketaclinic.outcomes import demo as outcomes_demo
        from ketaclinic.outcomes import sections

        nav.register("Safety tasks", "outcomes:safety_list", perm=Perm.SAFETY_ACKNOWLEDGE, order=55)
        nav.register("Outcomes", "outcomes:report", perm=Perm.OUTCOMES_VIEW, order=60, more=True)
        registry.chart.register("outcomes", "outcomes/_chart_section.html", sections.chart_context, order=30,
                                perm=Perm.CLINICAL_VIEW)
        registry.portal.register("outcomes-due", "outcomes/portal/_home_section.html", sections.portal_context, order=10)
        registry.banners.register("outcomes-safety", "outcomes/_safety_banner.html", sections.banner_context, order=10)
        registry.register_portal_nav(gettext_lazy("Questionnaires"), "outcomes:portal_list", order=20)
        registry.register_portal_nav(gettext_lazy("My progress"), "outcomes:portal_progress", order=21)
        demo.register(outcomes_demo.seed, order=30)
