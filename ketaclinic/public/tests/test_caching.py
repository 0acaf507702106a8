from django.urls import reverse

from ketaclinic.public import services
from ketaclinic.public.tests.conftest import make_review


def test_a_public_page_is_served_from_the_cache_the_second_time(client, django_assert_num_queries, listed_westside):
    first = client.get("/guide/clinics/")
    assert first["X-Public-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get("/guide/clinics/")
    assert second["X-Public-Cache"] == "hit" and second.content == first.content


def test_the_cache_key_includes_the_language(client):
    english = client.get("/guide/faq/").content
    client.cookies["django_language"] = "es"
    spanish = client.get("/guide/faq/")
    assert spanish["X-Public-Cache"] == "miss" and spanish.content != english
    assert "Accept-Language" in spanish["Vary"] and "Cookie" in spanish["Vary"]


def test_publishing_a_review_shows_it_on_the_next_visit(
    client, django_capture_on_commit_callbacks, listed_westside, patient, admin
):
    review = make_review(listed_westside, patient, status="pending", rating=5)
    url = reverse("public:clinic", args=[listed_westside.pk])
    assert "Review 0" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_review(review, acting_user=admin)
    page = client.get(url)
    assert page["X-Public-Cache"] == "miss" and "Review 0" in page.content.decode()


def test_a_search_is_not_cached_and_the_zip_stays_out_of_the_url(client, listed_westside):
    response = client.post("/guide/clinics/", {"zip": "90064"})
    assert response.status_code == 200 and "X-Public-Cache" not in response
    assert "90064" not in response.wsgi_request.get_full_path()
