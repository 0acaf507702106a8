"""FHIR mapping of the foundation: clinics, staff, patients and their body measurements (US Core where it applies)."""

from ketaclinic.accounts import access
from ketaclinic.accounts.models import Clinic, Membership, User
from ketaclinic.accounts.roles import Role
from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import (
    EIN_SYSTEM, LOINC, NPI_SYSTEM, US_CORE, VITAL_SIGNS, coding, make, quantity, ref,
)
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.patients.models import Patient

_BIRTH_SEX = {"female": "F", "male": "M"}  # us-core-birthsex; anything else is UNK
_GENDER = {"female": "female", "male": "male", "intersex": "other", "unknown": "unknown"}
_MR = coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number")
# LOINC body measurements (issue 9; codes verified with their check digit in ketaclinic.clinical.instruments.loinc).
BODY_WEIGHT_LOINC = "29463-7"
BODY_HEIGHT_LOINC = "8302-2"


def _address(obj) -> dict:
    return {"line": [obj.address_line1, obj.address_line2], "city": obj.city, "state": obj.state,
            "postalCode": obj.postal_code, "country": "US"}


def organization(clinic: Clinic):
    identifiers = []
    if clinic.npi:
        identifiers.append({"system": NPI_SYSTEM, "value": clinic.npi})
    if clinic.tax_id:
        identifiers.append({"system": EIN_SYSTEM, "value": clinic.tax_id})
    return make("Organization", id=str(clinic.pk), meta={"profile": [f"{US_CORE}/us-core-organization"]},
                identifier=identifiers, active=True, name=clinic.name,
                telecom=[{"system": "phone", "value": clinic.phone}], address=[_address(clinic)])


def location(clinic: Clinic):
    return make("Location", id=str(clinic.pk), status="active", name=clinic.name,
                telecom=[{"system": "phone", "value": clinic.phone}], address=_address(clinic),
                managingOrganization=ref("Organization", clinic.pk))


def practitioner(user: User):
    name = {"text": str(user), "family": user.last_name, "given": [user.first_name] if user.first_name else []}
    return make("Practitioner", id=str(user.pk), active=user.is_active, name=[name],
                identifier=[{"system": NPI_SYSTEM, "value": user.npi}] if user.npi else [],
                qualification=[{"code": {"text": user.credentials}}] if user.credentials else [])


def practitioner_role(membership: Membership):
    return make("PractitionerRole", id=str(membership.pk), active=True,
                practitioner=ref("Practitioner", membership.user_id), organization=ref("Organization", membership.clinic_id),
                location=[ref("Location", membership.clinic_id)], code=[{"text": Role(membership.role).label}])


def patient(p: Patient):
    names = [{"use": "official", "family": p.legal_last_name, "given": [p.legal_first_name]}]
    if p.preferred_name:
        names.append({"use": "usual", "family": p.legal_last_name, "given": [p.preferred_name]})
    extensions = [{"url": f"{US_CORE}/us-core-birthsex", "valueCode": _BIRTH_SEX.get(p.sex_at_birth, "UNK")}]
    if p.gender_identity:
        extensions.append({"url": f"{US_CORE}/us-core-genderIdentity", "valueCodeableConcept": {"text": p.gender_identity}})
    contact = []
    if p.emergency_contact_name:
        contact.append({"relationship": [{"text": p.emergency_contact_relationship or "emergency contact"}],
                        "name": {"text": p.emergency_contact_name},
                        "telecom": [{"system": "phone", "value": p.emergency_contact_phone}]})
    return make(
        "Patient", id=str(p.pk), meta={"profile": [f"{US_CORE}/us-core-patient"]}, extension=extensions,
        identifier=[{"use": "usual", "type": {"coding": [_MR]}, "system": f"urn:ketaclinic:clinic:{p.clinic_id}:mrn", "value": p.mrn}],
        active=True, name=names, gender=_GENDER[p.sex_at_birth], birthDate=p.date_of_birth.isoformat(),
        telecom=[{"system": "phone", "value": p.phone, "use": "mobile"}, {"system": "email", "value": p.email}],
        address=[_address(p)] if p.address_line1 else [], contact=contact,
        communication=[{"language": {"coding": [coding("urn:ietf:bcp:47", p.preferred_language)]}, "preferred": True}],
        managingOrganization=ref("Organization", p.clinic_id),
    )


def _body_observation(p: Patient, kind: str):
    code, value, unit, label = {
        "weight": (BODY_WEIGHT_LOINC, p.weight_kg, "kg", "Body weight"),
        "height": (BODY_HEIGHT_LOINC, p.height_cm, "cm", "Body height"),
    }[kind]
    return make("Observation", id=f"{kind}-{p.pk}", status="final", category=VITAL_SIGNS,
                code={"coding": [coding(LOINC, code, label)], "text": label}, subject=ref("Patient", p.pk),
                effectiveDateTime=p.measured_on.isoformat(), valueQuantity=quantity(value, unit, unit))


def body_observations(p: Patient):
    if p.measured_on is None:
        return
    if p.weight_kg is not None:
        yield _body_observation(p, "weight")
    if p.height_cm is not None:
        yield _body_observation(p, "height")


class StaffRefs:
    """References to staff for one chunk of patients. The export writes a Practitioner for every member of the
    exported clinics (``clinic_resources``), so a member of the record's clinic is referenced; anyone else (a user
    who has left the clinic, a portal account) is named by display only, so no reference ever dangles."""

    def __init__(self, clinic_ids):
        self._members = set(
            Membership.objects.filter(clinic_id__in=set(clinic_ids)).values_list("user_id", "clinic_id").distinct()
        )

    @classmethod
    def for_patients(cls, patients) -> "StaffRefs":
        return cls({p.clinic_id for p in patients})

    def ref(self, user: User | None, clinic_id: int, display: str | None = None) -> dict | None:
        if user is None:
            return None
        label = display or str(user)
        if (user.pk, clinic_id) in self._members:
            return ref("Practitioner", user.pk, label)
        return {"display": label}


def clinic_resources(clinic_ids: list[int]):
    clinics = list(Clinic.objects.filter(pk__in=clinic_ids).order_by("pk"))
    yield from (organization(c) for c in clinics)
    yield from (location(c) for c in clinics)
    memberships = list(Membership.objects.filter(clinic_id__in=clinic_ids).select_related("user").order_by("pk"))
    seen: set[int] = set()
    for m in memberships:
        if m.user_id not in seen:
            seen.add(m.user_id)
            yield practitioner(m.user)
    yield from (practitioner_role(m) for m in memberships)


def patient_resources(patients: list[Patient]):
    for p in patients:
        yield patient(p)
        yield from body_observations(p)


def _read_patient(user, local_id):
    return patient(get_patient_for_user(user, local_id))


def _read_body(kind):
    def read(user, local_id):
        found = list(body_observations(get_patient_for_user(user, local_id)))
        match = [r for r in found if r.id == f"{kind}-{local_id}"]
        if not match:
            from django.http import Http404

            raise Http404("No such observation.")
        return match[0]

    return read


def _read_clinic(builder):
    return lambda user, local_id: builder(access.get_clinic_for_user(user, local_id))


def _read_practitioner(user, local_id):
    from django.http import Http404

    member = Membership.objects.filter(user_id=local_id, clinic_id__in=access.clinic_ids(user)).select_related("user").first()
    if member is None:
        raise Http404("No such practitioner.")
    return practitioner(member.user)


def _read_role(user, local_id):
    from django.http import Http404

    member = Membership.objects.filter(pk=local_id, clinic_id__in=access.clinic_ids(user)).first()
    if member is None:
        raise Http404("No such practitioner role.")
    return practitioner_role(member)


def register() -> None:
    registry.register_clinic_resources(clinic_resources)
    registry.register_patient_resources(patient_resources)
    registry.register_reader("Patient", "", _read_patient)
    registry.register_reader("Observation", "weight-", _read_body("weight"))
    registry.register_reader("Observation", "height-", _read_body("height"))
    registry.register_reader("Organization", "", _read_clinic(organization))
    registry.register_reader("Location", "", _read_clinic(location))
    registry.register_reader("Practitioner", "", _read_practitioner)
    registry.register_reader("PractitionerRole", "", _read_role)
