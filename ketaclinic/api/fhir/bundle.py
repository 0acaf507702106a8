"""Patient/$everything: one Bundle with the patient, everything recorded about them, and the clinic resources
their record points to, so every reference inside the Bundle resolves."""

from django.utils import timezone

from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import as_dict, instant, make
from ketaclinic.patients.models import Patient


def everything(patient: Patient, *, base_url: str, for_patient: bool = False):
    """``for_patient``: the patient asks for their own record, so types the areas keep for staff are left out."""
    resources = list(registry.clinic_resources([patient.clinic_id])) + list(registry.patient_resources([patient]))
    if for_patient:
        resources = [r for r in resources if not registry.is_staff_only(r.get_resource_type())]
    entries = [
        {"fullUrl": f"{base_url}/{r.get_resource_type()}/{r.id}", "resource": as_dict(r)}
        for r in resources
    ]
    return make("Bundle", type="searchset", timestamp=instant(timezone.now()), total=len(entries), entry=entries)
