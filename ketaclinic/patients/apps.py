from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "ketaclinic.patients"
    label = "patients"

    def ready(self):
        from ketaclinic.accounts.roles import Perm
        from ketaclinic.core import nav

        nav.register("Patients", "patients:list", perm=Perm.PATIENT_VIEW, order=10)
