import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ketaclinic import env

ROOT = Path(__file__).resolve().parents[3]


def test_env_example_lists_exactly_what_settings_read():
    example = {
        line.split("=", 1)[0].lstrip("# ").strip()
        for line in (ROOT / ".env.example").read_text().splitlines()
        if re.match(r"^#?\s*[A-Z_]+=", line)
    }
    assert example == env.NAMES_READ


def test_a_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("KC_TEST_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="KC_TEST_FLAG"):
        env.env_bool("KC_TEST_FLAG", False)
    env.NAMES_READ.discard("KC_TEST_FLAG")


def test_production_needs_a_secret_key():
    result = _manage(["check"], {"DEBUG": "0", "SECRET_KEY": None})
    assert result.returncode != 0 and "Set the environment variable SECRET_KEY" in result.stderr


def test_the_production_configuration_passes_check_deploy():
    result = _manage(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {"DEBUG": "0", "SECRET_KEY": "k" * 20 + "Zq8#vL2@pX9!rT4$wB7^yN1&" + "m" * 20, "ALLOWED_HOSTS": "clinic.example.org"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def _manage(args, overrides):
    environment = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    for key, value in overrides.items():
        if value is None:
            environment.pop(key, None)
        else:
            environment[key] = value
    environment["DJANGO_SETTINGS_MODULE"] = "ketaclinic.settings"
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_the_stylesheet_is_served(client):
    response = client.get("/static/ketaclinic/site.css")
    assert response.status_code == 200 and b"--brand" in b"".join(response.streaming_content)
