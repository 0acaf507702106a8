"""Patients who completed an induction review their clinic from the portal; nobody else can."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.public import services
from ketaclinic.public.models import Review
from ketaclinic.public.tests.conftest import complete_induction

GOOD = {"rating": "5", "title": "Careful and kind", "body": "They explained every step.", "language": "en",
        "no_identifying_details": "on"}
DATA = {"rating": 5, "title": "Careful and kind", "body": "They explained every step.", "language": "en"}


def test_a_review_from_someone_without_a_completed_induction_is_refused(client_for, pat, patient):
    response = client_for(pat).post(reverse("public:write_review"), GOOD)
    assert response.status_code == 422
    assert "completed an induction series" in response.content.decode()
    assert not Review.objects.exists()


def test_a_course_still_in_induction_does_not_qualify(pat, patient):
    course = complete_induction(patient)
    course.induction_completed_on = None
    course.save()
    with pytest.raises(ValidationError, match="completed an induction series"):
        services.submit_review(patient, data=DATA, acting_user=pat)


def test_the_portal_page_says_why_a_patient_cannot_review_yet(client_for, pat, patient):
    html = client_for(pat).get(reverse("public:write_review")).content.decode()
    assert "Not yet" in html and "Send my review" not in html


def test_a_patient_with_a_completed_induction_reviews_their_clinic(client_for, pat, patient):
    complete_induction(patient, on=dt.date(2026, 9, 15))
    response = client_for(pat).post(reverse("public:write_review"), GOOD)
    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.clinic_id, review.patient_id, review.author_id) == (patient.clinic_id, patient.pk, pat.pk)
    assert review.status == Review.Status.PENDING and review.induction_completed_on == dt.date(2026, 9, 15)
    event = AuditEvent.objects.get(object_type="review", action="create")
    assert event.patient_id == patient.pk and event.clinic_id == patient.clinic_id
    assert "explained" not in str(event.changes) + event.summary  # the review's text stays out of the audit trail


def test_the_review_form_names_each_missing_field(client_for, pat, patient):
    complete_induction(patient)
    html = client_for(pat).post(reverse("public:write_review"), {"language": "en"}).content.decode()
    for label in ("Your rating", "Title", "Your review"):
        assert f"{label}: This field is required." in html


def test_a_patient_has_one_live_review_per_clinic(pat, patient):
    complete_induction(patient)
    services.submit_review(patient, data=DATA, acting_user=pat)
    with pytest.raises(ValidationError, match="already have a review"):
        services.submit_review(patient, data=DATA, acting_user=pat)


def test_after_withdrawing_a_patient_may_write_again(client_for, pat, patient):
    complete_induction(patient)
    review = services.submit_review(patient, data=DATA, acting_user=pat)
    client = client_for(pat)
    assert client.post(reverse("public:withdraw_review", args=[review.pk])).status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.WITHDRAWN
    services.submit_review(patient, data=DATA, acting_user=pat)
    assert Review.objects.filter(status=Review.Status.PENDING).count() == 1


def test_nobody_reviews_for_someone_else(pat, quinn, other_patient, alice):
    complete_induction(other_patient)
    for user in (pat, alice):
        with pytest.raises(PermissionDenied):
            services.submit_review(other_patient, data=DATA, acting_user=user)


def test_a_patient_cannot_withdraw_another_patients_review(client_for, pat, quinn, other_patient):
    complete_induction(other_patient)
    review = services.submit_review(other_patient, data=DATA, acting_user=quinn)
    assert client_for(pat).post(reverse("public:withdraw_review", args=[review.pk])).status_code == 404
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING


@pytest.mark.parametrize("field, value, message", [
    ("rating", 6, "rating"), ("rating", 0, "rating"), ("title", "", "title"), ("body", "x" * 2001, "body"),
])
def test_out_of_range_input_is_refused_naming_the_field(pat, patient, field, value, message):
    complete_induction(patient)
    with pytest.raises(ValidationError) as caught:
        services.submit_review(patient, data={**DATA, field: value}, acting_user=pat)
    assert message in caught.value.message_dict
    assert not Review.objects.exists()


def test_staff_pages_and_the_portal_nav_offer_the_review_page(client_for, pat, patient):
    html = client_for(pat).get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("public:write_review")}"' in html and "Write a review" in html


def test_staff_cannot_open_the_portal_review_page(client_for, alice):
    assert client_for(alice).get(reverse("public:write_review")).status_code == 404
