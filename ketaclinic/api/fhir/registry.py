"""Where each area plugs its FHIR mapping in: one module per area in this package, registered from ApiConfig.ready().

- ``register_clinic_resources(fn)``: ``fn(clinic_ids) -> iterable of resources`` not tied to one patient.
- ``register_patient_resources(fn)``: ``fn(patients: list[Patient]) -> iterable of resources`` for a chunk of
  patients; fetch what you need for the whole chunk in a few queries (the bulk export streams chunks).
- ``register_reader(resource_type, prefix, fn)``: ``fn(user, local_id) -> resource`` for a single read of
  ``Type/<prefix><local_id>``; it must use the access helpers (404 for another clinic's record). ``local_id`` is
  digits (a primary key) unless the reader is registered with ``numeric=False`` (e.g. a Questionnaire's slug).
- ``register_staff_only(resource_type)``: a type patients may not read; ``$everything`` leaves it out for them.

Every reference a provider writes must point at a resource some provider also writes for the same clinics
and patients, so an export (and ``$everything``) never holds a dangling reference; ``StaffRefs`` helps with
the one case that needs care, a member of staff who may not belong to the exported clinic.
"""

from typing import Callable, Iterable

ClinicProvider = Callable[[list[int]], Iterable]
PatientProvider = Callable[[list], Iterable]
Reader = Callable[[object, str], object]

_clinic_providers: list[ClinicProvider] = []
_patient_providers: list[PatientProvider] = []
_readers: dict[str, list[tuple[str, Reader, bool]]] = {}
_staff_only: set[str] = set()


def register_clinic_resources(fn: ClinicProvider) -> None:
    if fn not in _clinic_providers:
        _clinic_providers.append(fn)


def register_patient_resources(fn: PatientProvider) -> None:
    if fn not in _patient_providers:
        _patient_providers.append(fn)


def register_reader(resource_type: str, prefix: str, fn: Reader, *, numeric: bool = True) -> None:
    readers = _readers.setdefault(resource_type, [])
    if all(p != prefix for p, _, _ in readers):
        readers.append((prefix, fn, numeric))
        readers.sort(key=lambda row: -len(row[0]))  # longest prefix first: "bp-" before ""


def register_staff_only(resource_type: str) -> None:
    """A type the area shows to staff only (its reader answers a patient 404): left out of a patient's own Bundle."""
    _staff_only.add(resource_type)


def is_staff_only(resource_type: str) -> bool:
    return resource_type in _staff_only


def clinic_resources(clinic_ids: list[int]) -> Iterable:
    for provider in _clinic_providers:
        yield from provider(clinic_ids)


def patient_resources(patients: list) -> Iterable:
    for provider in _patient_providers:
        yield from provider(patients)


def reader_for(resource_type: str, resource_id: str) -> tuple[Reader, str] | None:
    """The reader and the local id for ``Type/id``, or None when no reader takes that id."""
    for prefix, fn, numeric in _readers.get(resource_type, []):
        if resource_id.startswith(prefix):
            local_id = resource_id[len(prefix):]
            if not local_id or (numeric and not local_id.isdigit()):
                return None
            return fn, local_id
    return None


def resource_types() -> list[str]:
    return sorted(_readers)
