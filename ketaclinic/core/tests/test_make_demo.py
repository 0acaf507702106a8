"""`make demo` migrates, seeds and serves the sign-in page (the README's first command, run for real)."""

import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_demo_serves_the_sign_in_page(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    server = subprocess.Popen(
        ["make", "demo", f"PORT={port}"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    output = []
    try:
        for line in server.stdout:  # read until the server says it is listening (or make exits)
            output.append(line)
            if "Quit the server with" in line:
                break
        printed = "".join(output)
        assert "dr.reyes" in printed and "demo-ketaclinic-2026" in printed, printed
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/sign-in/", timeout=30) as response:
            page = response.read().decode()
        assert response.status == 200 and "Staff sign-in" in page
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
