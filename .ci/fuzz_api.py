"""Fuzz the live API with schemathesis: no request may get a 500 or a response that does not match its schema.

Starts the app on 127.0.0.1 with a throw-away SQLite database holding the demo network, issues a personal API
token, and runs schemathesis against /api/v1/openapi.json with that token. Bounded: a fixed number of examples
per operation and a fixed seed, so the run is repeatable and stops by itself. Exit code: schemathesis's.
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "30"))
TOKEN_USER = "dr.chen"  # a physician at both demo clinics: reaches the most endpoints


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="kc-fuzz-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)},
        "DJANGO_SETTINGS_MODULE": "ketaclinic.settings", "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
        "SECRET_KEY": "fuzz-only-" + "x7Q!p2#Lm9@Zr4$" * 4, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{workdir / 'fuzz.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    token = subprocess.run([*manage, "create_api_token", TOKEN_USER, "--name", "fuzz"], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    port = free_port()
    server = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for line in server.stdout:  # wait for the server's own word that it is listening
            if "Quit the server with" in line:
                break
        # Keep draining the server's request log, or its pipe fills and the server blocks mid-request.
        log = open(workdir / "server.log", "w")
        threading.Thread(target=lambda: [log.write(line) for line in server.stdout], daemon=True).start()
        result = subprocess.run([
            str(Path(PY).parent / "schemathesis"), "run", f"http://127.0.0.1:{port}/api/v1/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "not_a_server_error,response_schema_conformance",
            "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", "20261128", "--workers", "1",
            "--phases", "examples,coverage,fuzzing", "--request-timeout", "30", "--no-color",
        ], env=env)
        if result.returncode:
            print(f"server log: {workdir / 'server.log'}")
        return result.returncode
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
