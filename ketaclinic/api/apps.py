from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ketaclinic.api"
    label = "api"

    def ready(self):
        # Every area's FHIR mapping lives in ketaclinic/api/fhir/<area>.py and registers here, in the order the
        # bulk export writes them (the foundation first: everything else points at its resources).
        from ketaclinic.api.fhir import billing, foundation, intake, outcomes, plans, visits

        for area in (foundation, intake, billing, outcomes, plans, visits):
            area.register()
