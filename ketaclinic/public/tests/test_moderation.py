"""Staff with review.moderate publish, decline with a reason, and reply; they never change the patient's words."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.public import services
from ketaclinic.public.models import Review
from ketaclinic.public.tests.conftest import make_review


@pytest.fixture
def pending(westside, patient):
    return make_review(westside, patient, status=Review.Status.PENDING, rating=3)


def test_a_moderator_publishes_a_review(client_for, admin, pending):
    response = client_for(admin).post(reverse("public:moderate", args=[pending.pk]), {"action": "publish"})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == Review.Status.PUBLISHED and pending.moderated_by == admin
    event = AuditEvent.objects.get(object_type="review", action="update")
    assert event.changes["status"] == ["pending", "published"] and event.actor == admin


def test_a_moderator_declines_with_a_reason_the_patient_sees(client_for, admin, pat, pending):
    reason = "It names a member of staff."
    client_for(admin).post(reverse("public:moderate", args=[pending.pk]), {"action": "reject", "reason": reason})
    pending.refresh_from_db()
    assert pending.status == Review.Status.REJECTED and pending.rejection_reason == reason
    html = client_for(pat).get(reverse("public:write_review")).content.decode()
    assert reason in html and "Not published" in html


def test_declining_without_a_reason_is_refused_naming_the_field(client_for, admin, pending):
    response = client_for(admin).post(reverse("public:moderate", args=[pending.pk]), {"action": "reject", "reason": ""})
    assert response.status_code == 422 and "Why is it not published?: This field is required." in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        services.reject_review(pending, reason="short", acting_user=admin)
    assert "reason" in caught.value.message_dict
    pending.refresh_from_db()
    assert pending.status == Review.Status.PENDING


def test_a_published_review_can_be_taken_down_with_a_reason(admin, westside, patient):
    review = make_review(westside, patient)
    services.reject_review(review, reason="Describes another patient.", acting_user=admin)
    review.refresh_from_db()
    assert review.status == Review.Status.REJECTED


def test_the_clinic_replies_under_a_published_review(client_for, admin, westside, patient):
    review = make_review(westside, patient)
    client_for(admin).post(reverse("public:moderate", args=[review.pk]), {"action": "reply", "reply_body": "Thank you."})
    review.refresh_from_db()
    assert review.reply_body == "Thank you." and review.replied_by == admin and review.replied_at is not None
    assert AuditEvent.objects.filter(object_type="review", summary="Clinic reply added").exists()
    services.reply_to_review(review, body="", acting_user=admin)
    review.refresh_from_db()
    assert review.reply_body == "" and review.replied_at is None


def test_a_reply_waits_until_the_review_is_published(admin, pending):
    with pytest.raises(ValidationError) as caught:
        services.reply_to_review(pending, body="Thanks", acting_user=admin)
    assert "reply_body" in caught.value.message_dict


def test_moderators_cannot_edit_what_the_patient_wrote(client_for, admin, pending):
    before = (pending.title, pending.body, pending.rating)
    client = client_for(admin)
    for action in ("publish", "reply"):
        client.post(reverse("public:moderate", args=[pending.pk]),
                    {"action": action, "title": "Changed", "body": "Changed", "rating": "5", "reply_body": "Hi"})
    pending.refresh_from_db()
    assert (pending.title, pending.body, pending.rating) == before
    html = client.get(reverse("public:moderate", args=[pending.pk])).content.decode()
    assert 'name="body"' not in html and 'name="title"' not in html and 'name="rating"' not in html


def test_withdrawn_reviews_cannot_be_published(admin, westside, patient):
    review = make_review(westside, patient, status=Review.Status.WITHDRAWN)
    with pytest.raises(ValidationError, match="cannot be published"):
        services.publish_review(review, acting_user=admin)


def test_the_queue_lists_the_active_clinics_reviews_by_status(client_for, admin, westside, patient, other_patient):
    make_review(westside, patient, status=Review.Status.PENDING, n=1)
    make_review(westside, other_patient, status=Review.Status.PUBLISHED, n=2)
    client = client_for(admin)
    pending_page = client.get(reverse("public:moderation_queue")).content.decode()
    assert "Review 1" in pending_page and "Review 2" not in pending_page
    assert "Review 2" in client.get(reverse("public:moderation_queue"), {"status": "published"}).content.decode()


def test_the_queue_costs_the_same_queries_for_5_and_50_reviews(client_for, admin, westside, django_assert_num_queries):
    from conftest import make_patient

    client = client_for(admin)

    def count(n):
        Review.objects.all().delete()
        for i in range(n):
            make_review(westside, make_patient(westside, 500 + i + n * 100), status=Review.Status.PENDING, n=i)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("public:moderation_queue")).status_code == 200
        return len(ctx)

    assert count(5) == count(50)


def test_the_staff_nav_offers_reviews_to_moderators_only(client_for, admin, alice):
    assert f'href="{reverse("public:moderation_queue")}"' in client_for(admin).get(reverse("patients:list")).content.decode()
    nurse_page = client_for(make_staff("nina", admin.memberships.first().clinic, Role.NURSE_RN)).get(reverse("patients:list"))
    assert f'href="{reverse("public:moderation_queue")}"' not in nurse_page.content.decode()
