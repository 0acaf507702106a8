"""Patient search on 100,000 synthetic patients: median time of a name search and of a date-of-birth search.

    .venv/bin/python bench/patient_search.py                       # SQLite file var/bench.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python bench/patient_search.py

Times what the patient list does for one search: the filtered count and the first page of 25, in one clinic.
The database is filled once (kept between runs); the first run takes a minute or so.
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from ketaclinic.accounts.models import Clinic, Network  # noqa: E402
from ketaclinic.patients import search  # noqa: E402
from ketaclinic.patients.models import Patient  # noqa: E402

PATIENTS = 100_000
CLINICS = 4
BATCH = 5_000
RUNS = 40
FIRST = ["Avery", "Mateo", "Sofia", "Jamal", "Mei", "Diego", "Hannah", "Kenji", "Lucia", "Omar", "Grace", "Tomas",
         "Aisha", "Ethan", "Camila", "Noah", "Ximena", "Wei", "Valentina", "Riley", "Zoe", "Liam", "Nora", "Ivan"]
SYLLABLES = ["bar", "ker", "lin", "mo", "sa", "ten", "vi", "dor", "qua", "ri", "zel", "han", "por", "wes", "gu", "nez"]


def last_name(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def seed(rng) -> list[Clinic]:
    network, _ = Network.objects.get_or_create(name="Bench network")
    clinics = [
        Clinic.objects.get_or_create(network=network, name=f"Bench clinic {n}", defaults=dict(
            address_line1="1 Bench St", city="Los Angeles", postal_code="90001", phone="+1 310 555 0000",
            mrn_prefix=f"B{n}"))[0]
        for n in range(CLINICS)
    ]
    have = Patient.objects.filter(clinic__in=clinics).count()
    if have >= PATIENTS:
        return clinics
    print(f"seeding {PATIENTS - have:,} patients …", flush=True)
    start = dt.date(1940, 1, 1)
    for first_index in range(have, PATIENTS, BATCH):
        rows = []
        for i in range(first_index, min(first_index + BATCH, PATIENTS)):
            patient = Patient(
                clinic=clinics[i % CLINICS], mrn=f"B{i:07d}", legal_first_name=rng.choice(FIRST), legal_last_name=last_name(rng),
                date_of_birth=start + dt.timedelta(days=rng.randrange(365 * 65)), sex_at_birth="unknown",
                phone=f"+1 310 {rng.randrange(10**7):07d}",
            )
            patient.last_name_key = patient.legal_last_name.lower()
            patient.first_name_key = patient.legal_first_name.lower()
            patient.phone_digits = "".join(c for c in patient.phone if c.isdigit())[-10:]
            rows.append(patient)
        Patient.objects.bulk_create(rows)
    return clinics


def timed(clinic, query) -> float:
    began = time.perf_counter()
    results = search.search(Patient.objects.filter(clinic=clinic), query)
    results.count()
    list(results[:25])
    return (time.perf_counter() - began) * 1000


def main():
    rng = random.Random(2026)
    call_command("migrate", verbosity=0)
    clinics = seed(rng)
    samples = list(Patient.objects.filter(clinic=clinics[0]).order_by("?")[:RUNS])
    timed(clinics[0], "warm-up")
    name_ms = [timed(clinics[0], p.legal_last_name[:4]) for p in samples]
    dob_ms = [timed(clinics[0], p.date_of_birth.strftime("%m/%d/%Y")) for p in samples]
    print(f"database: {connection.vendor}, patients: {Patient.objects.count():,} in {CLINICS} clinics")
    print(f"name search (first 4 letters of a last name): median {statistics.median(name_ms):.2f} ms over {RUNS}")
    print(f"date-of-birth search:                          median {statistics.median(dob_ms):.2f} ms over {RUNS}")


if __name__ == "__main__":
    main()
