"""Small helpers to build validated FHIR resources."""

import datetime as dt
from decimal import Decimal
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir_core.fhirabstractmodel import FHIRAbstractModel

FHIR_VERSION = "4.0.1"
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"
NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
EIN_SYSTEM = "urn:oid:2.16.840.1.113883.4.4"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

Resource = FHIRAbstractModel


def make(resource_type: str, **data: Any) -> Resource:
    """A validated resource; raises a pydantic ValidationError naming the element if the data is wrong."""
    return get_fhir_model_class(resource_type).model_validate({"resourceType": resource_type, **_clean(data)})


def ref(resource_type: str, resource_id: Any, display: str | None = None) -> dict:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def quantity(value: Decimal | int, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def coding(system: str, code: str, display: str | None = None) -> dict:
    return {k: v for k, v in {"system": system, "code": code, "display": display}.items() if v}


def _clean(value: Any) -> Any:
    """Drop empty strings, Nones and empty lists/dicts: FHIR forbids empty elements."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, (list, tuple)):
        cleaned = [_clean(v) for v in value]
        return [v for v in cleaned if v not in (None, "", [], {})]
    return value


def as_json(resource: Resource) -> str:
    return resource.model_dump_json(exclude_none=True)
