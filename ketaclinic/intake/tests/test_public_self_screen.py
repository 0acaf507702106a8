"""The public self-screen: no account, a non-diagnostic result, nothing identifying kept."""

import pytest
from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.intake import spam
from ketaclinic.intake.models import ConsultationRequest, SelfScreenTally
from ketaclinic.intake.tests.public_helpers import screen_post

URL = "/intake/self-screen/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


def test_the_url_names_other_areas_link_to(db):
    assert reverse("intake:self_screen") == URL
    assert reverse("intake:consultation_request") == "/intake/consultation/"


def test_it_asks_the_phq9_in_the_instruments_wording_without_an_account(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Little interest or pleasure in doing things" in text
    assert "Thoughts that you would be better off dead or of hurting yourself in some way" in text
    assert "not a diagnosis" in text and "988" in text


def test_worth_a_consultation_is_shown_and_only_an_anonymous_count_is_kept(client, db):
    response = client.post(URL, screen_post())
    text = response.content.decode()
    assert response.status_code == 200
    assert "A consultation may be worth it" in text
    assert "add up to 16 out of 27" in text  # 8 items × 2 + item 9 × 0
    assert "This is not a diagnosis" in text
    assert ConsultationRequest.objects.count() == 0 and AuditEvent.objects.count() == 0
    tally = SelfScreenTally.objects.get()
    assert (tally.outcome, tally.language, tally.count) == ("worth-consultation", "en", 1)
    assert [f.name for f in SelfScreenTally._meta.get_fields()] == ["id", "day", "outcome", "language", "count"]


def test_no_session_or_log_of_the_visitor_is_kept(client, db, caplog):
    from django.contrib.sessions.models import Session

    with caplog.at_level("DEBUG"):
        client.post(URL, screen_post(flags=["psychosis"]))
    assert Session.objects.count() == 0
    assert "psychosis" not in caplog.text


def test_a_second_screen_adds_to_the_same_count(client, db):
    client.post(URL, screen_post())
    client.post(URL, screen_post())
    assert SelfScreenTally.objects.get().count == 2


def test_talk_to_your_doctor_first_says_why_in_plain_words(client, db):
    text = client.post(URL, screen_post(flags=["psychosis"])).content.decode()
    assert "Talk to your doctor first" in text
    assert "A history of psychosis usually rules out ketamine treatment." in text
    assert SelfScreenTally.objects.get().outcome == "talk-to-doctor"


def test_thoughts_of_self_harm_show_crisis_resources_first(client, db):
    text = client.post(URL, screen_post(phq9_9="1")).content.decode()
    assert text.index("Please reach out for support now") < text.index("Ask a clinic for a consultation")
    assert 'href="tel:988"' in text and "911" in text
    assert SelfScreenTally.objects.get().outcome == "crisis"


def test_the_result_page_offers_the_consultation_form_with_the_result_signed_in(client, db):
    text = client.post(URL, screen_post()).content.decode()
    assert 'action="/intake/consultation/"' in text
    assert 'name="screen"' in text and "Share my self-screen result with the clinic" in text


def test_a_missing_answer_is_named_and_nothing_is_counted(client, db):
    data = screen_post()
    del data["phq9_4"]
    response = client.post(URL, data)
    assert response.status_code == 422
    assert "Choose an answer for this question." in response.content.decode()
    assert not SelfScreenTally.objects.exists()


def test_it_is_rate_limited_per_address(client, db, monkeypatch):
    monkeypatch.setattr(spam.SELF_SCREEN_LIMIT, "limit", 2)
    assert client.post(URL, screen_post()).status_code == 200
    assert client.post(URL, screen_post()).status_code == 200
    assert client.post(URL, screen_post()).status_code == 429
    assert client.post(URL, screen_post(), REMOTE_ADDR="203.0.113.9").status_code == 200
    assert SelfScreenTally.objects.get().count == 3
