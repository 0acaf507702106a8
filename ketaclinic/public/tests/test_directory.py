import pytest
from django.urls import reverse

from conftest import make_clinic, make_patient
from ketaclinic.public.figures import OUTCOMES_MIN_COURSES
from ketaclinic.public.tests.conftest import complete_induction, list_clinic, make_review


def test_only_clinics_that_chose_to_be_listed_appear(client, listed_westside, pasadena):
    list_clinic(pasadena, listed=False)
    html = client.get("/guide/clinics/").content.decode()
    assert "Westside" in html and "Pasadena" not in html
    assert client.get(reverse("public:clinic", args=[pasadena.pk])).status_code == 404


def test_a_clinic_without_a_listing_is_not_in_the_directory(client, westside):
    assert client.get(reverse("public:clinic", args=[westside.pk])).status_code == 404
    assert "No clinic is listed yet." in client.get("/guide/clinics/").content.decode()


def test_a_zip_search_sorts_clinics_nearest_first_with_their_distance(client, listed_westside, listed_pasadena):
    html = client.post("/guide/clinics/", {"zip": "91106"}).content.decode()  # Pasadena
    assert html.index("Pasadena") < html.index("Westside")
    assert "2 clinics found, nearest first" in html and "miles away" in html
    html = client.post("/guide/clinics/", {"zip": "90025"}).content.decode()  # West LA
    assert html.index("Westside") < html.index("Pasadena")


def test_a_search_filters_by_distance_treatment_and_language(client, listed_westside, listed_pasadena):
    near = client.post("/guide/clinics/", {"zip": "90064", "within_miles": "10"}).content.decode()
    assert "1 clinic found" in near and ">Pasadena<" not in near
    spray = client.post("/guide/clinics/", {"zip": "90064", "route": "esketamine"}).content.decode()
    assert "1 clinic found" in spray and f'href="/guide/clinics/{listed_pasadena.pk}/"' in spray
    korean = client.post("/guide/clinics/", {"zip": "90064", "language": "ko"}).content.decode()
    assert "1 clinic found" in korean and f'href="/guide/clinics/{listed_westside.pk}/"' not in korean


def test_a_bad_zip_is_refused_naming_the_field(client, listed_westside):
    response = client.post("/guide/clinics/", {"zip": "00000"})
    assert response.status_code == 422
    assert "Your ZIP code: 00000 is not a US ZIP code we know." in response.content.decode()


def test_the_clinic_page_shows_credentials_rems_and_reviews_with_replies(client, listed_westside, patient, other_patient):
    make_review(listed_westside, patient, rating=5, reply_body="Thank you for writing.")
    make_review(listed_westside, other_patient, rating=4, n=1)
    html = client.get(reverse("public:clinic", args=[listed_westside.pk])).content.decode()
    assert "Dr. Test Lead, MD" in html and "board-certified" in html and "Anesthesiologist" in html
    assert "Certified" in html and "Pulse oximetry" in html
    assert "4.5</strong> out of 5 from 2 reviews" in html
    assert "Reply from Westside" in html and "Thank you for writing." in html
    assert patient.legal_last_name not in html and "Verified patient" in html


def test_pending_and_rejected_reviews_are_not_public(client, listed_westside, patient, other_patient):
    make_review(listed_westside, patient, status="pending", n=1)
    make_review(listed_westside, other_patient, status="rejected", n=2, rejection_reason="Names a nurse.")
    html = client.get(reverse("public:clinic", args=[listed_westside.pk])).content.decode()
    assert "Review 1" not in html and "Review 2" not in html and "No reviews yet" in html


def _fake_report(counts_by_clinic):
    def report(clinic_ids, **kwargs):
        (cid,) = clinic_ids
        courses, responders, remitters, lost = counts_by_clinic[cid]
        return {"courses": courses, "responders": responders, "remitters": remitters, "no_follow_up": lost}
    return report


def test_outcomes_are_hidden_below_the_minimum_count(client, monkeypatch, listed_westside):
    # 11 courses, 2 lost: 9 measured, one short of the minimum of 10.
    monkeypatch.setattr("ketaclinic.outcomes.reports.clinic_induction_outcomes", _fake_report({listed_westside.pk: (11, 7, 4, 2)}))
    html = client.get(reverse("public:clinic", args=[listed_westside.pk])).content.decode()
    assert f"results are shown once at least {OUTCOMES_MIN_COURSES} courses" in html
    assert "Responded" not in html and "%" not in html.split("h-outcomes")[1].split("</section>")[0]


def test_outcomes_at_the_minimum_show_counts_and_the_share_lost(client, monkeypatch, listed_westside):
    # 12 courses, 2 lost: 10 measured; response 7/10 = 70 %, remission 4/10 = 40 %, lost 2/12 = 16.7 -> 17 %.
    monkeypatch.setattr("ketaclinic.outcomes.reports.clinic_induction_outcomes", _fake_report({listed_westside.pk: (12, 7, 4, 2)}))
    html = client.get(reverse("public:clinic", args=[listed_westside.pk])).content.decode()
    assert "<strong>70%</strong> <span>7 of 10 measured courses" in html
    assert "<strong>40%</strong> <span>4 of 10 measured courses" in html
    assert "<strong>17%</strong> <span>2 of 12 courses had no end-of-series score" in html


def test_outcomes_come_from_the_clinics_own_measurements(client, listed_westside, listed_pasadena):
    """End to end with the measurement-based-care report: ten measured Westside courses, none at Pasadena."""
    for n in range(1, 11):
        complete_induction(make_patient(listed_westside, 100 + n), outcome_class="remission" if n <= 3 else
                           "response" if n <= 6 else "no-response")
    complete_induction(make_patient(listed_westside, 200), outcome_class="")  # no end-of-induction score
    html = client.get(reverse("public:clinic", args=[listed_westside.pk])).content.decode()
    # 11 courses, 1 lost, 10 measured: response (incl. remission) 6/10, remission 3/10, lost 1/11 = 9 %.
    assert "6 of 10 measured courses" in html and "3 of 10 measured courses" in html and "1 of 11 courses" in html
    html = client.get(reverse("public:clinic", args=[listed_pasadena.pk])).content.decode()
    assert "Not enough measured courses yet" in html


def test_compare_shows_two_or_three_clinics_side_by_side(client, listed_westside, listed_pasadena, network):
    third = make_clinic(network, "Third", "TH", postal_code="90210")
    list_clinic(third)
    fourth = make_clinic(network, "Fourth", "FO")
    list_clinic(fourth)
    ids = [listed_westside.pk, listed_pasadena.pk, third.pk, fourth.pk]
    html = client.get(reverse("public:compare"), {"clinic": ids}).content.decode()
    assert "3 clinics side by side" in html and ">Fourth</a></th>" not in html
    for name in ("Westside", "Pasadena", "Third"):
        assert f">{name}</a></th>" in html


def test_compare_asks_for_two_clinics_and_ignores_unlisted_ones(client, listed_westside, pasadena):
    html = client.get(reverse("public:compare"), {"clinic": [listed_westside.pk, pasadena.pk]}).content.decode()
    assert "Choose two or three clinics" in html and "side by side" not in html


@pytest.mark.parametrize("url_name", ["public:directory", "public:home"])
def test_public_pages_need_no_sign_in(client, db, url_name):
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("url_name", ["public:directory", "public:clinic"])
def test_directory_pages_cost_the_same_queries_for_5_and_50_reviews(client, listed_westside, listed_pasadena, url_name):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ketaclinic.public.models import Review

    url = reverse(url_name, args=[listed_westside.pk] if url_name == "public:clinic" else [])

    def count(n):
        Review.objects.all().delete()
        for i in range(n):
            make_review(listed_westside, make_patient(listed_westside, 1000 + i + 100 * n), n=i)
        cache.clear()  # measure a rendering, not a cache hit
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    assert count(5) == count(50)


def test_a_long_directory_is_paged_and_a_search_keeps_its_zip_on_the_next_page(client, network):
    for n in range(25):
        list_clinic(make_clinic(network, f"Clinic {n:02d}", "C", postal_code="90064" if n < 22 else "91101"))
    first = client.get("/guide/clinics/").content.decode()
    assert first.count('class="clinic-card"') == 20 and "Page 1 of 2" in first
    assert client.get("/guide/clinics/?page=2").content.decode().count('class="clinic-card"') == 5
    second = client.post("/guide/clinics/", {"zip": "91106", "page": "2"}).content.decode()
    assert "25 clinics found" in second and second.count('class="clinic-card"') == 5
    assert 'name="zip" value="91106"' in second  # the pager posts the search again, the ZIP stays out of the URL


def test_a_page_of_fifty_listed_clinics_fits_the_budget(client, network):
    from django.contrib.staticfiles import finders

    for n in range(50):
        list_clinic(make_clinic(network, f"A clinic with a long name, number {n:02d}", "C"))
    html = client.get("/guide/clinics/").content
    css = sum(len(open(finders.find(p), "rb").read()) for p in ("ketaclinic/site.css", "ketaclinic/public.css"))
    assert len(html) + css < 100 * 1024
