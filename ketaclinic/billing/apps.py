from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "ketaclinic.billing"
    label = "billing"
