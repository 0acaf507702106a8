import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse

from ketaclinic.public.guide import LANGUAGES, TOPICS

# A Lighthouse-style budget for what a visitor downloads to read a page: its HTML and its stylesheets.
pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 100 * 1024
PAGE_URLS = ["/guide/", *[f"/guide/{t.slug}/" for t in TOPICS], "/guide/clinics/", "/guide/clinics/compare/"]


def spanish(client):
    client.cookies["django_language"] = "es"
    return client


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.slug)
def test_every_topic_is_written_in_every_language(topic, language):
    get_template(f"public/guide/{language}/{topic.slug}.html")


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.slug)
def test_every_topic_names_its_sources_in_clinical_md(client, topic):
    for lang, heading in (("en", "Sources"), ("es", "Fuentes")):
        client.cookies["django_language"] = lang
        html = client.get(f"/guide/{topic.slug}/").content.decode()
        sources = html[html.index(f">{heading}</h2>"):]
        assert "clinical.md §" in sources


def test_the_guide_reads_in_spanish(client):
    html = spanish(client).get("/guide/how-it-works/").content.decode()
    assert '<html lang="es">' in html
    assert "Cómo se cree que funciona" in html and "receptor NMDA" in html
    assert "How it is thought to work" not in html


def test_the_guide_reads_in_english_by_default(client):
    html = client.get("/guide/costs/").content.decode()
    assert '<html lang="en">' in html and "$400–$800 per infusion" in html


@pytest.mark.parametrize("url", PAGE_URLS)
def test_every_public_page_shows_crisis_lines_in_both_languages(client, url):
    english = client.get(url).content.decode()
    assert 'href="tel:988"' in english and 'href="tel:911"' in english and "Crisis Lifeline" in english
    client.cookies["django_language"] = "es"
    assert 'href="tel:988"' in client.get(url).content.decode()


def _resolvable(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@pytest.mark.parametrize("url", PAGE_URLS)
def test_every_public_page_links_to_the_next_steps(client, url):
    html = client.get(url).content.decode()
    assert reverse("public:directory") in html
    for name in ("intake:self_screen", "billing:estimate", "intake:consultation_request"):
        target = _resolvable(name)
        if target is not None:  # pages must not break while another area builds its page
            assert f'href="{target}' in html, name


@pytest.mark.parametrize("url", PAGE_URLS)
def test_every_public_page_fits_the_budget_and_loads_no_script(client, url):
    html = client.get(url).content
    stylesheets = re.findall(rb'<link rel="stylesheet" href="/static/([^"]+)"', html)
    css_bytes = sum(len(open(finders.find(path.decode()), "rb").read()) for path in stylesheets)
    assert stylesheets and len(html) + css_bytes < PAGE_BUDGET_BYTES
    assert b"<script" not in html
    assert not re.search(rb'(src|href)="https?://', html)  # nothing fetched from another site


def test_an_unknown_topic_is_404(client):
    assert client.get("/guide/no-such-topic/").status_code == 404


def test_a_page_says_nothing_about_the_visitor(client, pat, patient):
    client.force_login(pat)
    html = client.get("/guide/faq/").content.decode()
    assert patient.legal_last_name not in html and patient.mrn not in html and "csrfmiddlewaretoken" not in html


def test_the_language_switch_sets_the_language_and_stays_on_the_page(client):
    response = client.post("/guide/language/", {"language": "es", "next": "/guide/faq/"})
    assert response.status_code == 302 and response["Location"] == "/guide/faq/"
    assert "¿Voy a estar inconsciente?" in client.get("/guide/faq/").content.decode()


def test_the_language_switch_refuses_to_send_visitors_to_another_site(client):
    response = client.post("/guide/language/", {"language": "es", "next": "https://evil.example/"})
    assert response.status_code in (204, 302) and "evil.example" not in response.get("Location", "")
