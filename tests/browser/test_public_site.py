"""The public site as a visitor uses it: the guide in Spanish, a clinic near a ZIP code, a comparison, a clinic's
verified outcomes and reviews, and a consultation request; a patient's review from the portal; axe-core on every page.
"""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from conftest import make_patient, make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.intake.models import ConsultationRequest
from ketaclinic.public.guide import TOPICS
from ketaclinic.public.models import Review
from ketaclinic.public.tests.conftest import complete_induction, list_clinic, make_review
from tests.browser.conftest import no_serious_violations, screenshot, sign_in


@pytest.fixture
def site(westside, pasadena, patient):
    """Two listed clinics; Westside with ten measured courses (6 responders, 3 in remission, 1 lost) and reviews."""
    cache.clear()
    westside.name, westside.postal_code = "Westside Ketamine Clinic", "90064"
    westside.rems_certification_number, westside.rems_certified_on = "SPR-1", "2025-03-01"
    westside.save()
    pasadena.name, pasadena.postal_code = "Pasadena Ketamine Clinic", "91101"
    pasadena.save()
    list_clinic(westside, routes=["iv-ketamine", "esketamine", "kap"], psychiatrist_on_site=True)
    list_clinic(pasadena, languages=["en", "ko"], lead_name="Dr. Priya Patel, MD", lead_specialty="psychiatry")
    for n in range(1, 12):
        outcome = "remission" if n <= 3 else "response" if n <= 6 else "no-response" if n <= 10 else ""
        complete_induction(make_patient(westside, 100 + n), outcome_class=outcome)
    make_review(westside, make_patient(westside, 200), rating=5, title="Calm and careful",
                reply_body="Thank you for writing to us.")
    make_review(westside, make_patient(westside, 201), rating=4, title="Me sentí acompañada", language="es")
    yield {"westside": westside, "pasadena": pasadena}
    cache.clear()


def test_a_visitor_reads_the_guide_in_spanish_finds_compares_and_asks_for_a_consultation(page, site, monkeypatch):
    # The consultation form refuses a form sent within seconds of opening it (a bot check); a test types fast.
    monkeypatch.setattr("ketaclinic.intake.spam.MIN_FILL_S", 0)
    westside = site["westside"]
    page.goto("/")
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="El tratamiento con ketamina, en palabras sencillas")).to_be_visible()
    expect(page.get_by_text("988").first).to_be_visible()
    page.get_by_role("link", name="Cómo funcionan la ketamina y la esketamina").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cómo funcionan la ketamina y la esketamina")
    expect(page.get_by_text("receptor NMDA").first).to_be_visible()
    expect(page.get_by_role("heading", name="Fuentes")).to_be_visible()
    screenshot(page, "public-guide-es")

    page.get_by_role("navigation", name="Sitio público").get_by_role("link", name="Buscar una clínica").click()
    page.get_by_label("Su código postal").fill("90025")
    page.get_by_role("button", name="Buscar cerca de mí").click()
    expect(page.get_by_role("heading", name="2 clínicas encontradas, las más cercanas primero")).to_be_visible()
    names = page.locator(".clinic-card h3").all_inner_texts()
    assert names == ["Westside Ketamine Clinic", "Pasadena Ketamine Clinic"]
    assert "90025" not in page.url
    screenshot(page, "public-directory-search-es")

    page.get_by_label("Comparar Westside Ketamine Clinic").check()
    page.get_by_label("Comparar Pasadena Ketamine Clinic").check()
    page.get_by_role("button", name="Comparar las clínicas marcadas").click()
    expect(page.get_by_role("heading", name="Comparar clínicas")).to_be_visible()
    table = page.get_by_role("table", name="2 clínicas lado a lado")
    expect(table.get_by_role("columnheader", name="Westside Ketamine Clinic")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Pasadena Ketamine Clinic")).to_be_visible()
    screenshot(page, "public-compare-es")

    table.get_by_role("link", name="Westside Ketamine Clinic", exact=True).click()
    expect(page.get_by_role("heading", name="Westside Ketamine Clinic", level=1)).to_be_visible()
    outcomes = page.locator("section", has=page.get_by_role("heading", name="Resultados verificados al final de la primera serie"))
    expect(outcomes.get_by_text("6 de 10 tratamientos medidos")).to_be_visible()  # responded, incl. remission
    expect(outcomes.get_by_text("3 de 10 tratamientos medidos")).to_be_visible()
    expect(outcomes.get_by_text("1 de 11 tratamientos sin puntaje al final de la serie")).to_be_visible()
    expect(page.get_by_text("de 5, según 2 opiniones").first).to_be_visible()
    expect(page.get_by_text("Thank you for writing to us.")).to_be_visible()
    screenshot(page, "public-clinic-es")

    page.get_by_role("link", name="Pedir una consulta en Westside Ketamine Clinic").click()
    assert re.search(rf"\?clinic={westside.pk}$", page.url)
    expect(page.locator("#id_clinic")).to_have_value(str(westside.pk))
    page.locator("#id_first_name").fill("Dana")
    page.locator("#id_last_name").fill("Sample")
    page.locator("#id_phone").fill("+1 310 555 0142")
    page.locator("#id_agree_to_contact").check()
    page.locator("form button[type=submit]").last.click()
    expect(page).to_have_url(re.compile(rf"/intake/consultation/thanks/\?clinic={westside.pk}$"))
    screenshot(page, "public-consultation-sent-es")
    request = ConsultationRequest.objects.get()  # the front desk's queue has it, for the chosen clinic
    assert (request.clinic_id, request.first_name, request.last_name) == (westside.pk, "Dana", "Sample")


def test_a_patient_reviews_from_the_portal_and_the_clinic_publishes_and_replies(page, site, pat, patient):
    westside = site["westside"]
    complete_induction(patient)
    sign_in(page, "pat", url="/portal/sign-in/")
    page.get_by_role("link", name="Write a review").click()
    page.get_by_label("4 out of 5").check()
    page.get_by_label("Title").fill("Felt safe the whole time")
    page.get_by_role("textbox", name="Your review").fill("The nurse explained everything and checked on me often.")
    page.get_by_label("My review names no one").check()
    page.get_by_role("button", name="Send my review").click()
    expect(page.get_by_text("Waiting for moderation")).to_be_visible()
    screenshot(page, "public-portal-review")

    admin = make_staff("moderator", westside, Role.CLINIC_ADMIN)
    page.context.clear_cookies()
    sign_in(page, admin.username)
    page.get_by_role("navigation", name="Main").get_by_text("More", exact=True).click()
    page.get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name="Felt safe the whole time").click()
    page.get_by_role("button", name="Publish review").click()
    page.get_by_label("The clinic's public reply").fill("Thank you; we are glad you felt safe.")
    page.get_by_role("button", name="Save reply").click()
    screenshot(page, "public-moderation")
    assert Review.objects.get(title="Felt safe the whole time").status == Review.Status.PUBLISHED

    page.context.clear_cookies()
    page.goto(f"/guide/clinics/{westside.pk}/")
    review = page.locator("article.review", has=page.get_by_role("heading", name="Felt safe the whole time"))
    expect(review.get_by_text("Thank you; we are glad you felt safe.")).to_be_visible()
    expect(page.get_by_text("out of 5 from 3 reviews").first).to_be_visible()


def test_the_directory_on_a_phone(phone_page, site):
    phone_page.goto("/guide/clinics/")
    expect(phone_page.get_by_role("heading", name="Find a clinic")).to_be_visible()
    phone_page.get_by_label("Your ZIP code").fill("91106")
    phone_page.get_by_role("button", name="Search near me").click()
    assert phone_page.locator(".clinic-card h3").first.inner_text() == "Pasadena Ketamine Clinic"
    screenshot(phone_page, "public-directory-phone")
    phone_page.goto(f"/guide/clinics/{site['westside'].pk}/")
    screenshot(phone_page, "public-clinic-phone")


def _public_urls(site) -> list[str]:
    ids = f"clinic={site['westside'].pk}&clinic={site['pasadena'].pk}"
    return ["/guide/", *[f"/guide/{t.slug}/" for t in TOPICS], "/guide/clinics/", f"/guide/clinics/compare/?{ids}",
            "/guide/clinics/compare/", f"/guide/clinics/{site['westside'].pk}/", f"/guide/clinics/{site['pasadena'].pk}/",
            # the public pages of the intake and billing areas, linked from every guide page
            "/intake/self-screen/", f"/intake/consultation/?clinic={site['westside'].pk}",
            f"/intake/consultation/thanks/?clinic={site['westside'].pk}", "/billing/estimate/"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_public_page_has_no_serious_accessibility_violations(page, site, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    found = {}
    for url in _public_urls(site):
        page.goto(url)
        problems = no_serious_violations(page)
        if problems:
            found[url] = problems
    page.goto("/guide/clinics/")
    page.get_by_role("textbox").first.fill("bad")
    page.locator("form.search-form button[type=submit]").click()  # the page with a field error
    expect(page.locator(".errorlist")).to_be_visible()
    if problems := no_serious_violations(page):
        found["/guide/clinics/ (error)"] = problems
    assert found == {}


def test_the_portal_review_page_has_no_serious_accessibility_violations(page, site, pat, patient):
    complete_induction(patient)
    sign_in(page, "pat", url="/portal/sign-in/")
    page.goto("/guide/review/")
    page.get_by_role("button", name="Send my review").click()  # every field's error shown
    expect(page.locator(".errorlist").first).to_be_visible()
    assert no_serious_violations(page) == []
