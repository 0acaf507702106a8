import datetime as dt

import time_machine
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.urls import reverse

import ketaclinic.settings as production_settings
from ketaclinic.accounts.models import AuditEvent


def sign_in(client, username, password="correct-horse-battery", url="accounts:sign_in"):
    return client.post(reverse(url), {"username": username, "password": password})


def test_it_shows_the_sign_in_page(client):
    response = client.get(reverse("accounts:sign_in"))
    assert response.status_code == 200 and 'autocomplete="current-password"' in response.text


def test_staff_land_on_the_patient_list_and_the_sign_in_is_audited(client, alice):
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert client.get(reverse("core:home"))["Location"] == reverse("patients:list")
    assert AuditEvent.objects.filter(action="sign_in", actor=alice).exists()


def test_patients_land_in_their_portal(client, pat):
    sign_in(client, "pat", url="portal:sign_in")
    assert client.get(reverse("core:home"))["Location"] == reverse("portal:home")


def test_a_wrong_password_says_so_without_saying_which_part(client, alice):
    response = sign_in(client, "alice", "wrong-password")
    assert response.status_code == 200 and "did not match" in response.text


def test_it_locks_the_sign_in_after_five_failures(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "wrong-password")
    locked = sign_in(client, "alice")  # even the right password is refused now
    assert locked.status_code == 429 and "locked for 15 minutes" in locked.text


def test_production_hashes_passwords_with_argon2():
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hashed = make_password("correct-horse-battery", hasher="argon2")
    assert identify_hasher(hashed).algorithm == "argon2" and hashed.startswith("argon2$argon2id$")


def test_a_staff_session_ends_after_15_idle_minutes(client, alice):
    with time_machine.travel(dt.datetime(2026, 11, 28, 9, 0, tzinfo=dt.timezone.utc), tick=False) as clock:
        sign_in(client, "alice")
        clock.shift(dt.timedelta(minutes=14))
        assert client.get(reverse("patients:list")).status_code == 200  # activity pushes the expiry on
        clock.shift(dt.timedelta(minutes=14))
        assert client.get(reverse("patients:list")).status_code == 200
        clock.shift(dt.timedelta(minutes=15, seconds=1))
        response = client.get(reverse("patients:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:sign_in"))


def test_signing_out_needs_a_post(client_for, alice):
    client = client_for(alice)
    client.get(reverse("accounts:sign_out"))
    assert client.get(reverse("patients:list")).status_code == 200
    client.post(reverse("accounts:sign_out"))
    assert client.get(reverse("patients:list")).status_code == 302
