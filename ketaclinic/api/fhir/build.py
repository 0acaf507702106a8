"""Small helpers to build validated FHIR resources."""

import datetime as dt
import json
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
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
# Our own identifiers and codes for things no public code system names (a scale answer without a LOINC
# answer code, a consent text version, a rules version): URNs, so nothing pretends to be a public system.
KETACLINIC_URN = "urn:ketaclinic"

Resource = FHIRAbstractModel
_SOURCE_JSON = "_ketaclinic_json"


def make(resource_type: str, **data: Any) -> Resource:
    """A validated resource; raises a pydantic ValidationError naming the element if the data is wrong.

    The JSON of the validated input is kept with the model: fhir.resources' own serializer walks every element
    in Python and costs about twice the validation, which the bulk export would pay for every line.
    """
    cleaned = {"resourceType": resource_type, **_clean(data)}
    resource = get_fhir_model_class(resource_type).model_validate(cleaned)
    object.__setattr__(resource, _SOURCE_JSON, json.dumps(cleaned, default=_json_default, ensure_ascii=False,
                                                          separators=(",", ":")))
    return resource


def ref(resource_type: str, resource_id: Any, display: str | None = None) -> dict:
    reference = {"reference": f"{resource_type}/{resource_id}"}
    if display:
        reference["display"] = display
    return reference


def instant(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def maybe_instant(moment: dt.datetime | None) -> str | None:
    return instant(moment) if moment is not None else None


def quantity(value: Decimal | int, unit: str, code: str) -> dict:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


def coding(system: str, code: str, display: str | None = None) -> dict:
    return {k: v for k, v in {"system": system, "code": code, "display": display}.items() if v}


def concept(system: str, code: str, display: str | None = None, text: str | None = None) -> dict:
    return {"coding": [coding(system, code, display)], "text": text}


# Observation categories, as the one-element list Observation.category takes.
VITAL_SIGNS = [concept(OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")]
SURVEY = [concept(OBSERVATION_CATEGORY, "survey", "Survey")]


def _clean(value: Any) -> Any:
    """Drop empty strings, Nones and empty lists/dicts: FHIR forbids empty elements."""
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, (list, tuple)):
        cleaned = [_clean(v) for v in value]
        return [v for v in cleaned if v not in (None, "", [], {})]
    return value


def _json_default(value: Any) -> Any:
    """Decimals as fhir.resources writes them: whole ones as integers, others as JSON numbers (70.0, 0.5)."""
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent >= 0 else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def as_json(resource: Resource) -> str:
    cached = getattr(resource, _SOURCE_JSON, None)
    return cached if cached is not None else resource.model_dump_json(exclude_none=True)


def as_dict(resource: Resource) -> dict:
    return json.loads(as_json(resource))
