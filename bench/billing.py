"""Bench: the billing desk's balances, a superbill PDF, the claim CSV and the estimator, on a busy clinic.

    .venv/bin/python bench/billing.py                     # SQLite: var/bench_billing.sqlite3
    DATABASE_URL=postgres://ketaclinic:ketaclinic@127.0.0.1:5432/kc_bench_billing .venv/bin/python bench/billing.py

Seeds once (``--reseed`` to start again) one clinic with PATIENTS patients, each with a year of self-pay IV
charges (twelve infusions: 96365 and J3490), one invoice and a payment, written in bulk. Then times, and prints
the median and 95th percentile of:
- the first page of the billing desk's "patients with a balance" (every balance computed in SQL, one query);
- one patient's balance (four sums);
- a superbill PDF of 24 lines (WeasyPrint);
- the claim CSV for a month of the whole clinic;
- the pure estimator on a 12-session esketamine course with deductible, coinsurance, savings and a cap.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_billing.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ketaclinic.accounts.models import Clinic, Network  # noqa: E402
from ketaclinic.billing import documents  # noqa: E402
from ketaclinic.billing.models import Charge, Invoice, Payment, PriceList  # noqa: E402
from ketaclinic.billing.services import account  # noqa: E402
from ketaclinic.clinical import pricing  # noqa: E402
from ketaclinic.patients.models import Patient  # noqa: E402

PATIENTS = 2_000
INFUSIONS_PER_PATIENT = 12
RUNS = 30
START = dt.date(2026, 1, 5)


def seed() -> Clinic:
    network = Network.objects.create(name="Bench network")
    clinic = Clinic.objects.create(network=network, name="Bench clinic", address_line1="1 Bench St", city="Los Angeles",
                                   postal_code="90001", phone="+1 310 555 0000", mrn_prefix="BN", npi="1234567893",
                                   tax_id="95-1234567")
    PriceList.objects.create(clinic=clinic, effective_from=dt.date(2026, 1, 1), iv_infusion_cents=60_000,
                             iv_drug_charge_cents=5_000)
    patients = Patient.objects.bulk_create(
        Patient(clinic=clinic, mrn=f"BN{n:06d}", legal_first_name=f"First{n}", legal_last_name=f"Bench{n:05d}",
                date_of_birth=dt.date(1980, 1, 1), sex_at_birth="female") for n in range(PATIENTS))
    invoices = Invoice.objects.bulk_create(
        Invoice(clinic=clinic, patient=p, number=f"BN-{n:06d}", issued_on=START, due_on=START + dt.timedelta(days=30))
        for n, p in enumerate(patients))
    charges = []
    for p, invoice in zip(patients, invoices):
        for k in range(INFUSIONS_PER_PATIENT):
            day = START + dt.timedelta(days=30 * k + p.pk % 28)
            charges.append(Charge(clinic=clinic, patient=p, service_date=day, code="96365", description="IV infusion",
                                  units=1, unit_price_cents=55_000, amount_cents=55_000, diagnosis_codes=["F33.2"],
                                  invoice=invoice if k < 2 else None))
            charges.append(Charge(clinic=clinic, patient=p, service_date=day, code="J3490", description="Ketamine",
                                  units=1, unit_price_cents=5_000, amount_cents=5_000, diagnosis_codes=["F33.2"],
                                  invoice=invoice if k < 2 else None))
    Charge.objects.bulk_create(charges, batch_size=5_000)
    Payment.objects.bulk_create(Payment(clinic=clinic, patient=p, invoice=i, received_on=START, amount_cents=30_000,
                                        method="card") for p, i in zip(patients, invoices))
    return clinic


def timed(label: str, fn, runs: int = RUNS) -> None:
    times, queries = [], 0
    for _ in range(runs):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(f"{label:<46} median {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms   {queries} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    clinic = Clinic.objects.filter(name="Bench clinic").first()
    if clinic is None or args.reseed:
        if clinic is not None:
            print("Delete var/bench_billing.sqlite3 (or the bench database) to reseed.")
            return
        clinic = seed()
    patient = Patient.objects.filter(clinic=clinic).order_by("pk").first()
    invoice = patient.invoices.first()
    print(f"{connection.vendor}: {Patient.objects.filter(clinic=clinic).count()} patients, "
          f"{Charge.objects.filter(clinic=clinic).count()} charges")
    desk = account.with_balances(Patient.objects.filter(clinic=clinic)).exclude(balance_cents=0).order_by("-balance_cents", "id")
    timed("desk: first 25 balances", lambda: list(desk[:25]))
    timed("one patient's balance", lambda: account.balance_cents(patient))
    many = Charge.objects.filter(patient=patient)
    timed("superbill PDF, 24 lines", lambda: documents.superbill_for_charges(
        patient, documents._charges(many), [], [], title="Bench", acting_user=None, scope="bench"), runs=10)
    timed("claim CSV, one month of the clinic", lambda: documents.claims_csv(
        clinic, dt.date(2026, 3, 1), dt.date(2026, 3, 31), acting_user=None, insured_only=False), runs=5)
    prices = pricing.PriceList({"esketamine-session": 90_000})
    coverage = pricing.Coverage(deductible_remaining_cents=100_000, coinsurance_pct=Decimal("20"),
                                oop_max_remaining_cents=300_000, savings_per_session_cents=None,
                                savings_patient_floor_cents=1_000, savings_yearly_cap_cents=715_000)
    timed("estimator: 12 covered sessions", lambda: pricing.estimate(prices, {"esketamine-session": 12}, coverage), runs=200)


if __name__ == "__main__":
    main()
