"""Intake and candidacy timings: the engine alone, a whole self-screen request, and signing a decision.

    .venv/bin/python bench/intake_candidacy.py                     # a throw-away SQLite file under var/
    DATABASE_URL=postgres://... .venv/bin/python bench/intake_candidacy.py

Prints medians (and the 95th percentile) in milliseconds:
- ``evaluate``: ``ketaclinic.clinical.candidacy.evaluate`` on a full intake (trials, history, BP, medications);
- ``self-screen POST``: the public page end to end (form, PHQ-9, engine, anonymous count, rendering);
- ``submit + evaluate``: ``submit_intake`` (completeness check, engine, evaluation row, audit rows);
- ``sign decision``: ``sign_decision`` (locks, checks, decision row, audit row);
- ``queue page``: the front desk's queue with 2,000 requests in the clinic (count and one page).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_intake.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from ketaclinic.accounts.models import Clinic, Membership, Network, User  # noqa: E402
from ketaclinic.accounts.roles import Role  # noqa: E402
from ketaclinic.clinical import candidacy  # noqa: E402
from ketaclinic.intake import services, spam  # noqa: E402
from ketaclinic.intake.models import ConsultationRequest  # noqa: E402
from ketaclinic.patients.models import Patient  # noqa: E402

RUNS = 200
QUEUE_ROWS = 2_000
INTAKE = {
    "age_years": 44, "sex": "female", "conditions": ["major-depression", "ptsd"], "current_mood_state": "depressed",
    "antidepressant_trials": [
        {"drug": d, "weeks": 8, "adequate_dose": True, "outcome": "no-response"}
        for d in ("sertraline", "bupropion", "venlafaxine", "mirtazapine")
    ],
    "history": {"hepatic_impairment": True}, "blood_pressure_mmhg": [146, 88],
    "medications": ["lorazepam 0.5 mg", "gabapentin 300 mg", "lisinopril 10 mg", "levothyroxine"],
}
SCREEN = {"adult": "yes", "conditions": ["major-depression"], "failed_antidepressants": "2", "psychotherapy_tried": "yes",
          **{f"phq9_{n}": "2" for n in range(1, 10)}}


def timed(fn, runs=RUNS) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    p95 = statistics.quantiles(times, n=20)[18]
    print(f"{name:<20} median {statistics.median(times):7.2f} ms   p95 {p95:7.2f} ms   (n={len(times)})")


def setup():
    call_command("migrate", verbosity=0)
    network, _ = Network.objects.get_or_create(name="Bench intake network")
    clinic, _ = Clinic.objects.get_or_create(network=network, name="Bench intake clinic", defaults=dict(
        address_line1="1 Bench St", city="Los Angeles", postal_code="90001", phone="+1 310 555 0000", mrn_prefix="BI"))
    users = {}
    for name, role in (("bench.dr", Role.PHYSICIAN), ("bench.nurse", Role.NURSE_RN), ("bench.desk", Role.FRONT_DESK)):
        users[name] = User.objects.filter(username=name).first() or User.objects.create_user(name, password="bench-password-1")
        Membership.objects.get_or_create(user=users[name], clinic=clinic, role=role)
    missing = QUEUE_ROWS - ConsultationRequest.objects.filter(clinic=clinic).count()
    ConsultationRequest.objects.bulk_create([
        ConsultationRequest(clinic=clinic, first_name=f"Bench{n}", last_name="Person", phone="+1 310 555 0100")
        for n in range(max(missing, 0))
    ])
    return clinic, users


def new_patient(clinic, n):
    import datetime as dt

    return Patient.objects.create(clinic=clinic, mrn=f"BI{time.time_ns() % 10**12}{n}", legal_first_name="Bench",
                                  legal_last_name=f"Patient{n}", date_of_birth=dt.date(1980, 1, 1), sex_at_birth="female")


def main():
    clinic, users = setup()
    report("evaluate", timed(lambda: candidacy.evaluate(INTAKE)))

    spam.SELF_SCREEN_LIMIT.limit = 10**9  # the bench is one address
    client = Client()
    report("self-screen POST", timed(lambda: client.post("/intake/self-screen/", SCREEN)))

    nurse, doctor = users["bench.nurse"], users["bench.dr"]
    patients = [new_patient(clinic, n) for n in range(RUNS)]
    for p in patients:
        intake = services.start_intake(p, acting_user=nurse)
        services.update_intake(intake, acting_user=nurse, data={
            "conditions": ["major-depression"], "current_mood_state": "depressed", "no_known_allergies": True})
        for drug in ("sertraline", "bupropion"):
            services.add_item(intake, "trial", acting_user=nurse, data={
                "drug": drug, "weeks": 8, "adequate_dose": "yes", "outcome": "no-response"})
    queue = iter(patients)
    report("submit + evaluate", timed(lambda: services.submit_intake(next(queue).intake, acting_user=nurse)))
    queue = iter(patients)

    def sign():
        p = next(queue)
        services.sign_decision(p, evaluation=services.latest_evaluation(p), decision="both", note="bench",
                               acting_user=doctor)
    report("sign decision", timed(sign))

    desk = Client()
    desk.force_login(users["bench.desk"])
    report("queue page", timed(lambda: desk.get("/intake/queue/"), runs=50))


if __name__ == "__main__":
    main()
