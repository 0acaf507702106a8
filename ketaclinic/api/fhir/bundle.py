"""Patient/$everything: one Bundle with the patient, everything recorded about them, and the clinic resources
their record points to, so every reference inside the Bundle resolves."""

from django.utils import timezone

from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import instant, make
from ketaclinic.patients.models import Patient


def everything(patient: Patient, *, base_url: str):
    resources = list(registry.clinic_resources([patient.clinic_id])) + list(registry.patient_resources([patient]))
    entries = [
        {"fullUrl": f"{base_url}/{r.get_resource_type()}/{r.id}", "resource": r.model_dump(exclude_none=True)}
        for r in resources
    ]
    return make("Bundle", type="searchset", timestamp=instant(timezone.now()), total=len(entries), entry=entries)
