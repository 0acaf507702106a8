"""Bench: propose and book a whole six-infusion IV series in a clinic already full of a year of appointments.

    .venv/bin/python bench/booking.py                       # SQLite: var/bench_booking.sqlite3
    DATABASE_URL=postgres://ketaclinic:ketaclinic@127.0.0.1:5432/kc_bench_booking .venv/bin/python bench/booking.py

Seeds once (``--reseed`` to start again) one clinic open Monday–Saturday 07:00–19:00 with eight infusion chairs,
three nurses on shift every open day (three patients each), and a year of appointments (six months back, six
months ahead): each chair holds a 105-minute visit in three of every four of its six daily places, about 11,000
appointments with their 77,000 chair-slot and 77,000 nurse-seat rows. Then, for SERIES fresh patients with a
signed plan starting on a random day of the coming five months, times ``propose_series`` and ``book_series``
(the same service calls the booking page makes) and prints the median and the 95th percentile, with the
queries each takes; then queuing the series' reminders (done on commit, after the booking). Everything the
timed part writes is rolled back, so every run measures the same clinic. The intake gate (candidacy and
consent) is stubbed out: it is not what is measured.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_booking.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DEBUG", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from ketaclinic.accounts.models import Clinic, Membership, Network, User  # noqa: E402
from ketaclinic.accounts.roles import Role  # noqa: E402
from ketaclinic.patients.models import Patient  # noqa: E402
from ketaclinic.plans import reminders, services  # noqa: E402
from ketaclinic.plans.models import Appointment, Chair, ChairSlot, ClinicScheduling, NurseSlot, StaffShift  # noqa: E402
from ketaclinic.plans.scheduling import local_to_utc, slots_of  # noqa: E402

CHAIRS = 8
NURSES = 3
RATIO = 3
OPEN_DAYS = (0, 1, 2, 3, 4, 5)
OPENS, CLOSES = dt.time(7), dt.time(19)
VISIT = dt.timedelta(minutes=105)  # 40-minute infusion + 60 minutes observation, in whole 15-minute slots
PLACES_PER_DAY = 6  # 12 open hours / 105 minutes
FILL = 0.75
FILL_PATIENTS = 2000
DAYS_BACK, DAYS_AHEAD = 182, 183
SERIES = 25
BATCH = 5000
CLINIC_NAME = "Bench clinic (booking)"


def _clinic():
    network, _ = Network.objects.get_or_create(name="Bench network (booking)")
    clinic, _ = Clinic.objects.get_or_create(network=network, name=CLINIC_NAME, defaults=dict(
        address_line1="1 Bench St", city="Los Angeles", postal_code="90001", phone="+1 310 555 0000", mrn_prefix="BK"))
    return clinic


def _user(name, clinic, role):
    user = User.objects.filter(username=name).first() or User.objects.create_user(name, password=None, display_name=name)
    Membership.objects.get_or_create(user=user, clinic=clinic, role=role)
    return user


def seed(clinic) -> None:
    rng = random.Random(20260105)
    physician = _user("bench.physician", clinic, Role.PHYSICIAN)
    nurses = [_user(f"bench.nurse{n}", clinic, Role.NURSE_RN) for n in range(NURSES)]
    services.set_opening_hours(clinic=clinic, hours={d: (OPENS, CLOSES) for d in OPEN_DAYS}, acting_user=physician)
    ClinicScheduling.objects.update_or_create(clinic=clinic, defaults={"nurse_ratio": RATIO})
    chairs = [Chair.objects.create(clinic=clinic, name=f"Chair {n}", sort_order=n) for n in range(CHAIRS)]
    patients = Patient.objects.bulk_create([
        Patient(clinic=clinic, mrn=f"BK{n:06d}", legal_first_name="Bench", legal_last_name=f"Patient{n}",
                date_of_birth=dt.date(1980, 1, 1), sex_at_birth="female") for n in range(FILL_PATIENTS)
    ])
    today = timezone.now().astimezone(clinic.tz).date()
    shifts, appointments, places = [], [], []
    for offset in range(-DAYS_BACK, DAYS_AHEAD):
        day = today + dt.timedelta(days=offset)
        if day.weekday() not in OPEN_DAYS:
            continue
        opens = local_to_utc(day, OPENS, clinic.tz)
        shifts += [StaffShift(clinic=clinic, user=n, starts_at=opens, ends_at=local_to_utc(day, CLOSES, clinic.tz)) for n in nurses]
        for c, chair in enumerate(chairs):
            for place in range(PLACES_PER_DAY):
                if rng.random() < FILL:
                    starts = opens + place * VISIT
                    appointments.append(Appointment(
                        patient=rng.choice(patients), clinic=clinic, chair=chair, nurse=nurses[c % NURSES],
                        nurse_seat=c // NURSES, starts_at=starts,
                        ends_at=starts + VISIT, route="iv-ketamine", kind="dosing",
                        status="discharged" if offset < 0 else "booked"))
                    places.append(c // NURSES)
    StaffShift.objects.bulk_create(shifts, batch_size=BATCH)
    for start in range(0, len(appointments), BATCH):
        with transaction.atomic():
            batch = Appointment.objects.bulk_create(appointments[start:start + BATCH])
            ChairSlot.objects.bulk_create([ChairSlot(chair_id=a.chair_id, slot_start=t, appointment=a)
                                           for a in batch for t in slots_of(a.starts_at, a.ends_at)])
            NurseSlot.objects.bulk_create([NurseSlot(nurse_id=a.nurse_id, slot_start=t, seat=seat, ratio=RATIO, appointment=a)
                                           for a, seat in zip(batch, places[start:start + BATCH])
                                           for t in slots_of(a.starts_at, a.ends_at)])
    services.create_protocol(clinic=clinic, acting_user=physician, data=dict(
        family="iv-bench", name="IV ketamine 0.5 mg/kg", route="iv-ketamine", dose_mg_per_kg=Decimal("0.50"),
        infusion_min=40, induction_infusions=6, observation_min=60, effective_from=today - dt.timedelta(days=DAYS_BACK)))


def _timed(fn):
    """(result, wall ms, CPU ms of this process, queries). On a busy machine the wall time includes waiting for
    a CPU; the process time does not, so it is the fairer figure there (SQLite runs inside this process)."""
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall_ms, cpu_ms = (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000
    return result, (wall_ms, cpu_ms), len(queries.captured_queries)


def run(clinic) -> None:
    """Book SERIES series, time them, then roll everything back so every run measures the same clinic."""
    import ketaclinic.intake.services as intake

    intake.require_plan_allowed = lambda patient, route: None  # the gate is intake's; not what is measured here
    with transaction.atomic():
        _run(clinic)
        transaction.set_rollback(True)


def _run(clinic) -> None:
    rng = random.Random(7)
    physician = User.objects.get(username="bench.physician")
    protocol = services.current_protocols(clinic)[0]
    today = timezone.now().astimezone(clinic.tz).date()
    timings = {"propose": [], "book": [], "reminders": []}
    queries = {"propose": [], "book": [], "reminders": []}
    placed = []
    for n in range(SERIES):
        patient = Patient.objects.create(clinic=clinic, mrn=f"BKS{n:06d}", legal_first_name="Series",
                                         legal_last_name=f"Bench{n}", date_of_birth=dt.date(1985, 1, 1), sex_at_birth="male")
        start = today + dt.timedelta(days=rng.randint(7, 150))
        plan = services.create_plan(patient=patient, data={"protocol": protocol, "start_on": start}, acting_user=physician)
        plan = services.sign_plan(plan, acting_user=physician)
        proposals = _measure("propose", lambda: services.propose_series(plan), timings, queries)
        items = [services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in proposals if p.place]
        placed.append(len(items))
        booked = _measure("book", lambda: services.book_series(plan, items=items, acting_user=physician), timings, queries)
        # Runs on commit in real use (the bench's transaction never commits): queued on the configured task backend.
        _measure("reminders", lambda: reminders.schedule([a.pk for a in booked]), timings, queries)
    _report(timings, queries, placed)


def _measure(name, fn, timings, queries):
    result, elapsed, count = _timed(fn)
    timings[name].append(elapsed)
    queries[name].append(count)
    return result


def _p95(values):
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _report(timings, queries, placed) -> None:
    timings["propose + book"] = [(p[0] + b[0], p[1] + b[1]) for p, b in zip(timings["propose"], timings["book"])]
    print(f"database: {connection.vendor}; {Appointment.objects.count():,} appointments, "
          f"{ChairSlot.objects.count():,} chair slots, {NurseSlot.objects.count():,} nurse seats; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"series: {len(placed)} × six IV infusions; sessions placed per series: {min(placed)}–{max(placed)}")
    for name in ("propose", "book", "propose + book", "reminders"):
        wall, cpu = [v[0] for v in timings[name]], [v[1] for v in timings[name]]
        extra = f"  ({statistics.median(queries[name]):.0f} queries)" if name in queries else ""
        print(f"{name:>15}: wall median {statistics.median(wall):6.1f} ms, p95 {_p95(wall):6.1f} ms;"
              f"  CPU median {statistics.median(cpu):6.1f} ms{extra}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="drop the bench clinic's data and fill it again")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if args.reseed and connection.vendor == "sqlite":
        connection.close()
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
    clinic = _clinic()
    if not Chair.objects.filter(clinic=clinic).exists():
        started = time.perf_counter()
        seed(clinic)
        print(f"seeded in {time.perf_counter() - started:.0f} s")
    run(clinic)


if __name__ == "__main__":
    main()
