"""A physician reads the demo clinic's outcomes page and a patient's trend chart on the staff chart."""

import pytest
from playwright.sync_api import expect

from ketaclinic.core import demo
from ketaclinic.outcomes import demo as outcomes_demo
from ketaclinic.patients.models import Patient
from tests.browser.conftest import screenshot, sign_in


@pytest.fixture
def demo_clinic(monkeypatch, transactional_db):
    monkeypatch.setattr(demo, "STEPS", [outcomes_demo.seed])
    return demo.seed()


def test_the_outcomes_page_and_a_trend_on_the_chart(page, demo_clinic):
    sign_in(page, "dr.reyes", password=demo.DEMO_PASSWORD)
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_text("More", exact=True).click()  # a weekly report: under "More", not in the daily bar
    main_nav.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Outcomes")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="All conditions")).to_be_visible()
    expect(page.get_by_role("heading", name="Booster review")).to_be_visible()
    screenshot(page, "outcomes-report")
    lost = Patient.objects.get(mrn="WS000004")
    page.get_by_role("link", name=lost.display_name).first.click()
    expect(page.get_by_text("Response lost: the last two scores no longer meet response")).to_be_visible()
    page.goto(f"/patients/{lost.pk}/")
    chart = page.get_by_role("img", name="PHQ-9: baseline 22, latest 16")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    screenshot(page, "outcomes-chart-section")
