"""Bench: the FHIR bulk export of 10,000 synthetic patients with their visits.

    .venv/bin/python bench/fhir_export.py                    # a temporary SQLite database, removed afterwards
    DATABASE_URL=postgres://ketaclinic:ketaclinic@127.0.0.1:5432/kc_bench_fhir .venv/bin/python bench/fhir_export.py

Seeds with bulk_create two clinics of one network, a small one with 1,000 patients and a large one with 9,000 (in
a database named by DATABASE_URL, once: a second run finds them; give it a database of its own, since "everything"
exports every clinic in it). Every patient has three discharged IV visits, each with four vital-sign readings (pre-dose, two during
the infusion with MOAA/S, one in recovery; one reading in twenty raised a caution), one completed dose with its lot
number, and about one adverse event per hundred visits. Then it runs ``manage.py export_fhir`` twice in a child
process, as a clinic would: the small clinic alone, then everything, and prints for each the resources written,
resources per second and the child's peak memory (its own ru_maxrss), so a flat peak shows the export streams.
"""

import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_TEMP_DIR = None
if "DATABASE_URL" not in os.environ:
    _TEMP_DIR = Path(tempfile.mkdtemp(prefix="kc_bench_fhir_"))
    os.environ["DATABASE_URL"] = f"sqlite:///{_TEMP_DIR / 'bench.sqlite3'}"
# The test settings: production's, with DEBUG off (no query log growing with every insert) and no HTTPS redirect.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from ketaclinic.accounts.models import Clinic, Membership, Network, User  # noqa: E402
from ketaclinic.accounts.roles import Role  # noqa: E402
from ketaclinic.patients.models import Patient, search_key  # noqa: E402
from ketaclinic.visits.models import AdverseEvent, DoseAdministration, Visit, VitalAlert, VitalReading  # noqa: E402
from ketaclinic.visits.services.common import current_protocol  # noqa: E402

CLINIC_PATIENTS = (("BS", "Bench Small", 1_000), ("BL", "Bench Large", 9_000))
VISITS_PER_PATIENT = 3
BATCH_PATIENTS = 1_000
SEED = 20261128
NETWORK_NAME = "FHIR bench network"
# A typical IV visit (clinical.md §1.1, §1.2): 0.5 mg/kg over 40 minutes, then observation.
DOSE_MG_PER_KG = Decimal("0.5")
INFUSION = dt.timedelta(minutes=40)
# (minutes after check-in, phase, MOAA/S or None)
READINGS = ((5, "pre-dose", None), (25, "dosing", 4), (45, "dosing", 4), (75, "recovery", None))
CAUTION_EVERY = 20  # one reading in twenty raised a caution
ADVERSE_EVENT_EVERY = 100  # visits


def _clinics_and_staff():
    network = Network.objects.create(name=NETWORK_NAME)
    clinics, staff = [], {}
    for prefix, name, _ in CLINIC_PATIENTS:
        clinic = Clinic.objects.create(network=network, name=name, address_line1="1 Bench St", city="Los Angeles",
                                       postal_code="90001", phone="+1 310 555 0000", mrn_prefix=prefix)
        nurse = User.objects.create_user(f"bench.nurse.{prefix.lower()}", password="bench-password-123", display_name=f"Nurse {prefix}")
        Membership.objects.create(user=nurse, clinic=clinic, role=Role.NURSE_RN)
        clinics.append(clinic)
        staff[clinic.pk] = nurse
    return clinics, staff


def _patient(clinic, n: int, rng) -> Patient:
    last = f"Bench{n:06d}"
    return Patient(
        clinic=clinic, mrn=f"{clinic.mrn_prefix}{n:07d}", legal_first_name="Synthetic", legal_last_name=last,
        date_of_birth=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(20_000)), sex_at_birth=rng.choice(["female", "male"]),
        last_name_key=search_key(last), first_name_key="synthetic", weight_kg=Decimal(rng.randint(500, 1100)) / 10,
        height_cm=Decimal(rng.randint(150, 195)), measured_on=dt.date(2026, 1, 1),
    )


def _visits(patients, protocols, staff, rng, today):
    visits = []
    for patient in patients:
        for number in range(VISITS_PER_PATIENT):
            checked_in = dt.datetime.combine(today - dt.timedelta(days=7 * (VISITS_PER_PATIENT - number)), dt.time(16),
                                             tzinfo=dt.timezone.utc) + dt.timedelta(minutes=rng.randrange(120))
            visits.append(Visit(
                clinic_id=patient.clinic_id, patient=patient, route="iv-ketamine", status="discharged",
                protocol=protocols[patient.clinic_id], checked_in_at=checked_in, checked_in_by=staff[patient.clinic_id],
                weight_kg=patient.weight_kg, observation_min_required=60, dosing_started_at=checked_in + dt.timedelta(minutes=15),
                dosing_ended_at=checked_in + dt.timedelta(minutes=15) + INFUSION, discharged_at=checked_in + dt.timedelta(minutes=120),
                discharged_by=staff[patient.clinic_id],
            ))
    return Visit.objects.bulk_create(visits, batch_size=2000)


def _readings_and_doses(visits, staff, rng):
    readings, doses, events = [], [], []
    for visit in visits:
        nurse = staff[visit.clinic_id]
        for minutes, phase, moaa_s in READINGS:
            caution = rng.randrange(CAUTION_EVERY) == 0
            readings.append(VitalReading(
                visit=visit, measured_at=visit.checked_in_at + dt.timedelta(minutes=minutes), phase=phase, source="manual",
                idempotency_key=f"bench-{minutes}", payload_digest="0" * 64, recorded_by=nurse,
                systolic_mmhg=rng.randint(150, 158) if caution else rng.randint(110, 138), diastolic_mmhg=rng.randint(65, 88),
                heart_rate_bpm=rng.randint(58, 96), spo2_pct=rng.randint(95, 100), respiratory_rate_per_min=rng.randint(12, 18),
                moaa_s=moaa_s,
            ))
        dose_mg = (visit.weight_kg * DOSE_MG_PER_KG).quantize(Decimal("0.1"))
        doses.append(DoseAdministration(
            visit=visit, drug="ketamine", status="completed", dose_mg=dose_mg, lot_number=f"KET-BENCH-{visit.pk % 50:02d}",
            started_at=visit.dosing_started_at, ended_at=visit.dosing_ended_at, administered_by=nurse, calculated_by=nurse,
            weight_kg=visit.weight_kg, weight_basis="actual", dose_mg_per_kg=DOSE_MG_PER_KG, duration_min=40,
            rate_ml_per_h=Decimal("150.0"),
        ))
        if rng.randrange(ADVERSE_EVENT_EVERY) == 0:
            events.append(AdverseEvent(
                clinic_id=visit.clinic_id, patient_id=visit.patient_id, visit=visit, onset_at=visit.dosing_ended_at,
                category="nausea_vomiting", description="Nausea after the infusion.", severity="mild", outcome="resolved",
                recorded_by=nurse,
            ))
    readings = VitalReading.objects.bulk_create(readings, batch_size=5000)
    VitalAlert.objects.bulk_create([
        VitalAlert(visit_id=r.visit_id, reading=r, parameter="systolic_mmhg", level="caution",
                   message=f"Systolic {r.systolic_mmhg} mmHg ≥ 150: recheck; consider slowing the infusion")
        for r in readings if r.systolic_mmhg >= 150
    ], batch_size=5000)
    DoseAdministration.objects.bulk_create(doses, batch_size=5000)
    AdverseEvent.objects.bulk_create(events, batch_size=5000)
    return len(readings)


def seed() -> list[Clinic]:
    rng = random.Random(SEED)
    today = timezone.localdate()
    started = time.perf_counter()
    clinics, staff = _clinics_and_staff()
    protocols = {c.pk: current_protocol(c) for c in clinics}
    made = readings = 0
    for clinic, (_, _, count) in zip(clinics, CLINIC_PATIENTS):
        for first in range(0, count, BATCH_PATIENTS):
            with transaction.atomic():
                patients = Patient.objects.bulk_create(
                    [_patient(clinic, n, rng) for n in range(first, min(count, first + BATCH_PATIENTS))], batch_size=1000)
                visits = _visits(patients, protocols, staff, rng, today)
                readings += _readings_and_doses(visits, staff, rng)
                made += len(patients)
    print(f"Seeded {made:,} patients, {made * VISITS_PER_PATIENT:,} visits, {readings:,} readings "
          f"in {time.perf_counter() - started:.1f} s")
    return clinics


def run_export(label: str, clinic: Clinic | None) -> None:
    out = Path(tempfile.mkdtemp(prefix="kc_bench_fhir_out_"))
    command = [sys.executable, str(ROOT / "manage.py"), "export_fhir", "--out", str(out)]
    if clinic is not None:
        command += ["--clinic", str(clinic.pk)]
    started = time.perf_counter()
    child = subprocess.Popen(command, env=os.environ.copy(), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own resource usage
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"export_fhir failed ({child.returncode})")
    peak_mib = usage.ru_maxrss / 1024  # Linux reports KiB
    manifest = json.loads((out / "manifest.json").read_text())
    total = sum(item["count"] for item in manifest["output"])
    size_mib = sum(p.stat().st_size for p in out.glob("*.ndjson")) / 2**20
    shutil.rmtree(out)
    print(f"  {label:<28} {total:>9,} resources in {seconds:6.1f} s = {total / seconds:7,.0f} resources/s; "
          f"{size_mib:6.0f} MiB NDJSON; peak memory {peak_mib:.0f} MiB")
    for item in manifest["output"]:
        print(f"      {item['type']:<26} {item['count']:>9,}")


def main() -> None:
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    clinics = list(Clinic.objects.filter(network__name=NETWORK_NAME).order_by("pk")) or seed()
    connection.close()  # the child processes open their own
    print("Export (manage.py export_fhir in a child process, DEBUG off):")
    run_export(f"{CLINIC_PATIENTS[0][2]:,} patients (one clinic)", clinics[0])
    run_export(f"{sum(c for _, _, c in CLINIC_PATIENTS):,} patients (everything)", None)


if __name__ == "__main__":
    try:
        main()
    finally:
        if _TEMP_DIR is not None:
            shutil.rmtree(_TEMP_DIR, ignore_errors=True)
