"""How fast can monitors post vital signs? Readings per second through the HTTP API, from concurrent monitors,
against a real server, next to the rate of the same rows written straight to the database in the same run.

    .venv/bin/python bench/vitals_ingest.py                      # 8 monitors × 150 readings, gunicorn, temporary SQLite
    .venv/bin/python bench/vitals_ingest.py --monitors 16 --readings 100 --server runserver
    DATABASE_URL=postgres://…/kc_bench .venv/bin/python bench/vitals_ingest.py   # on PostgreSQL: a throw-away database

It makes a temporary SQLite database (or uses DATABASE_URL), migrates it, creates one clinic, one nurse and one
visit per monitor, each monitor with its own device token; starts gunicorn (or ``manage.py runserver --noreload``)
on a free port on 127.0.0.1; then every monitor, in its own thread, posts its readings one after another, each
with a fresh idempotency key, and retries every tenth one with the same key (the retry must come back 200 with the
same id and write nothing). Afterwards it checks that exactly one row per reading exists, then writes the same
number of rows straight to the database twice: through the same service the API calls (one transaction, alerts,
audit row each) and as plain ORM inserts. Every loop is bounded; the server is stopped at the end.
"""

import argparse
import datetime as dt
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEALTH_WAIT_S = 60  # the server must answer /health/ within this
RETRY_EVERY = 10  # every tenth reading is sent twice


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--monitors", type=int, default=8, help="concurrent monitors (threads), one visit each")
    parser.add_argument("--readings", type=int, default=150, help="readings each monitor posts")
    parser.add_argument("--server", choices=["gunicorn", "runserver"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(workdir: Path) -> dict:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env.update(DJANGO_SETTINGS_MODULE="ketaclinic.settings", DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
               SECRET_KEY="bench-only-" + uuid.uuid4().hex, SECURE_SSL_REDIRECT="0", LOG_LEVEL="WARNING")
    return env


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_fixtures(monitors: int):
    """A clinic, a nurse, one visit per monitor with its infusion running for an hour, and a device token each.
    (Monitors post mostly while dosing and in recovery; the phase is set directly, as fixture data.)"""
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from ketaclinic.accounts.models import ApiToken, Clinic, Membership, Network, User
    from ketaclinic.accounts.roles import Role
    from ketaclinic.patients.models import Patient
    from ketaclinic.visits.models import Visit
    from ketaclinic.visits.services import checkin

    call_command("migrate", verbosity=0)
    network = Network.objects.create(name="Bench network")
    clinic = Clinic.objects.create(network=network, name=f"Bench clinic {uuid.uuid4().hex[:6]}", address_line1="1 Main St",
                                   city="Los Angeles", postal_code="90001", phone="+1 310 555 0000")
    nurse = User.objects.create_user(f"bench-{uuid.uuid4().hex[:8]}", password=None, display_name="Bench Nurse")
    Membership.objects.create(user=nurse, clinic=clinic, role=Role.NURSE_RN)
    visits, tokens = [], []
    for n in range(monitors):
        patient = Patient.objects.create(
            clinic=clinic, mrn=f"B{n:06d}", legal_first_name="Bench", legal_last_name=f"Patient{n}", sex_at_birth="female",
            date_of_birth=datetime.date(1980, 1, 1), weight_kg=70, measured_on=datetime.date.today())
        visit = checkin.check_in(patient, route="iv-ketamine", acting_user=nurse)
        Visit.objects.filter(pk=visit.pk).update(status="dosing", dosing_started_at=timezone.now() - datetime.timedelta(hours=1))
        visits.append(Visit.objects.get(pk=visit.pk))
        tokens.append(ApiToken.issue(nurse, kind=ApiToken.Kind.DEVICE, name=f"monitor {n}")[1])
    return clinic, nurse, visits, tokens


def start_server(kind: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    python = sys.executable
    if kind == "gunicorn":
        command = [python, "-m", "gunicorn", "ketaclinic.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                   "--log-level", "warning"]
    else:
        command = [python, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + HEALTH_WAIT_S
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"The {kind} server did not answer on port {port} within {HEALTH_WAIT_S} s.")


def reading(n: int, started: dt.datetime) -> dict:
    return {
        "measured_at": (started - dt.timedelta(seconds=n)).isoformat(),  # all in the past: never "from the future"
        "systolic_mmhg": 118 + n % 30, "diastolic_mmhg": 74 + n % 12, "heart_rate_bpm": 68 + n % 20,
        "spo2_pct": 95 + n % 5, "respiratory_rate_per_min": 12 + n % 6, "device_label": "bench monitor",
    }


class MonitorThread(threading.Thread):
    def __init__(self, port: int, visit_id: int, token: str, count: int, started: dt.datetime):
        super().__init__(daemon=True)
        self.port, self.visit_id, self.token, self.count, self.started = port, visit_id, token, count, started
        self.latencies_s: list[float] = []
        self.stored, self.duplicates, self.failures = 0, 0, []

    def post(self, connection, body: dict) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
        began = time.perf_counter()
        connection.request("POST", f"/api/v1/visits/{self.visit_id}/readings", json.dumps(body), headers)
        response = connection.getresponse()
        payload = json.loads(response.read() or b"{}")
        self.latencies_s.append(time.perf_counter() - began)
        return response.status, payload

    def run(self):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        for n in range(self.count):
            body = {"idempotency_key": str(uuid.uuid4()), **reading(n, self.started)}
            status, payload = self.post(connection, body)
            if status != 201:
                self.failures.append((status, payload))
                continue
            self.stored += 1
            if n % RETRY_EVERY == 0:  # the answer "was lost": the monitor sends the same reading again
                again, retry = self.post(connection, body)
                if again == 200 and retry.get("id") == payload["id"] and retry.get("duplicate"):
                    self.duplicates += 1
                else:
                    self.failures.append((again, retry))
        connection.close()


def through_the_api(port: int, visits, tokens, per_monitor: int) -> dict:
    started = dt.datetime.now(dt.UTC)
    threads = [MonitorThread(port, v.pk, t, per_monitor, started) for v, t in zip(visits, tokens)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    latencies = sorted(x for t in threads for x in t.latencies_s)
    stored = sum(t.stored for t in threads)
    return {
        "stored": stored, "requests": len(latencies), "elapsed_s": elapsed, "per_s": stored / elapsed,
        "requests_per_s": len(latencies) / elapsed, "duplicates_answered": sum(t.duplicates for t in threads),
        "failures": [f for t in threads for f in t.failures],
        "p50_ms": 1000 * statistics.median(latencies), "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def straight_to_the_database(visits, nurse, per_monitor: int) -> dict:
    """The same number of rows, written in this process: through the service, then as plain ORM inserts."""
    from ketaclinic.visits.models import VitalReading
    from ketaclinic.visits.services import vitals

    started = dt.datetime.now(dt.UTC)
    values_of = {k: v for k, v in reading(0, started).items() if k not in ("measured_at", "device_label")}
    began = time.perf_counter()
    for visit in visits:
        for n in range(per_monitor):
            vitals.record_reading(visit, values=values_of, idempotency_key=f"svc-{uuid.uuid4()}",
                                  measured_at=started - dt.timedelta(seconds=n), acting_user=nurse, source="device")
    service_s = time.perf_counter() - began
    began = time.perf_counter()
    for visit in visits:
        for n in range(per_monitor):
            VitalReading.objects.create(visit=visit, measured_at=started - dt.timedelta(seconds=n), phase="pre-dose",
                                        source="device", idempotency_key=f"orm-{uuid.uuid4()}", payload_digest="-",
                                        recorded_by=nurse, **values_of)
    orm_s = time.perf_counter() - began
    rows = len(visits) * per_monitor
    return {"rows": rows, "service_per_s": rows / service_s, "orm_per_s": rows / orm_s}


def main() -> None:
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="kc-vitals-bench-") as workdir:
        env = environment(Path(workdir))
        setup_django(env)
        from django.db import connection

        clinic, nurse, visits, tokens = make_fixtures(args.monitors)
        connection.close()  # the server processes open their own connections
        port = free_port()
        server = start_server(args.server, port, args.workers, env)
        try:
            api = through_the_api(port, visits, tokens, args.readings)
        finally:
            server.terminate()
            server.wait(timeout=30)
        from ketaclinic.visits.models import VitalReading

        in_db = VitalReading.objects.filter(visit__clinic=clinic).count()
        direct = straight_to_the_database(visits, nurse, args.readings)
        report(args, env, api, in_db, direct)
        if "sqlite" not in env["DATABASE_URL"]:
            print("  (the bench's rows stay in that database: point DATABASE_URL at a throw-away one)")


def report(args, env, api, in_db, direct) -> None:
    engine = "SQLite (temporary file, WAL)" if "sqlite" in env["DATABASE_URL"] else "PostgreSQL"
    server = f"gunicorn, {args.workers} sync workers" if args.server == "gunicorn" else "runserver --noreload (threaded)"
    expected = args.monitors * args.readings
    print(f"vitals ingest: {args.monitors} monitors × {args.readings} readings, every {RETRY_EVERY}th sent twice; {server}; {engine}")
    print(f"  through the HTTP API   {api['per_s']:8.1f} readings/s   ({api['requests_per_s']:.1f} requests/s, "
          f"p50 {api['p50_ms']:.1f} ms, p95 {api['p95_ms']:.1f} ms, {api['elapsed_s']:.1f} s)")
    print(f"  straight to the DB     {direct['service_per_s']:8.1f} readings/s   (same service, no HTTP: transaction, alerts, audit row)")
    print(f"  plain ORM insert       {direct['orm_per_s']:8.1f} readings/s   (one INSERT per row, no checks, no audit)")
    print(f"  stored {in_db} rows for {expected} readings; {api['duplicates_answered']} retries answered 200 with the same id; "
          f"{len(api['failures'])} failures")
    if in_db != expected or api["failures"]:
        print(f"  FAILED: {api['failures'][:3]}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
