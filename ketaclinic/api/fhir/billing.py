"""FHIR mapping of the ICD-10-CM diagnoses coded for the patient (billing keeps them, CMS-1500 box 21).

``Condition/dx<n>-<patient id>``: the n-th diagnosis in claim order (n from 1), confirmed, on the problem list.
Codes and labels: ``ketaclinic.billing.codes`` (clinical.md §7.3).
"""

from django.http import Http404

from ketaclinic.accounts.roles import Perm
from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import concept, instant, make, ref
from ketaclinic.api.fhir.foundation import StaffRefs
from ketaclinic.api.fhir.intake import CONDITION_CLINICAL, CONDITION_VERIFICATION
from ketaclinic.billing import access, codes
from ketaclinic.billing.models import PatientBillingInfo

ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"


def diagnosis_id(position: int, patient_id: int) -> str:
    return f"dx{position}-{patient_id}"


def diagnoses(info: PatientBillingInfo, clinic_id: int, staff: StaffRefs):
    for position, code in enumerate(info.diagnosis_codes or [], start=1):
        if not codes.ICD10_PATTERN.match(code):  # the service cleans every code; an old row may not be
            continue
        label = codes.icd10_label(code)
        yield make(
            "Condition", id=diagnosis_id(position, info.patient_id),
            clinicalStatus=concept(CONDITION_CLINICAL, "active", "Active"),
            verificationStatus=concept(CONDITION_VERIFICATION, "confirmed", "Confirmed"),
            category=[concept(CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
            code={"coding": [{"system": ICD10_CM, "code": code, "display": label or None}], "text": label or code},
            subject=ref("Patient", info.patient_id), recordedDate=instant(info.updated_at),
            recorder=staff.ref(info.updated_by, clinic_id),
        )


def patient_resources(patients):
    clinic_of = {p.pk: p.clinic_id for p in patients}
    staff = StaffRefs.for_patients(patients)
    rows = PatientBillingInfo.objects.filter(patient_id__in=list(clinic_of)).select_related("updated_by").order_by("patient_id")
    for info in rows:
        yield from diagnoses(info, clinic_of[info.patient_id], staff)


def _read_diagnosis(position: int):
    def read(user, local_id):
        # A clinician reads the diagnoses (billing's helper lets clinical.view through); a patient their own.
        perm = Perm.BILLING_VIEW if user.is_patient else Perm.CLINICAL_VIEW
        patient = access.get_patient(user, local_id, perm)
        info = PatientBillingInfo.objects.select_related("updated_by").filter(patient=patient).first()
        found = list(diagnoses(info, patient.clinic_id, StaffRefs([patient.clinic_id]))) if info else []
        match = [c for c in found if c.id == diagnosis_id(position, patient.pk)]
        if not match:
            raise Http404("No such condition.")
        return match[0]

    return read


def register() -> None:
    registry.register_patient_resources(patient_resources)
    for position in range(1, codes.MAX_DIAGNOSES_PER_CLAIM + 1):
        registry.register_reader("Condition", f"dx{position}-", _read_diagnosis(position))
