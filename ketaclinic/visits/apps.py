from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "ketaclinic.visits"
    label = "visits"
    verbose_name = "Session day"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import demo, nav
        from ketaclinic.core import sections as shared
        from ketaclinic.visits import sections
        from ketaclinic.visits.demo import seed_session_day

        nav.register("Today", "visits:board", perm=Perm.CLINICAL_VIEW, order=15)
        nav.register("REMS forms", "visits:pmf_queue", perm=Perm.CLINICAL_VIEW, order=55, more=True)
        nav.register("Adverse events", "visits:adverse_events", perm=Perm.CLINICAL_VIEW, order=56, more=True)
        shared.chart.register("visits", "visits/_chart_section.html", sections.chart_section, order=30, perm=Perm.CLINICAL_VIEW)
        shared.portal.register("visits", "visits/_portal_section.html", sections.portal_section, order=40)
        shared.banners.register("visits-alerts", "visits/_alert_banner.html", sections.alert_banner, order=10)
        shared.banners.register("visits-serious-ae", "visits/_serious_ae_banner.html", sections.serious_event_banner, order=20)
        demo.register(seed_session_day, order=50)
        self._register_with_neighbours(sections)

    @staticmethod
    def _register_with_neighbours(sections):
        """plans' floor board and outcomes' dosing dates, when those areas are installed."""
        try:
            from ketaclinic.plans.floor import register_floor_annotation
        except ImportError:
            pass
        else:
            from ketaclinic.visits.queries import floor_annotations

            register_floor_annotation(floor_annotations)
        try:
            from ketaclinic.outcomes.dosing import register_dosing_dates_provider
        except ImportError:
            pass
        else:
            register_dosing_dates_provider(sections.dosing_dates)
