"""A nurse signs in, finds a patient and opens the chart; a patient signs in to the portal."""

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in


def test_staff_sign_in_find_a_patient_and_open_the_chart(page, alice, patient, other_patient):
    sign_in(page, "alice")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    screenshot(page, "foundation-patient-list")
    page.get_by_label("Find a patient").fill("núñez")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Núñez, Patricia")).to_be_visible()
    expect(page.get_by_text("Oliver")).to_have_count(0)
    assert "nunez" not in page.url.lower() and "núñez" not in page.url.lower()
    page.get_by_role("link", name="Núñez, Patricia").click()
    expect(page.get_by_role("heading", name="Pat Núñez")).to_be_visible()
    expect(page.get_by_text(patient.mrn)).to_be_visible()
    screenshot(page, "foundation-patient-chart")


def test_a_registration_error_names_the_field(page, alice):
    sign_in(page, "alice")
    page.get_by_role("link", name="New patient").click()
    page.get_by_label("Legal first name").fill("Dana")
    page.get_by_label("Legal last name").fill("Sample")
    page.get_by_label("Date of birth").fill("1990-05-17")
    page.get_by_label("Sex assigned at birth").select_option("female")
    page.get_by_label("Weight (kg)").fill("500")
    page.get_by_role("button", name="Register patient").click()
    expect(page.get_by_text("Weight (kg): Ensure this value is less than or equal to 400.")).to_be_visible()
    screenshot(page, "foundation-patient-form-error")


def test_a_patient_signs_in_to_the_portal_on_a_phone(phone_page, pat, patient):
    sign_in(phone_page, "pat", url="/portal/sign-in/")
    expect(phone_page.get_by_role("heading", name="Hello, Pat")).to_be_visible()
    expect(phone_page.get_by_text(patient.mrn)).to_be_visible()
    screenshot(phone_page, "foundation-portal-phone")
