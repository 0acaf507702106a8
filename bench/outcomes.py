"""Bench: the clinic outcomes page over 1,000,000 questionnaire responses, on the configured database.

    .venv/bin/python bench/outcomes.py                       # SQLite: var/bench_outcomes.sqlite3
    DATABASE_URL=postgres://ketaclinic:ketaclinic@127.0.0.1:5432/kc_bench_outcomes .venv/bin/python bench/outcomes.py

Seeds (once; ``--reseed`` to start again) two clinics of one network, 100,000 treatment courses with ten PHQ-9
responses each (baseline, five pre-dose scores, end of induction, months 1, 2 and 3) with bulk_create in batches,
rebuilds every course's outcome row with the same code the services use, then times the outcomes page (this
clinic, the network, the CSV export, the booster-review list) through Django's test client, and the public
directory's call ``clinic_induction_outcomes``. Prints the median of several runs and the queries per page.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_outcomes.sqlite3'}")
# The test settings: production's, with DEBUG off (no query log growing with a million inserts), no HTTPS
# redirect and static files served from the apps (no collectstatic needed to render a page).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings_test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from ketaclinic.accounts.models import Clinic, Membership, Network, User  # noqa: E402
from ketaclinic.accounts.roles import Role  # noqa: E402
from ketaclinic.clinical import instruments  # noqa: E402
from ketaclinic.outcomes import reports, services  # noqa: E402
from ketaclinic.outcomes.demo import answers_for_total  # noqa: E402
from ketaclinic.outcomes.models import CourseOutcome, QuestionnaireResponse, TreatmentCourse  # noqa: E402
from ketaclinic.patients.models import Patient, search_key  # noqa: E402

RESPONSES = 1_000_000
PER_COURSE = 10
COURSES = RESPONSES // PER_COURSE
BATCH_COURSES = 2_000  # 20,000 responses per bulk_create round
# (day offset, session number before the score): baseline, pre-dose 2–6, end of induction, months 1–3.
SCHEDULE = ((0, 0), (2, 1), (4, 2), (7, 3), (9, 4), (11, 5), (13, 6), (41, 7), (69, 8), (90, 9))
SEED = 20261128
RUNS = 5
NETWORK_NAME = "Bench network"
USERNAME = "bench.viewer"


def _clinics() -> list[Clinic]:
    network, _ = Network.objects.get_or_create(name=NETWORK_NAME)
    clinics = []
    for prefix, name in (("BA", "Bench Alpha"), ("BB", "Bench Beta")):
        clinic, _ = Clinic.objects.get_or_create(
            network=network, name=name,
            defaults=dict(address_line1="1 Bench St", city="Los Angeles", postal_code="90001", phone="+1 310 555 0000",
                          mrn_prefix=prefix),
        )
        clinics.append(clinic)
    return clinics


def _viewer(clinics) -> User:
    user = User.objects.filter(username=USERNAME).first() or User.objects.create_user(USERNAME, password="bench-password-123")
    for clinic in clinics:
        Membership.objects.get_or_create(user=user, clinic=clinic, role=Role.CLINIC_ADMIN)
    return user


_SCORES = {total: instruments.score("PHQ-9", answers_for_total(total)) for total in range(0, 25)}


def _trajectory(rng: random.Random) -> list[int]:
    """Ten totals: a baseline of 10–24 and a course that remits, responds, partly responds or not."""
    baseline = rng.randint(10, 24)
    kind = rng.random()
    target = baseline * (0.15 if kind < 0.3 else 0.45 if kind < 0.6 else 0.7 if kind < 0.8 else 0.95)
    totals = []
    for index in range(PER_COURSE):
        share = min(1.0, index / 6)
        value = round(baseline - (baseline - target) * share + rng.uniform(-2, 2))
        if index >= 8 and kind < 0.1:  # a few lose their response in maintenance
            value = round(baseline * 0.8)
        totals.append(max(0, min(24, value)))
    totals[0] = baseline
    return totals


def _patient(clinic: Clinic, n: int) -> Patient:
    last = f"Bench{n:06d}"
    return Patient(
        clinic=clinic, mrn=f"{clinic.mrn_prefix}{n:07d}", legal_first_name="Synthetic", legal_last_name=last,
        date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=n % 9000), sex_at_birth="female",
        last_name_key=search_key(last), first_name_key="synthetic",
    )


def _response(course: TreatmentCourse, day: int, session: int, total: int, tz) -> QuestionnaireResponse:
    result = _SCORES[total]
    taken_on = course.started_on + dt.timedelta(days=day)
    return QuestionnaireResponse(
        patient_id=course.patient_id, clinic_id=course.clinic_id, course=course, instrument="PHQ-9", status="final",
        context="intake" if day == 0 else "pre-dose", answers=list(result.answers), total=result.total,
        severity=result.severity, flags=sorted(result.flags), rule_version=result.rule_version,
        loinc_panel="44249-1", loinc_total="44261-6", session_number=session,
        taken_at=dt.datetime.combine(taken_on, dt.time(9), tzinfo=tz), taken_on=taken_on,
    )


def seed(clinics) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    made = 0
    started = time.perf_counter()
    for first in range(0, COURSES, BATCH_COURSES):
        with transaction.atomic():
            numbers = range(first, min(COURSES, first + BATCH_COURSES))
            patients = Patient.objects.bulk_create([_patient(clinics[n % 2], n) for n in numbers], batch_size=1000)
            courses = []
            for patient in patients:
                started_on = today - dt.timedelta(days=rng.randint(20, 730))
                course = TreatmentCourse(
                    patient=patient, clinic_id=patient.clinic_id, route=rng.choice(["iv-ketamine", "iv-ketamine", "esketamine"]),
                    condition=rng.choice(["major-depression"] * 4 + ["bipolar-depression", "ptsd", "chronic-pain"]),
                    primary_scale="PHQ-9", started_on=started_on,
                    induction_completed_on=started_on + dt.timedelta(days=14) if rng.random() < 0.85 else None,
                    status="maintenance",
                )
                if course.induction_completed_on is None:
                    course.status, course.ended_on = "stopped", started_on + dt.timedelta(days=6)
                courses.append(course)
            TreatmentCourse.objects.bulk_create(courses, batch_size=1000)
            rows = []
            for course in courses:
                for (day, session), total in zip(SCHEDULE, _trajectory(rng)):
                    rows.append(_response(course, day, session, total, clinics[0].tz))
            QuestionnaireResponse.objects.bulk_create(rows, batch_size=2000)
            made += len(rows)
        if first % (BATCH_COURSES * 10) == 0:
            print(f"  seeded {made:,} responses ({time.perf_counter() - started:.0f} s)", flush=True)
    print(f"Seeded {made:,} responses in {COURSES:,} courses in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    services.rebuild_course_outcomes(TreatmentCourse.objects.filter(clinic__in=clinics))
    print(f"Rebuilt {COURSES:,} course outcome rows in {time.perf_counter() - started:.1f} s")


def _time_page(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm
    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reseed", action="store_true", help="delete the bench clinics' data and seed again")
    args = parser.parse_args()
    engine = connection.vendor
    print(f"Database: {engine} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    clinics = _clinics()
    have = QuestionnaireResponse.objects.filter(clinic__in=clinics).count()
    if args.reseed or have < RESPONSES:
        if have:
            print("Removing the previous bench data…")
            with transaction.atomic():  # raw deletes: a million rows, no cascade collection in Python
                for queryset in (CourseOutcome.objects.filter(course__clinic__in=clinics),
                                 QuestionnaireResponse.objects.filter(clinic__in=clinics),
                                 TreatmentCourse.objects.filter(clinic__in=clinics), Patient.objects.filter(clinic__in=clinics)):
                    queryset._raw_delete(connection.alias)
        seed(clinics)
    else:
        print(f"Using the {have:,} responses already seeded (--reseed to start again).")
    client = Client()
    viewer = _viewer(clinics)
    client.force_login(viewer)
    print(f"Outcomes page over {QuestionnaireResponse.objects.filter(clinic__in=clinics).count():,} responses, "
          f"{TreatmentCourse.objects.filter(clinic__in=clinics).count():,} courses; median of {RUNS} runs:")
    for label, url in (("this clinic", reverse("outcomes:report")),
                       ("network", reverse("outcomes:report") + "?scope=network"),
                       ("CSV export (network)", reverse("outcomes:report_csv") + "?scope=network"),
                       ("booster-review list", reverse("outcomes:booster_review") + "?scope=network")):
        seconds, queries = _time_page(client, url)
        print(f"  {label:<22} {seconds * 1000:8.0f} ms  {queries} queries")
    ids = [c.pk for c in clinics]
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = reports.clinic_induction_outcomes(ids)
        times.append(time.perf_counter() - started)
    print(f"  clinic_induction_outcomes (directory) {statistics.median(times) * 1000:.0f} ms: "
          f"{result['courses']:,} courses, response {result['response_rate']} %, remission {result['remission_rate']} %, "
          f"no follow-up {result['no_follow_up_share']} %")


if __name__ == "__main__":
    main()
