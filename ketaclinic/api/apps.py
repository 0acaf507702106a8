from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ketaclinic.api"
    label = "api"
