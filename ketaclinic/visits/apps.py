from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "ketaclinic.visits"
    label = "visits"
