"""Consultation requests from the public: validated, audited, and protected against spam without third parties."""

import time

import pytest
import time_machine
from django.core.cache import cache

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.intake import spam
from ketaclinic.intake.forms.public import sign_screen_summary
from ketaclinic.intake.models import ConsultationRequest
from ketaclinic.intake.tests.public_helpers import consultation_post, old_stamp, screen_post

URL = "/intake/consultation/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_a_request_lands_in_the_clinics_queue_with_an_audit_row(client, westside):
    response = client.post(URL, consultation_post(westside, message="Evenings are best."))
    assert response.status_code == 302 and response["Location"] == f"/intake/consultation/thanks/?clinic={westside.pk}"
    request = ConsultationRequest.objects.get()
    assert (request.clinic, request.status, request.first_name, request.language) == (westside, "new", "Dana", "en")
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.clinic_id) == (
        "create", "consultation_request", str(request.pk), westside.pk)
    assert "Dana" not in event.summary  # the name is in the request, not copied into the trail
    thanks = client.get(response["Location"]).content.decode()
    assert "Westside will contact you" in thanks


def test_a_clinic_can_be_preselected_by_id(client, westside, pasadena):
    text = client.get(f"{URL}?clinic={pasadena.pk}").content.decode()
    assert f'<option value="{pasadena.pk}" selected>' in text
    assert "selected>" not in client.get(f"{URL}?clinic=99999").content.decode().split("Choose a clinic")[1][:60]


@pytest.mark.parametrize("changes, field, message", [
    ({"phone": "", "email": ""}, "phone", "Give a phone number or an email address"),
    ({"contact_method": "email", "email": ""}, "email", "Give an email address, or choose a phone call or text."),
    ({"first_name": ""}, "first_name", "This field is required."),
    ({"email": "not-an-email", "contact_method": "email"}, "email", "Enter a valid email address."),
    ({"agree_to_contact": ""}, "agree_to_contact", "Tick this box so the clinic may contact you."),
])
def test_bad_input_names_the_field_and_nothing_is_saved(client, westside, changes, field, message):
    response = client.post(URL, consultation_post(westside, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not ConsultationRequest.objects.exists() and not AuditEvent.objects.exists()


def test_the_honeypot_looks_like_success_but_keeps_nothing(client, westside):
    response = client.post(URL, consultation_post(westside, website="http://spam.example"))
    assert response.status_code == 302 and "thanks" in response["Location"]
    assert not ConsultationRequest.objects.exists()


def test_a_form_sent_faster_than_a_person_can_fill_it_is_refused_then_accepted_later(client, westside):
    with time_machine.travel(time.time(), tick=False) as clock:
        stamp = client.get(URL).context["form"].initial["form_stamp"]
        clock.shift(1)
        response = client.post(URL, consultation_post(westside, form_stamp=stamp))
        assert response.status_code == 422
        assert "That was very fast" in response.content.decode()
        assert not ConsultationRequest.objects.exists()
        clock.shift(spam.MIN_FILL_S)
        assert client.post(URL, consultation_post(westside, form_stamp=stamp)).status_code == 302
    assert ConsultationRequest.objects.count() == 1


def test_a_form_left_open_too_long_or_with_a_forged_stamp_is_refused(client, westside):
    expired = client.post(URL, consultation_post(westside, form_stamp=old_stamp(spam.MAX_FORM_AGE_S + 5)))
    forged = client.post(URL, consultation_post(westside, form_stamp="1700000000"))
    assert "open too long" in expired.content.decode()
    assert "could not be checked" in forged.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_requests_are_rate_limited_per_address_hash(client, westside):
    for n in range(spam.CONSULTATION_LIMIT.limit):
        assert client.post(URL, consultation_post(westside, first_name=f"Dana{n}")).status_code == 302
    assert client.post(URL, consultation_post(westside, first_name="Flood")).status_code == 429
    assert client.post(URL, consultation_post(westside, first_name="Neighbour"), REMOTE_ADDR="198.51.100.7").status_code == 302
    assert not ConsultationRequest.objects.filter(first_name="Flood").exists()
    keys = list(cache._cache.keys())
    assert keys and not any("127.0.0.1" in key or "198.51.100.7" in key for key in keys)


def test_the_self_screen_result_is_kept_only_when_shared(client, westside):
    result_form = client.post("/intake/self-screen/", screen_post()).context["consultation_form"]
    token = result_form.initial["screen"]
    client.post(URL, consultation_post(westside, screen=token, share_screen="on"))
    client.post(URL, consultation_post(westside, first_name="Private", screen=token))
    shared, private = ConsultationRequest.objects.order_by("pk")
    assert (shared.self_screen_outcome, shared.self_screen_phq9_total) == ("worth-consultation", 16)
    assert (private.self_screen_outcome, private.self_screen_phq9_total) == ("", None)


def test_a_tampered_self_screen_token_is_ignored(client, westside):
    client.post(URL, consultation_post(westside, screen="forged:token", share_screen="on"))
    assert ConsultationRequest.objects.get().self_screen_outcome == ""


def test_spanish_visitors_requests_are_marked_spanish(client, westside):
    client.post(URL, consultation_post(westside), HTTP_ACCEPT_LANGUAGE="es")
    assert ConsultationRequest.objects.get().language == "es"


def test_sign_screen_summary_round_trips(db):
    from ketaclinic.clinical.selfscreen import SelfScreenAnswers, self_screen
    from ketaclinic.intake.forms.public import read_screen_summary

    result = self_screen(SelfScreenAnswers(True, (0,) * 9, frozenset(), 0, False))
    assert read_screen_summary(sign_screen_summary(result)) == {"self_screen_outcome": "talk-to-doctor",
                                                               "self_screen_phq9_total": 0}
