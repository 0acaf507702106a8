"""Issue 4 end to end: a member of the public self-screens and asks for a consultation; the front desk sees
it in the queue and registers them; a physician reviews the intake and signs a decision."""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.intake import services
from ketaclinic.intake.models import CandidacyDecision, ConsultationRequest
from ketaclinic.patients.models import Patient
from tests.browser.conftest import no_serious_violations, screenshot, sign_in

TRIALS = [("sertraline", "no-response"), ("escitalopram", "partial-response")]


def answer_self_screen(page, *, item_9="Not at all"):
    page.goto("/intake/self-screen/")
    page.locator("#id_adult-group").get_by_text("Yes", exact=True).click()
    page.get_by_text("Depression", exact=True).click()
    for n in range(1, 9):
        page.locator(f"#id_phq9_{n}-group").get_by_text("More than half the days").click()
    page.locator("#id_phq9_9-group").get_by_text(item_9).click()
    page.locator("#id_failed_antidepressants-group").get_by_text("Two").click()
    page.locator("#id_psychotherapy_tried-group").get_by_text("Yes", exact=True).click()


@pytest.fixture
def clock():
    # Ticks with real time; shifted forward where a person would spend a few seconds reading and typing, so the
    # form's "too fast to be a person" check sees a person.
    with time_machine.travel(dt.datetime.now(tz=dt.timezone.utc), tick=True) as traveller:
        yield traveller


def test_public_self_screen_to_front_desk_to_physician_decision(chromium, live_server, westside, alice, clock):
    make_staff("ortiz", westside, Role.FRONT_DESK)
    public = chromium.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url, is_mobile=True)
    phone = public.new_page()
    phone.set_default_timeout(10_000)

    # 1. A member of the public, on a phone, no account.
    answer_self_screen(phone)
    screenshot(phone, "intake-self-screen-phone")
    phone.get_by_role("button", name="See my result").click()
    expect(phone.get_by_role("heading", name="A consultation may be worth it")).to_be_visible()
    expect(phone.get_by_text("This is not a diagnosis or medical advice.")).to_be_visible()
    phone.get_by_role("combobox", name="Clinic").select_option(label="Westside")
    phone.get_by_role("textbox", name="First name").fill("Dana")
    phone.get_by_role("textbox", name="Last name").fill("Sample")
    phone.get_by_role("textbox", name="Phone").fill("+1 310 555 0123")
    phone.get_by_label("Best time to reach you").select_option("morning")
    phone.get_by_label("The clinic may contact me about this request.").check()
    screenshot(phone, "intake-self-screen-result-phone")
    assert no_serious_violations(phone) == []  # the result page with its request form
    clock.shift(dt.timedelta(seconds=20))
    phone.get_by_role("button", name="Request a consultation").click()
    expect(phone.get_by_role("heading", name="Thank you, your request is sent")).to_be_visible()
    screenshot(phone, "intake-consultation-thanks-phone")
    assert "Dana" not in phone.url and "Sample" not in phone.url
    public.close()
    assert ConsultationRequest.objects.get().self_screen_outcome == "worth-consultation"

    # 2. The front desk sees it in the queue and registers Dana as a patient.
    desk = chromium.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url).new_page()
    desk.set_default_timeout(10_000)
    sign_in(desk, "ortiz")
    desk.get_by_role("link", name="Requests").click()
    expect(desk.get_by_role("heading", name="Consultation requests")).to_be_visible()
    screenshot(desk, "intake-queue")
    desk.get_by_role("link", name="Sample, Dana").click()
    expect(desk.get_by_text("Worth a consultation")).to_be_visible()
    desk.get_by_label("What happened").fill("Called; booked a consultation for Tuesday.")
    desk.get_by_role("button", name="Save contact").click()
    expect(desk.get_by_text("Contact recorded.")).to_be_visible()
    desk.get_by_label("Date of birth").fill("1985-04-12")
    desk.get_by_label("Sex assigned at birth").select_option("female")
    screenshot(desk, "intake-request-detail")
    desk.get_by_role("button", name="Register patient").click()
    expect(desk.get_by_text("the intake is open")).to_be_visible()
    desk.context.close()

    # The patient fills in the intake (the portal pages have their own tests) and it is sent for review.
    patient = Patient.objects.get(legal_first_name="Dana")
    intake = patient.intake
    services.update_intake(intake, acting_user=alice, data={
        "conditions": ["major-depression"], "current_mood_state": "depressed", "no_known_allergies": True,
        "screening_bp_systolic_mmhg": 146, "screening_bp_diastolic_mmhg": 88})
    for drug, outcome in TRIALS:
        services.add_item(intake, "trial", acting_user=alice, data={
            "drug": drug, "weeks": 8, "adequate_dose": "yes", "adherence": "most", "outcome": outcome})
    services.add_item(intake, "medication", data={"name": "lorazepam", "dose": "0.5 mg"}, acting_user=alice)
    services.submit_intake(intake, acting_user=alice)

    # 3. A physician reviews the engine's verdicts with reasons and sources, and signs.
    doctor = chromium.new_context(viewport={"width": 1024, "height": 768}, base_url=live_server.url).new_page()
    doctor.set_default_timeout(10_000)
    sign_in(doctor, "alice")
    doctor.get_by_role("link", name="Candidacy").click()
    doctor.get_by_role("link", name="Sample, Dana").click()
    expect(doctor.get_by_role("heading", name="Candidacy review")).to_be_visible()
    expect(doctor.get_by_text("source: clinical.md §3.4 [20], §1.6 [20]").first).to_be_visible()
    expect(doctor.get_by_text("Benzodiazepine (lorazepam)").first).to_be_visible()
    doctor.get_by_text("Candidate for both IV ketamine and esketamine").click()
    doctor.get_by_label("Note").fill("TRD confirmed. Hold lorazepam the evening before; BP rechecked on the day.")
    screenshot(doctor, "intake-candidacy-review")
    doctor.get_by_role("button", name="Sign decision").click()
    expect(doctor.get_by_text("Decision signed.")).to_be_visible()
    expect(doctor.get_by_text("Version 1: Candidate for both IV ketamine and esketamine")).to_be_visible()
    screenshot(doctor, "intake-candidacy-signed")
    decision = CandidacyDecision.objects.get()
    assert (decision.signed_by, decision.decision, decision.version) == (alice, "both", 1)
    assert services.approved_routes(patient) == set()  # consent comes next
    doctor.get_by_role("link", name="← Intake").click()
    expect(doctor.get_by_role("heading", name="Informed consent")).to_be_visible()
    screenshot(doctor, "intake-staff-intake")
    doctor.context.close()


def test_crisis_resources_come_first_in_spanish_on_a_phone(phone_page, db):
    phone_page.goto("/intake/self-screen/")
    phone_page.get_by_label("Language").select_option("es")
    phone_page.get_by_role("button", name="Change").click()
    expect(phone_page.get_by_role("heading", name="¿Soy candidato(a) para el tratamiento con ketamina?")).to_be_visible()
    phone_page.locator("#id_adult-group").get_by_text("Sí", exact=True).click()
    for n in range(1, 9):
        phone_page.locator(f"#id_phq9_{n}-group").get_by_text("Varios días").click()
    phone_page.locator("#id_phq9_9-group").get_by_text("Varios días").click()
    phone_page.locator("#id_failed_antidepressants-group").get_by_text("Ninguno").click()
    phone_page.locator("#id_psychotherapy_tried-group").get_by_text("No", exact=True).click()
    phone_page.get_by_role("button", name="Ver mi resultado").click()
    expect(phone_page.get_by_role("heading", name="Por favor, busque apoyo ahora")).to_be_visible()
    expect(phone_page.get_by_role("link", name="Llamar al 988")).to_be_visible()
    screenshot(phone_page, "intake-self-screen-crisis-es-phone")
    assert no_serious_violations(phone_page) == []


def test_a_patient_fills_in_the_intake_and_signs_consent_on_a_phone(phone_page, pat, patient, alice):
    sign_in(phone_page, "pat", url="/portal/sign-in/")
    phone_page.get_by_role("link", name="My intake").first.click()
    phone_page.get_by_role("button", name="Start my intake").click()
    phone_page.get_by_text("Depression", exact=True).click()
    phone_page.get_by_text("Low or depressed").click()
    phone_page.get_by_label("Has had psychotherapy").check()
    phone_page.get_by_label("No known allergies").check()
    screenshot(phone_page, "intake-portal-questions-phone")
    phone_page.get_by_role("button", name="Save").click()
    expect(phone_page.get_by_text("Saved.")).to_be_visible()
    for drug, outcome in TRIALS:
        phone_page.get_by_text("Add an antidepressant").click()
        phone_page.get_by_label("Antidepressant (generic name)").fill(drug)
        phone_page.get_by_label("Weeks taken").fill("8")
        phone_page.get_by_label("Adequate dose").select_option("yes")
        phone_page.get_by_label("Outcome").select_option(outcome)
        phone_page.get_by_role("button", name="Add antidepressant").click()
        expect(phone_page.get_by_text("Added.")).to_be_visible()
    screenshot(phone_page, "intake-portal-intake-phone")
    phone_page.get_by_role("button", name="Send my intake").click()
    expect(phone_page.get_by_text("Your intake is sent. Thank you.")).to_be_visible()

    services.sign_decision(patient, evaluation=services.latest_evaluation(patient), decision="iv", note="Discussed.",
                           acting_user=alice)
    phone_page.reload()
    phone_page.get_by_role("link", name="Read and sign the consent").click()
    expect(phone_page.get_by_role("heading", name="Consent to IV ketamine treatment")).to_be_visible()
    phone_page.get_by_label("I have read and understood").check()
    phone_page.get_by_label("Type your full legal name").fill("Patricia Núñez")
    screenshot(phone_page, "intake-portal-consent-phone")
    phone_page.get_by_role("button", name="Sign consent").click()
    expect(phone_page.get_by_text("Consent signed", exact=False).first).to_be_visible()
    assert services.approved_routes(patient) == {"iv-ketamine"}
