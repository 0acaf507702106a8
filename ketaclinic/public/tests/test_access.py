"""charlie (Pasadena) never reaches Westside's reviews or listing; patients reach only their own reviews."""

import pytest
from django.urls import reverse

from conftest import make_staff
from ketaclinic.accounts.roles import Role

from ketaclinic.public.models import Review
from ketaclinic.public.tests.conftest import make_review

STAFF_PAGES = ["public:moderation_queue", "public:listing_edit"]


@pytest.fixture
def westside_review(westside, patient):
    return make_review(westside, patient, status=Review.Status.PENDING)


def test_charlie_gets_404_on_a_westside_review(client_for, charlie, westside_review):
    client = client_for(charlie)
    url = reverse("public:moderate", args=[westside_review.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "publish"}).status_code == 404
    westside_review.refresh_from_db()
    assert westside_review.status == Review.Status.PENDING


def test_a_pasadena_moderator_sees_only_pasadena_reviews(client_for, westside_review, pasadena, pasadena_patient):
    make_review(pasadena, pasadena_patient, status=Review.Status.PENDING, n=7)
    client = client_for(make_staff("padmin", pasadena, Role.CLINIC_ADMIN))
    html = client.get(reverse("public:moderation_queue")).content.decode()
    assert "Review 7" in html and "Review 0" not in html
    assert client.get(reverse("public:moderate", args=[westside_review.pk])).status_code == 404


def test_charlie_has_no_moderation_role(client_for, charlie):
    assert client_for(charlie).get(reverse("public:moderation_queue")).status_code == 403


def test_a_role_without_review_moderate_gets_403(client_for, bob, westside_review):
    client = client_for(bob)
    assert client.get(reverse("public:moderation_queue")).status_code == 403
    assert client.get(reverse("public:moderate", args=[westside_review.pk])).status_code == 403


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_patients_and_strangers_never_reach_staff_pages(client, client_for, pat, name):
    assert client.get(reverse(name)).status_code == 302  # to sign-in
    assert client_for(pat).get(reverse(name)).status_code == 404


def test_patients_never_reach_the_moderation_page(client_for, pat, westside_review):
    assert client_for(pat).get(reverse("public:moderate", args=[westside_review.pk])).status_code == 404


def test_only_clinic_edit_may_change_the_listing(client_for, admin, alice):
    assert client_for(admin).get(reverse("public:listing_edit")).status_code == 200
    assert client_for(alice).get(reverse("public:listing_edit")).status_code == 403
