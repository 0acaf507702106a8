"""The public site: page weight (HTML + CSS) of every public page, and the time to serve a page from the cache
and to render it afresh, with 50 listed clinics and 200 published reviews on one of them.

    .venv/bin/python bench/public_pages.py                       # SQLite file var/bench_public.sqlite3
    DATABASE_URL=postgres://... .venv/bin/python bench/public_pages.py

Requests go through Django's test client (the whole middleware stack, no network) with DEBUG off, so templates
are compiled once as in production. The database is filled once.
"""

import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Production settings with DEBUG off (templates cached as in production), minus HTTPS and the static manifest.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketaclinic.settings_test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_public.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from ketaclinic.accounts.models import Clinic, Network  # noqa: E402
from ketaclinic.patients.models import Patient  # noqa: E402
from ketaclinic.public import services  # noqa: E402
from ketaclinic.public.guide import TOPICS  # noqa: E402
from ketaclinic.public.models import Review  # noqa: E402

CLINICS = 50
REVIEWS = 200
RUNS = 30
ZIPS = ["90064", "91101", "90025", "90210", "90012", "91505", "90401", "90802", "91203", "90703"]
LISTING = dict(listed=True, lead_name="Dr. Bench, MD", lead_specialty="psychiatry", lead_board_certified=True,
               equipment=["pulse-oximetry", "automatic-bp", "ecg"], routes=["iv-ketamine", "esketamine"],
               languages=["en", "es"], first_consultation_wait_days=7)


def fill() -> Clinic:
    network, _ = Network.objects.get_or_create(name="Bench network (public)")
    clinics = list(Clinic.objects.filter(network=network).order_by("pk"))
    for n in range(len(clinics), CLINICS):
        clinic = Clinic.objects.create(network=network, name=f"Bench clinic {n:02d}", address_line1=f"{n} Main St",
                                       city="Los Angeles", postal_code=ZIPS[n % len(ZIPS)], phone="+1 310 555 0100",
                                       mrn_prefix="B")
        services.save_listing(clinic, data=LISTING, acting_user=None)
        clinics.append(clinic)
    first = clinics[0]
    for n in range(Review.objects.filter(clinic=first).count(), REVIEWS):
        patient = Patient.objects.create(
            clinic=first, mrn=f"B{n:06d}", legal_first_name="Bench", legal_last_name=f"Reviewer{n}",
            date_of_birth=dt.date(1980, 1, 1), sex_at_birth="female", weight_kg=Decimal("70"))
        Review.objects.create(clinic=first, patient=patient, rating=1 + n % 5, title=f"Review {n}", body="Careful staff. " * 20,
                              induction_completed_on=dt.date(2026, 9, 1), status=Review.Status.PUBLISHED,
                              reply_body="Thank you." if n % 3 == 0 else "")
    return first


def css_bytes(html: bytes) -> int:
    import re

    return sum(len(open(finders.find(p.decode()), "rb").read()) for p in re.findall(rb'href="/static/([^"]+\.css)"', html))


def median_ms(client: Client, url: str, *, cold: bool) -> float:
    times = []
    for _ in range(RUNS):
        if cold:
            cache.clear()
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    first = fill()
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client()
    urls = ["/guide/", *[f"/guide/{t.slug}/" for t in TOPICS], "/guide/clinics/", f"/guide/clinics/{first.pk}/",
            f"/guide/clinics/compare/?clinic={first.pk}&clinic={first.pk + 1}&clinic={first.pk + 2}"]
    print(f"{'page':<48} {'HTML+CSS KB':>11} {'fresh ms':>9} {'cached ms':>10}")
    for url in urls:
        html = client.get(url).content
        weight_kb = (len(html) + css_bytes(html)) / 1024
        print(f"{url:<48} {weight_kb:>11.1f} {median_ms(client, url, cold=True):>9.2f} {median_ms(client, url, cold=False):>10.2f}")
    cache.clear()
    start = time.perf_counter()
    for _ in range(RUNS):
        client.post("/guide/clinics/", {"zip": "90064", "within_miles": "25"})
    print(f"ZIP search over {CLINICS} clinics (cards cached): {(time.perf_counter() - start) * 1000 / RUNS:.2f} ms mean")
    print(f"median of {RUNS} runs; database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")


if __name__ == "__main__":
    main()
