"""The whole safety path in a real browser: a patient on a phone answers a PHQ-9 with item 9 endorsed and sees
the crisis text at once; a clinician sees the urgent banner on a staff page and acknowledges it with what was done.
Also: a patient stops half-way and resumes later."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import QuestionnaireResponse, SafetyTask
from tests.browser.conftest import screenshot, sign_in

# PHQ-9 answer labels in item order: total 1+1+2+1+0+1+0+0+1 = 7 (mild), item 9 "Several days" (1).
ANSWERS = ["Several days", "Several days", "More than half the days", "Several days", "Not at all", "Several days",
           "Not at all", "Not at all", "Several days"]


@pytest.fixture
def phq9_due(patient, alice, pat):
    """A course starting today: the clinic's schedule asks for the baseline PHQ-9 and GAD-7 in the portal."""
    return services.start_course(patient, route="iv-ketamine", condition="major-depression",
                                 started_on=timezone.localdate(timezone.now(), patient.clinic.tz), acting_user=alice)


def _answer(page, answers):
    for number, label in enumerate(answers, start=1):
        page.locator(f"#q-item_{number}").get_by_label(label, exact=True).check()


def test_a_patient_endorses_item_9_and_a_clinician_acknowledges_the_urgent_task(phone_page, page, phq9_due, patient):
    phone = phone_page
    sign_in(phone, "pat", url="/portal/sign-in/")
    expect(phone.get_by_role("heading", name="Questionnaires due")).to_be_visible()
    phone.get_by_role("link", name="Answer the PHQ-9").click()
    expect(phone.get_by_role("heading", name="PHQ-9")).to_be_visible()
    screenshot(phone, "outcomes-phq9-phone")
    _answer(phone, ANSWERS)
    phone.get_by_role("button", name="Send my answers").click()
    crisis = phone.get_by_role("alert").filter(has_text="You do not have to go through this alone")
    expect(crisis).to_be_visible()
    expect(crisis.get_by_role("link", name="Call or text 988")).to_have_attribute("href", "tel:988")
    expect(crisis.get_by_role("link", name="Call 911")).to_be_visible()
    expect(crisis.get_by_role("link", name=f"Call your clinic: {patient.clinic.phone}")).to_be_visible()
    screenshot(phone, "outcomes-crisis-text-phone")
    assert SafetyTask.objects.filter(patient=patient, acknowledged_at__isnull=True).count() == 1

    sign_in(page, "alice")
    banner = page.get_by_role("alert").filter(has_text="Urgent: 1 safety task open")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(patient.display_name)
    screenshot(page, "outcomes-urgent-banner")
    page.goto(f"/patients/{patient.pk}/")  # another staff page: the banner is still there
    expect(page.get_by_role("alert").filter(has_text="Urgent: 1 safety task open")).to_be_visible()
    page.get_by_role("alert").filter(has_text="Urgent: 1 safety task open").get_by_role("link", name="Acknowledge").click()
    expect(page.get_by_text("PHQ-9 item 9 answered 1 (Several days)")).to_be_visible()
    page.get_by_role("button", name="Acknowledge with what was done").click()
    expect(page.get_by_text("What was done: This field is required.")).to_be_visible()
    page.get_by_label("What was done").fill("Called the patient at 10:05. C-SSRS screener: low risk. Safety plan reviewed; "
                                            "follow-up call tomorrow.")
    screenshot(page, "outcomes-acknowledge-task")
    page.get_by_role("button", name="Acknowledge with what was done").click()
    expect(page.get_by_text("Acknowledged. The urgent banner is cleared")).to_be_visible()
    expect(page.get_by_text("Urgent: 1 safety task open")).to_have_count(0)
    expect(page.get_by_text("Called the patient at 10:05.")).to_be_visible()
    screenshot(page, "outcomes-safety-list")
    task = SafetyTask.objects.get()
    assert task.acknowledged_by.username == "alice" and task.action_taken.startswith("Called the patient")


def test_a_patient_stops_half_way_and_resumes(phone_page, phq9_due, patient):
    sign_in(phone_page, "pat", url="/portal/sign-in/")
    phone_page.get_by_role("link", name="Answer the PHQ-9").click()
    _answer(phone_page, ["Not at all"] * 4)
    phone_page.get_by_role("button", name="Save and finish later").click()
    expect(phone_page.get_by_text("4 answered so far")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Start")).to_be_visible()  # the GAD-7, not begun
    phone_page.get_by_role("link", name="Continue").click()
    expect(phone_page.locator("#q-item_4").get_by_label("Not at all", exact=True)).to_be_checked()
    _answer(phone_page, ["Not at all"] * 8)
    phone_page.get_by_role("button", name="Send my answers").click()
    expect(phone_page.locator("#q-item_9").get_by_text("Please choose an answer.")).to_be_visible()
    screenshot(phone_page, "outcomes-missing-answer-phone")
    _answer(phone_page, ["Not at all"] * 9)
    phone_page.get_by_role("button", name="Send my answers").click()
    expect(phone_page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(phone_page.get_by_text("You do not have to go through this alone")).to_have_count(0)
    assert QuestionnaireResponse.objects.get(patient=patient).total == 0
    phone_page.get_by_role("link", name="See my progress").click()
    chart = phone_page.get_by_role("img", name="PHQ-9: latest 0.")
    expect(chart).to_be_visible()
    # The SVG drawn by matplotlib loads and renders in the browser (a broken image has no natural width).
    phone_page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    screenshot(phone_page, "outcomes-progress-phone")
