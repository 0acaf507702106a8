from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ketaclinic.api"
    label = "api"

    def ready(self):
        from ketaclinic.api.fhir import foundation

        foundation.register()
