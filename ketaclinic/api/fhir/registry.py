"""Where each area plugs its FHIR mapping in (from its AppConfig.ready(), or this package's foundation module).

- ``register_clinic_resources(fn)``: ``fn(clinic_ids) -> iterable of resources`` not tied to one patient.
- ``register_patient_resources(fn)``: ``fn(patients: list[Patient]) -> iterable of resources`` for a chunk of
  patients; fetch what you need for the whole chunk in a few queries (the bulk export streams chunks).
- ``register_reader(resource_type, prefix, fn)``: ``fn(user, local_id) -> resource`` for a single read of
  ``Type/<prefix><local_id>``; it must use the access helpers (404 for another clinic's record).
"""

from typing import Callable, Iterable

ClinicProvider = Callable[[list[int]], Iterable]
PatientProvider = Callable[[list], Iterable]
Reader = Callable[[object, str], object]

_clinic_providers: list[ClinicProvider] = []
_patient_providers: list[PatientProvider] = []
_readers: dict[str, list[tuple[str, Reader]]] = {}


def register_clinic_resources(fn: ClinicProvider) -> None:
    if fn not in _clinic_providers:
        _clinic_providers.append(fn)


def register_patient_resources(fn: PatientProvider) -> None:
    if fn not in _patient_providers:
        _patient_providers.append(fn)


def register_reader(resource_type: str, prefix: str, fn: Reader) -> None:
    readers = _readers.setdefault(resource_type, [])
    if all(p != prefix for p, _ in readers):
        readers.append((prefix, fn))
        readers.sort(key=lambda row: -len(row[0]))  # longest prefix first: "bp-" before ""


def clinic_resources(clinic_ids: list[int]) -> Iterable:
    for provider in _clinic_providers:
        yield from provider(clinic_ids)


def patient_resources(patients: list) -> Iterable:
    for provider in _patient_providers:
        yield from provider(patients)


def reader_for(resource_type: str, resource_id: str) -> tuple[Reader, str] | None:
    for prefix, fn in _readers.get(resource_type, []):
        if resource_id.startswith(prefix):
            return fn, resource_id[len(prefix):]
    return None


def resource_types() -> list[str]:
    return sorted(_readers)
