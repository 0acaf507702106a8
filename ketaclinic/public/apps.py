from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "ketaclinic.public"
    label = "public"
