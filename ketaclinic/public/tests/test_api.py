"""/api/v1/public/: the directory is open to anyone; reviews and listings follow the same rules as the pages."""

from conftest import make_staff
from ketaclinic.accounts.models import ApiToken
from ketaclinic.accounts.roles import Role
from ketaclinic.public.models import Review
from ketaclinic.public.tests.conftest import complete_induction, make_review

REVIEW = {"rating": 4, "title": "Helpful", "body": "Clear and careful.", "language": "en"}


def test_anyone_reads_the_directory_without_a_token(api, listed_westside, listed_pasadena, patient):
    make_review(listed_westside, patient, rating=5)
    body = api(None)("get", "/public/clinics").json()
    assert [c["name"] for c in body["items"]] == ["Pasadena", "Westside"]
    westside = body["items"][1]
    assert westside["rems_certified"] and westside["rating"] == {"count": 1, "average": 5.0}
    assert westside["outcomes"]["min_courses"] == 10 and westside["outcomes"]["shown"] is False
    assert "legal_last_name" not in str(body) and patient.legal_last_name not in str(body)


def test_the_directory_search_is_nearest_first_and_names_a_bad_zip(api, listed_westside, listed_pasadena):
    call = api(None)
    found = call("post", "/public/clinics/search", {"zip": "91106"}).json()
    assert [c["name"] for c in found] == ["Pasadena", "Westside"] and found[0]["distance_miles"] < 5
    bad = call("post", "/public/clinics/search", {"zip": "1234"})
    assert bad.status_code == 422 and bad.json()["errors"] == {"zip": ["enter a 5-digit US ZIP code, for example 90064."]}


def test_a_clinic_and_its_published_reviews(api, listed_westside, patient, other_patient):
    make_review(listed_westside, patient, reply_body="Thanks")
    make_review(listed_westside, other_patient, status=Review.Status.PENDING, n=1)
    call = api(None)
    detail = call("get", f"/public/clinics/{listed_westside.pk}").json()
    assert detail["lead_name"] == "Dr. Test Lead, MD" and detail["about"] == "A calm clinic."
    reviews = call("get", f"/public/clinics/{listed_westside.pk}/reviews").json()["items"]
    assert [r["title"] for r in reviews] == ["Review 0"] and reviews[0]["reply_body"] == "Thanks"
    assert "status" not in reviews[0] and "induction_completed_on" not in reviews[0]


def test_an_unlisted_clinic_is_404(api, westside):
    assert api(None)("get", f"/public/clinics/{westside.pk}").status_code == 404


def test_a_patient_without_a_completed_induction_cannot_review_through_the_api(api, pat, patient):
    response = api(pat)("post", "/public/reviews", REVIEW)
    assert response.status_code == 422 and "completed an induction series" in response.json()["detail"]
    assert not Review.objects.exists()


def test_a_patient_with_a_completed_induction_reviews_through_the_api(api, pat, patient):
    complete_induction(patient)
    response = api(pat)("post", "/public/reviews", REVIEW)
    assert response.status_code == 201 and response.json()["status"] == "pending"


def test_staff_cannot_write_reviews(api, alice):
    assert api(alice)("post", "/public/reviews", REVIEW).status_code == 403


def test_a_moderator_publishes_rejects_and_replies(api, admin, westside, patient):
    review = make_review(westside, patient, status=Review.Status.PENDING)
    call = api(admin)
    assert call("post", f"/public/reviews/{review.pk}/publish").json()["status"] == "published"
    assert call("put", f"/public/reviews/{review.pk}/reply", {"body": "Thank you."}).json()["reply_body"] == "Thank you."
    short = call("post", f"/public/reviews/{review.pk}/reject", {"reason": "no"})
    assert short.status_code == 422 and "reason" in short.json()["errors"]
    done = call("post", f"/public/reviews/{review.pk}/reject", {"reason": "Names a member of staff."}).json()
    assert done["status"] == "rejected"


def test_there_is_no_endpoint_that_edits_a_review(api, admin, westside, patient):
    review = make_review(westside, patient, status=Review.Status.PENDING)
    for method in ("patch", "put"):
        assert api(admin)(method, f"/public/reviews/{review.pk}", {"body": "Edited"}).status_code == 405
    review.refresh_from_db()
    assert review.body == "Kind staff, careful monitoring."


def test_charlie_gets_404_on_every_westside_review_endpoint(api, charlie, westside, patient):
    review = make_review(westside, patient, status=Review.Status.PENDING)
    call = api(charlie)
    assert call("get", f"/public/reviews/{review.pk}").status_code == 404
    assert call("post", f"/public/reviews/{review.pk}/publish").status_code == 404
    assert call("post", f"/public/reviews/{review.pk}/reject", {"reason": "Not a good review."}).status_code == 404
    assert call("put", f"/public/reviews/{review.pk}/reply", {"body": "Hi"}).status_code == 404
    assert call("get", f"/public/reviews?clinic_id={westside.pk}").status_code == 404
    assert call("get", "/public/reviews").json()["items"] == []
    assert call("get", f"/public/listings/{westside.pk}").status_code == 404
    assert call("patch", f"/public/listings/{westside.pk}", {"listed": False}).status_code == 404


def test_a_nurse_gets_403_on_moderation(api, bob, westside, patient):
    review = make_review(westside, patient, status=Review.Status.PENDING)
    assert api(bob)("post", f"/public/reviews/{review.pk}/publish").status_code == 403


def test_a_patient_sees_only_their_own_reviews(api, pat, quinn, westside, patient, other_patient):
    mine = make_review(westside, patient, status=Review.Status.REJECTED, rejection_reason="Names a nurse.")
    theirs = make_review(westside, other_patient, status=Review.Status.PENDING, n=1)
    call = api(pat)
    items = call("get", "/public/reviews").json()["items"]
    assert [r["id"] for r in items] == [mine.pk] and items[0]["rejection_reason"] == "Names a nurse."
    assert call("get", f"/public/reviews/{theirs.pk}").status_code == 404
    assert call("post", f"/public/reviews/{theirs.pk}/withdraw").status_code == 404
    assert call("post", f"/public/reviews/{mine.pk}/publish").status_code == 403
    assert call("get", f"/public/listings/{westside.pk}").status_code == 404


def test_a_patient_withdraws_their_review(api, pat, westside, patient):
    review = make_review(westside, patient)
    assert api(pat)("post", f"/public/reviews/{review.pk}/withdraw").json()["status"] == "withdrawn"


def test_a_device_token_cannot_touch_reviews(api, admin, westside, patient):
    review = make_review(westside, patient, status=Review.Status.PENDING)
    device = api(admin, kind=ApiToken.Kind.DEVICE)
    assert device("post", f"/public/reviews/{review.pk}/publish").status_code == 403


def test_a_clinic_admin_reads_and_changes_the_listing(api, admin, westside):
    call = api(admin)
    assert call("get", f"/public/listings/{westside.pk}").json()["listed"] is False
    bad = call("patch", f"/public/listings/{westside.pk}", {"listed": True, "lead_name": "Dr. X", "lead_specialty": "psychiatry",
                                                           "routes": [], "languages": ["en"]})
    assert bad.status_code == 422 and "routes" in bad.json()["errors"]
    good = call("patch", f"/public/listings/{westside.pk}", {"listed": True, "lead_name": "Dr. X", "lead_specialty": "psychiatry",
                                                            "routes": ["iv-ketamine"], "languages": ["en"]})
    assert good.status_code == 200 and good.json()["listed"] is True


def test_a_physician_cannot_change_the_listing(api, alice, westside):
    assert api(alice)("patch", f"/public/listings/{westside.pk}", {"listed": True}).status_code == 403


def test_the_review_list_costs_the_same_queries_for_5_and_50_reviews(api, admin, westside):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from conftest import make_patient

    def count(n):
        call = api(admin)  # a fresh token each time: its first use also records when it was used
        Review.objects.all().delete()
        for i in range(n):
            make_review(westside, make_patient(westside, 300 + i + 100 * n), status=Review.Status.PENDING, n=i)
        with CaptureQueriesContext(connection) as ctx:
            assert len(call("get", "/public/reviews?limit=100").json()["items"]) == n
        return len(ctx)

    assert count(5) == count(50)


def test_a_pasadena_moderator_lists_only_pasadena(api, pasadena, pasadena_patient, westside, patient):
    make_review(westside, patient, status=Review.Status.PENDING)
    theirs = make_review(pasadena, pasadena_patient, status=Review.Status.PENDING, n=1)
    items = api(make_staff("padmin", pasadena, Role.CLINIC_ADMIN))("get", "/public/reviews").json()["items"]
    assert [r["id"] for r in items] == [theirs.pk]
