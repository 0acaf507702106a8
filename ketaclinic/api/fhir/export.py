"""Bulk export in the FHIR Bulk Data format: one NDJSON file per resource type, streamed patient chunk by
patient chunk so memory stays flat however many patients there are."""

import json
from pathlib import Path
from typing import Callable, TextIO

from django.utils import timezone

from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import as_json, instant
from ketaclinic.patients.models import Patient

CHUNK_PATIENTS = 200


class NdjsonWriter:
    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.files: dict[str, TextIO] = {}
        self.counts: dict[str, int] = {}

    def write(self, resource) -> None:
        kind = resource.get_resource_type()
        if kind not in self.files:
            self.files[kind] = open(self.out_dir / f"{kind}.ndjson", "w", encoding="utf-8")
            self.counts[kind] = 0
        self.files[kind].write(as_json(resource) + "\n")
        self.counts[kind] += 1

    def close(self) -> None:
        for handle in self.files.values():
            handle.close()


def _patient_chunks(clinic_ids: list[int]):
    last_pk = 0
    while True:
        chunk = list(Patient.objects.filter(clinic_id__in=clinic_ids, pk__gt=last_pk).order_by("pk")[:CHUNK_PATIENTS])
        if not chunk:
            return
        yield chunk
        last_pk = chunk[-1].pk


def export(out_dir: Path, clinic_ids: list[int], *, progress: Callable[[int, int, int], None] | None = None) -> dict:
    """Write the export; returns the Bulk Data manifest (also written as manifest.json)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    started = timezone.now()
    total_patients = Patient.objects.filter(clinic_id__in=clinic_ids).count()
    writer = NdjsonWriter(out_dir)
    done = 0
    try:
        for resource in registry.clinic_resources(clinic_ids):
            writer.write(resource)
        for chunk in _patient_chunks(clinic_ids):
            for resource in registry.patient_resources(chunk):
                writer.write(resource)
            done += len(chunk)
            if progress:
                progress(done, total_patients, sum(writer.counts.values()))
    finally:
        writer.close()
    manifest = {
        "transactionTime": instant(started), "request": "export_fhir", "requiresAccessToken": False,
        "output": [{"type": kind, "url": f"{kind}.ndjson", "count": n} for kind, n in sorted(writer.counts.items())],
        "error": [],
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest
