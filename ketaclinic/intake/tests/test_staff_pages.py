"""Staff pages for a patient's intake, the candidacy review and consent at the clinic."""

import pytest
from django.urls import reverse

from conftest import make_patient
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.intake import services
from ketaclinic.intake.models import CandidacyDecision, InformedConsent, Intake
from ketaclinic.intake.tests.conftest import fill_intake, queries_for, sign, submitted_intake


def url(name, patient, *extra):
    return reverse(f"intake:{name}", args=[patient.pk, *extra])


PATIENT_PAGES = ["intake_detail", "intake_edit", "intake_vitals", "candidacy_review"]


@pytest.mark.parametrize("name", PATIENT_PAGES)
def test_charlie_gets_404_and_a_patient_gets_404_on_every_staff_page(client_for, charlie, pat, patient, bob, name):
    fill_intake(patient, bob)
    assert client_for(charlie).get(url(name, patient)).status_code == 404
    assert client_for(pat).get(url(name, patient)).status_code == 404


@pytest.mark.parametrize("name, data", [
    ("intake_start", {}), ("intake_submit", {}), ("candidacy_reevaluate", {}),
    ("intake_edit", {"conditions": ["ptsd"], "current_mood_state": "depressed"}),
    ("intake_vitals", {"screening_bp_systolic_mmhg": 120, "screening_bp_diastolic_mmhg": 80}),
])
def test_charlie_cannot_change_anything(client_for, charlie, patient, bob, name, data):
    fill_intake(patient, bob)
    client = client_for(charlie)
    before = AuditEvent.objects.count()
    assert client.post(url(name, patient), data).status_code == 404
    assert AuditEvent.objects.count() == before


def test_charlie_cannot_add_or_remove_items_or_sign(client_for, charlie, patient, bob, alice):
    intake = fill_intake(patient, bob)
    trial = intake.trials.first()
    client = client_for(charlie)
    assert client.post(url("item_add", patient, "medication"), {"name": "x"}).status_code == 404
    assert client.post(url("item_remove", patient, "trial", trial.pk)).status_code == 404
    services.submit_intake(intake, acting_user=bob)
    evaluation = services.latest_evaluation(patient)
    assert client.post(url("candidacy_review", patient), {"decision": "both", "note": "x", "evaluation": evaluation.pk}).status_code == 404
    assert client.post(url("staff_consent", patient, "iv-ketamine"), {}).status_code == 404
    assert intake.trials.count() == 2 and not CandidacyDecision.objects.exists()


def test_a_patient_without_an_intake_shows_a_start_button(client_for, bob, patient):
    text = client_for(bob).get(url("intake_detail", patient)).content.decode()
    assert "No intake yet" in text and "Start the intake" in text
    response = client_for(bob).post(url("intake_start", patient))
    assert response["Location"] == url("intake_edit", patient) and Intake.objects.filter(patient=patient).exists()


def test_opening_the_intake_is_audited(client_for, bob, patient):
    fill_intake(patient, bob)
    client_for(bob).get(url("intake_detail", patient))
    assert AuditEvent.objects.filter(action="view", actor=bob, patient=patient, summary="Opened intake").exists()


def test_staff_fill_in_the_history_through_the_page(client_for, bob, patient):
    services.start_intake(patient, acting_user=bob)
    response = client_for(bob).post(url("intake_edit", patient), {
        "conditions": ["major-depression", "ptsd"], "current_mood_state": "depressed", "psychotherapy_tried": "on",
        "psychotherapy_history": "CBT 2023", "history_brain_injury": "on", "no_known_allergies": "on"})
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.conditions == ["major-depression", "ptsd"] and intake.history == {"brain_injury": True}
    text = client_for(bob).get(url("intake_detail", patient)).content.decode()
    assert "Major depression, PTSD" in text and "Brain injury" in text


def test_vitals_errors_name_the_field_on_the_page(client_for, bob, patient):
    services.start_intake(patient, acting_user=bob)
    response = client_for(bob).post(url("intake_vitals", patient), {
        "screening_bp_systolic_mmhg": "80", "screening_bp_diastolic_mmhg": "120"})
    assert response.status_code == 422
    assert "Screening blood pressure, diastolic (mmHg): Diastolic 120 must be below systolic 80" in response.content.decode()


def test_adding_a_trial_with_an_error_keeps_the_form_open_with_the_message(client_for, bob, patient):
    services.start_intake(patient, acting_user=bob)
    response = client_for(bob).post(url("item_add", patient, "trial"), {"drug": "sertraline", "weeks": "-1",
                                                                          "adequate_dose": "yes", "adherence": "most",
                                                                          "outcome": "no-response"})
    assert response.status_code == 422 and "Weeks taken:" in response.content.decode()
    ok = client_for(bob).post(url("item_add", patient, "trial"), {"drug": "sertraline", "weeks": "8",
                                                                    "adequate_dose": "yes", "adherence": "rarely",
                                                                    "outcome": "no-response"})
    assert ok.status_code == 302
    assert "may not be an adequate trial" in client_for(bob).get(url("intake_detail", patient)).content.decode()


def test_submitting_an_incomplete_intake_says_what_is_missing(client_for, bob, patient):
    services.start_intake(patient, acting_user=bob)
    response = client_for(bob).post(url("intake_submit", patient), follow=True)
    assert "Conditions: Choose at least one condition" in response.content.decode()


def test_the_review_shows_each_routes_verdict_with_reasons_and_sources(client_for, alice, bob, patient):
    submitted_intake(patient, bob, answers={"conditions": ["ptsd"]})
    response = client_for(alice).get(url("candidacy_review", patient))
    text = response.content.decode()
    assert "IV ketamine" in text and "Esketamine (SPRAVATO) nasal spray" in text
    assert "Eligible with cautions" in text and "Not eligible" in text
    assert "rule iv-trd-other-condition" in text and "source: clinical.md §0b" in text
    assert "candidacy-2026.1" in text and "Sign decision" in text
    assert AuditEvent.objects.filter(action="view", summary="Opened candidacy review").exists()


def test_a_physician_signs_on_the_page_and_an_override_needs_a_reason(client_for, alice, bob, patient):
    submitted_intake(patient, bob, answers={"history": {"psychosis": True}})
    evaluation = services.latest_evaluation(patient)
    client = client_for(alice)
    data = {"decision": "iv", "note": "Discussed.", "evaluation": evaluation.pk, "supersedes": ""}
    response = client.post(url("candidacy_review", patient), data)
    assert response.status_code == 422
    assert "This decision overrides the engine for IV ketamine (not eligible): write the reason." in response.content.decode()
    response = client.post(url("candidacy_review", patient), {**data, "decision": "neither"})
    assert response.status_code == 302
    text = client.get(url("candidacy_review", patient)).content.decode()
    assert "Version 1: Not a candidate for either" in text and "Amend the decision" in text


def test_a_nurse_sees_the_review_but_cannot_sign(client_for, bob, patient):
    submitted_intake(patient, bob)
    evaluation = services.latest_evaluation(patient)
    text = client_for(bob).get(url("candidacy_review", patient)).content.decode()
    assert "Only a physician of this clinic signs" in text
    response = client_for(bob).post(url("candidacy_review", patient), {"decision": "both", "note": "x",
                                                                        "evaluation": evaluation.pk})
    assert response.status_code == 403 and not CandidacyDecision.objects.exists()


def test_consent_is_signed_at_the_clinic_with_the_patients_typed_name(client_for, alice, bob, patient):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    page = client_for(bob).get(url("staff_consent", patient, "iv-ketamine")).content.decode()
    assert "Consent to IV ketamine treatment" in page and "iv-ketamine-2026.1" in page
    bad = client_for(bob).post(url("staff_consent", patient, "iv-ketamine"), {
        "typed_name": "Someone Else", "agreed": "on", "text_version": "iv-ketamine-2026.1"})
    assert bad.status_code == 422 and "Type your full legal first and last name" in bad.content.decode()
    client_for(bob).post(url("staff_consent", patient, "iv-ketamine"), {
        "typed_name": "Patricia Nunez", "agreed": "on", "text_version": "iv-ketamine-2026.1"})
    consent = InformedConsent.objects.get()
    assert consent.where == "clinic" and services.approved_routes(patient) == {"iv-ketamine"}
    view = client_for(alice).get(reverse("intake:consent_view", args=[consent.pk])).content.decode()
    assert "text digest matches" in view and "Patricia Nunez" in view


def test_an_unknown_route_is_404(client_for, bob, patient):
    assert client_for(bob).get(url("staff_consent", patient, "oral")).status_code == 404


def test_charlie_cannot_open_or_withdraw_a_consent(client_for, alice, bob, charlie, patient, pat):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    consent = services.sign_consent(patient, route="iv-ketamine", typed_name="Patricia Núñez", agreed=True,
                                    text_version="iv-ketamine-2026.1", where="portal", acting_user=pat)
    assert client_for(charlie).get(reverse("intake:consent_view", args=[consent.pk])).status_code == 404
    assert client_for(charlie).post(reverse("intake:consent_withdraw", args=[consent.pk])).status_code == 404
    assert not consent.is_withdrawn
    client_for(bob).post(reverse("intake:consent_withdraw", args=[consent.pk]), {"reason": "Patient called."})
    assert InformedConsent.objects.get().is_withdrawn


def test_the_chart_shows_the_intake_section(client_for, alice, bob, patient):
    submitted_intake(patient, bob)
    sign(patient, alice, "both")
    text = client_for(alice).get(reverse("patients:chart", args=[patient.pk])).content.decode()
    assert "Intake and candidacy" in text and "Candidate for both IV ketamine and esketamine" in text
    assert text.count("not signed") == 2


def test_the_protocol_page_shows_defaults_with_sources_and_a_physician_may_tighten(client_for, alice, bob, westside):
    text = client_for(bob).get(reverse("intake:protocol")).content.decode()
    assert "UNSOURCED common practice, clinic-editable default" in text and "Save thresholds" not in text
    assert client_for(bob).post(reverse("intake:protocol"), {"reason": "x"}).status_code == 403
    data = {"min_age_years": 21, "min_trial_weeks": 6, "min_failed_trials": 2, "bp_hold_systolic_mmhg": 170,
            "bp_hold_diastolic_mmhg": 100, "bp_caution_systolic_mmhg": 140, "bp_caution_diastolic_mmhg": 90,
            "reason": "Medical director"}
    response = client_for(alice).post(reverse("intake:protocol"), data)
    assert response.status_code == 422 and "is above the default 160; a clinic may only tighten" in response.content.decode()
    assert client_for(alice).post(reverse("intake:protocol"), {**data, "bp_hold_systolic_mmhg": 150}).status_code == 302
    assert services.current_protocol_setting(westside).min_age_years == 21


@pytest.mark.parametrize("rows", [5, 50])
def test_the_review_list_runs_a_constant_number_of_queries(client_for, alice, bob, westside, rows, django_assert_num_queries):
    for n in range(rows):
        submitted_intake(make_patient(westside, n + 10), bob)
    client = client_for(alice)
    # The same as with one row (other areas' staff banners add their own fixed queries to every page).
    with django_assert_num_queries(one_row_queries(client, bob, westside)):
        assert client.get(reverse("intake:review_list")).status_code == 200


def one_row_queries(client, bob, westside) -> int:
    from ketaclinic.intake.models import CandidacyEvaluation

    saved = list(Intake.objects.filter(status="awaiting_review").values_list("pk", flat=True))
    Intake.objects.filter(pk__in=saved[1:]).update(status="in_progress")
    count = queries_for(client, reverse("intake:review_list"))
    Intake.objects.filter(pk__in=saved).update(status="awaiting_review")
    assert CandidacyEvaluation.objects.count() == len(saved)
    return count


def test_baseline_scales_are_recorded_through_the_outcomes_service(client_for, bob, patient):
    from ketaclinic.outcomes.models import QuestionnaireResponse

    fill_intake(patient, bob, answers={"conditions": ["major-depression", "ptsd"]})
    client = client_for(bob)
    card = client.get(url("intake_detail", patient)).content.decode()
    for title in ("Patient Health Questionnaire-9 (PHQ-9)", "PCL-5", "MDQ", "AUDIT-C", "DAST-10", "C-SSRS"):
        assert title in card
    form = client.get(url("baseline_record", patient, "phq9"))
    assert form.status_code == 200
    answers = {f"item_{n}": "1" for n in range(1, 10)}
    answers["item_9"] = "0"
    assert client.post(url("baseline_record", patient, "phq9"), answers).status_code == 302
    response = QuestionnaireResponse.objects.get()
    assert (response.instrument, response.context, response.total, response.entered_by) == ("PHQ-9", "intake", 8, bob)
    assert "8 · mild" in client.get(url("intake_detail", patient)).content.decode()


def test_a_missing_baseline_answer_names_the_item(client_for, bob, patient):
    fill_intake(patient, bob)
    answers = {f"item_{n}": "1" for n in range(1, 9)}
    response = client_for(bob).post(url("baseline_record", patient, "phq9"), answers)
    assert response.status_code == 422 and "Please choose an answer." in response.content.decode()


def test_pcl5_is_asked_only_where_ptsd_is_listed_and_charlie_gets_404(client_for, bob, charlie, patient):
    fill_intake(patient, bob)
    assert client_for(bob).get(url("baseline_record", patient, "pcl5")).status_code == 404
    assert client_for(charlie).get(url("baseline_record", patient, "phq9")).status_code == 404
