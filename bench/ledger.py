"""Bench: the controlled-substance ledger on the configured database.

    .venv/bin/python bench/ledger.py                    # SQLite: var/bench_ledger.sqlite3
    DATABASE_URL=postgres://ketaclinic:ketaclinic@127.0.0.1:5432/kc_bench_ledger .venv/bin/python bench/ledger.py

Seeds (once; ``--reseed`` to start again) ``--days`` clinic days at one clinic through the real services: a receipt
every ten days, and per day ``--doses`` draws, each with its administration and a witnessed syringe waste. Prints the
median time of one movement (draw, administer, waste: each one transaction with its row locks and audit row), the
reconciliation for the whole period and for its last month, the CSV export, and the ledger home page.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_ledger.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the bench times the ledger, not Argon2
settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

from ketaclinic.accounts.models import Clinic, Membership, Network, User  # noqa: E402
from ketaclinic.accounts.roles import Role  # noqa: E402
from ketaclinic.ledger import db_guards, exports, reports, services  # noqa: E402
from ketaclinic.ledger.models import Container, DrugProduct, Entry  # noqa: E402
from ketaclinic.patients.models import Patient  # noqa: E402

PASSWORD = "bench-password-123"


def _setup():
    network = Network.objects.create(name="Bench network")
    clinic = Clinic.objects.create(network=network, name="Bench clinic", address_line1="1 Main St", city="Los Angeles",
                                   postal_code="90001", phone="+1 310 555 0000", mrn_prefix="BN")
    users = []
    for name, role in (("bench.nurse", Role.NURSE_RN), ("bench.crna", Role.NURSE_CRNA), ("bench.admin", Role.CLINIC_ADMIN)):
        user = User.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(user=user, clinic=clinic, role=role)
        users.append(user)
    patient = Patient.objects.create(clinic=clinic, mrn="BN000001", legal_first_name="Bench", legal_last_name="Patient",
                                     date_of_birth=dt.date(1980, 1, 1), sex_at_birth="female")
    product = services.create_product(data=dict(name="Ketamine (bench)", ndc="99998-010-20", form="vial",
                                                concentration_mg_per_ml="10", container_volume_ml="20", manufacturer="Bench"),
                                      acting_user=users[0])
    return clinic, users, patient, product


def _seed(days: int, doses: int) -> dict:
    clinic, (nurse, crna, admin), patient, product = _setup()
    start = timezone.localdate(timezone=clinic.tz) - dt.timedelta(days=days + 1)
    request = RequestFactory().post("/", REMOTE_ADDR="127.0.0.1")
    timings = []
    for d in range(days):
        day = start + dt.timedelta(days=d)
        at = dt.datetime.combine(day, dt.time(8), tzinfo=clinic.tz)
        if d % 10 == 0:
            services.receive(clinic=clinic, acting_user=nurse, at=at, data=dict(
                product=product, received_on=day, supplier_name="Bench Supply", supplier_address="1 Way, Memphis TN",
                supplier_dea_number="RB1234563", invoice_number=f"B-{d}", lot_number=f"L{d}",
                expires_on=day + dt.timedelta(days=500), containers_received=doses * 3))
        witness = services.sign(request, clinic=clinic, acting_user=nurse, username="bench.crna", password=PASSWORD)
        for n in range(doses):
            t = at + dt.timedelta(minutes=20 * n + 1)
            vial = Container.objects.filter(clinic=clinic, status__in=Container.USABLE, balance_ml__gte=4).order_by("status", "pk").first()
            t0 = time.perf_counter()
            draw = services.draw(vial, patient=patient, amount_ml="4.00", acting_user=nurse, at=t)
            services.administer(draw, amount_ml="3.50", acting_user=nurse, at=t + dt.timedelta(minutes=1))
            services.waste_from_syringe(draw, acting_user=nurse, witness=witness, method="sink", at=t + dt.timedelta(minutes=2))
            timings.append((time.perf_counter() - t0) / 3)
    return {"movement_ms": statistics.median(timings) * 1000}


def _median_ms(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--doses", type=int, default=8)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    seeded = {}
    if args.reseed or not DrugProduct.objects.filter(ndc="99998-010-20").exists():
        if args.reseed:
            db_guards.remove(connection)
            call_command("flush", interactive=False, verbosity=0)
            db_guards.install(connection)
        seeded = _seed(args.days, args.doses)
    clinic = Clinic.objects.get(name="Bench clinic")
    end = timezone.localdate(timezone=clinic.tz)
    first = Entry.objects.filter(clinic=clinic).order_by("at").first().at.date()
    print(f"{connection.vendor}: {Entry.objects.filter(clinic=clinic).count()} entries over {(end - first).days} days")
    if seeded:
        print(f"one movement (draw, administer or witnessed waste), median: {seeded['movement_ms']:.1f} ms")
    print(f"reconciliation, whole period: {_median_ms(lambda: reports.reconciliation(clinic, first, end)):.0f} ms")
    print(f"reconciliation, last month: {_median_ms(lambda: reports.reconciliation(clinic, end - dt.timedelta(days=30), end)):.0f} ms")
    month = end - dt.timedelta(days=30)
    print(f"CSV with dispensing record, last month: {_median_ms(lambda: exports.reconciliation_csv(reports.reconciliation(clinic, month, end), reports.dispensing_record(clinic, month, end), reports.waste_log(clinic, month, end)), 3):.0f} ms")
    client = Client()
    client.force_login(User.objects.get(username="bench.nurse"))
    assert client.get(reverse("ledger:home"), secure=True).status_code == 200
    print(f"ledger home: {_median_ms(lambda: client.get(reverse('ledger:home'), secure=True)):.0f} ms")


if __name__ == "__main__":
    main()
