import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str = Field(examples=["date_of_birth: must not be in the future."])


class ValidationErrorOut(ErrorOut):
    errors: dict[str, list[str]] = Field(default_factory=dict, examples=[{"date_of_birth": ["must not be in the future."]}])


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE_ERRORS = {**ERRORS, 400: ErrorOut, 422: ValidationErrorOut}


class ClinicOut(Schema):
    id: int
    network_id: int
    name: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    phone: str
    time_zone: str = Field(examples=["America/Los_Angeles"])
    npi: str
    tax_id: str
    dea_registration: str
    rems_certification_number: str
    rems_certified_on: dt.date | None
    mrn_prefix: str


class ClinicPatch(Schema):
    name: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    phone: str | None = None
    time_zone: str | None = None
    npi: str | None = None
    tax_id: str | None = None
    dea_registration: str | None = None
    rems_certification_number: str | None = None
    rems_certified_on: dt.date | None = None
    mrn_prefix: str | None = None


class ClinicIn(ClinicPatch):
    network_id: int | None = Field(None, description="Needed only by an admin of more than one network.")
    name: str = Field(examples=["Westside Ketamine Clinic"])
    address_line1: str = Field(examples=["1200 Wilshire Blvd"])
    city: str = Field(examples=["Los Angeles"])
    postal_code: str = Field(examples=["90025"])
    phone: str = Field(examples=["+1 310 555 0100"])


class PatientOut(Schema):
    id: int
    clinic_id: int
    mrn: str
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    date_of_birth: dt.date
    sex_at_birth: str
    gender_identity: str
    pronouns: str
    phone: str
    email: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    postal_code: str
    emergency_contact_name: str
    emergency_contact_phone: str
    emergency_contact_relationship: str
    preferred_language: str
    weight_kg: Decimal | None
    height_cm: Decimal | None
    measured_on: dt.date | None


class PatientPatch(Schema):
    mrn: str | None = None
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    preferred_name: str | None = None
    date_of_birth: dt.date | None = None
    sex_at_birth: str | None = Field(None, description="female, male, intersex or unknown")
    gender_identity: str | None = None
    pronouns: str | None = None
    phone: str | None = None
    email: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    emergency_contact_name: str | None = None
    emergency_contact_phone: str | None = None
    emergency_contact_relationship: str | None = None
    preferred_language: str | None = Field(None, description="en or es")
    weight_kg: Decimal | None = Field(None, description="20–400 kg", examples=["72.5"])
    height_cm: Decimal | None = Field(None, description="100–250 cm", examples=["170.0"])
    measured_on: dt.date | None = None


class PatientIn(PatientPatch):
    clinic_id: int
    legal_first_name: str = Field(examples=["Alex"])
    legal_last_name: str = Field(examples=["Example"])
    date_of_birth: dt.date = Field(examples=["1985-04-12"])
    sex_at_birth: str = Field(description="female, male, intersex or unknown", examples=["female"])
