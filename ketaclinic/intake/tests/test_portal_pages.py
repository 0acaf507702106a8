"""The patient's own intake and consent in the portal: they see and fill in only their own."""

from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.intake import services
from ketaclinic.intake.models import InformedConsent, Intake
from ketaclinic.intake.tests.conftest import fill_intake, sign, submitted_intake

MY = "/intake/my/"


def test_a_patient_starts_fills_and_sends_their_intake(client_for, pat, patient):
    client = client_for(pat)
    assert "Start my intake" in client.get(MY).content.decode()
    assert client.post(MY)["Location"] == reverse("intake:my_intake_edit")
    page = client.get(reverse("intake:my_intake_edit")).content.decode()
    assert "What would you like treatment for?" in page and "Have you ever had psychosis" in page
    client.post(reverse("intake:my_intake_edit"), {"conditions": ["major-depression"], "current_mood_state": "depressed",
                                                   "psychotherapy_tried": "on"})
    client.post(reverse("intake:my_item_add", args=["trial"]), {"drug": "sertraline", "weeks": "8", "adequate_dose": "yes",
                                                               "adherence": "most", "outcome": "no-response"})
    client.post(reverse("intake:my_item_add", args=["allergy"]), {"substance": "penicillin", "severity": "severe"})
    response = client.post(reverse("intake:my_intake_submit"), follow=True)
    assert "Your intake is with the clinic" in response.content.decode()
    intake = Intake.objects.get(patient=patient)
    assert intake.status == "awaiting_review" and intake.submitted_by == pat
    assert AuditEvent.objects.filter(actor=pat, object_type="intake_trial").exists()


def test_sending_an_incomplete_intake_says_what_is_missing(client_for, pat, patient):
    client = client_for(pat)
    client.post(MY)
    text = client.post(reverse("intake:my_intake_submit"), follow=True).content.decode()
    assert "Say how your mood is now." in text and "tick “No known allergies”" in text


def test_after_sending_the_patient_cannot_change_it(client_for, pat, patient):
    submitted_intake(patient, pat)
    client = client_for(pat)
    assert client.get(reverse("intake:my_intake_edit"))["Location"] == MY
    client.post(reverse("intake:my_item_add", args=["medication"]), {"name": "lorazepam"})
    assert not Intake.objects.get().medications.exists()


def test_a_patient_cannot_remove_another_patients_item(client_for, pat, quinn, patient, other_patient):
    fill_intake(patient, pat)
    theirs = fill_intake(other_patient, quinn)
    trial = theirs.trials.first()
    client_for(pat).post(reverse("intake:my_item_remove", args=["trial", trial.pk]))
    assert theirs.trials.count() == 2


def test_a_patient_never_sees_another_patients_intake(client_for, pat, quinn, patient, other_patient):
    fill_intake(other_patient, quinn, answers={"psychotherapy_history": "Quinn's own therapy notes"})
    fill_intake(patient, pat)
    text = client_for(pat).get(MY).content.decode()
    assert "Quinn's own therapy notes" not in text


def test_staff_and_strangers_cannot_open_portal_pages(client_for, bob, db):
    from django.test import Client

    assert Client().get(MY).status_code == 302
    assert client_for(bob).get(MY).status_code == 404


def test_the_patient_reads_and_signs_consent_for_an_approved_route(client_for, pat, bob, alice, patient):
    submitted_intake(patient, bob)
    sign(patient, alice, "esketamine")
    client = client_for(pat)
    home = client.get(MY).content.decode()
    assert "Read and sign the consent" in home and "Candidate for esketamine" in home
    page = client.get(reverse("intake:my_consent", args=["esketamine"])).content.decode()
    assert "SPRAVATO REMS" in page and "esketamine-2026.1" in page
    assert client.get(reverse("intake:my_consent", args=["iv-ketamine"])).content.decode().count("nothing to sign") == 1
    client.post(reverse("intake:my_consent", args=["esketamine"]), {
        "typed_name": "patricia núñez", "agreed": "on", "text_version": "esketamine-2026.1"})
    assert services.approved_routes(patient) == {"esketamine"}
    consent = InformedConsent.objects.get()
    client.post(reverse("intake:my_consent_withdraw", args=[consent.pk]), {"reason": ""})
    assert services.approved_routes(patient) == set()


def test_a_patient_cannot_withdraw_another_patients_consent(client_for, pat, quinn, bob, alice, patient):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    consent = services.sign_consent(patient, route="iv-ketamine", typed_name="Patricia Núñez", agreed=True,
                                    text_version="iv-ketamine-2026.1", where="portal", acting_user=pat)
    assert client_for(quinn).post(reverse("intake:my_consent_withdraw", args=[consent.pk])).status_code == 404
    assert not InformedConsent.objects.get().is_withdrawn


def test_the_portal_home_shows_the_intake_section(client_for, pat, patient):
    text = client_for(pat).get(reverse("portal:home")).content.decode()
    assert "Your intake" in text and "Start my intake" in text


def test_the_patient_answers_self_report_baseline_scales_in_the_portal(client_for, pat, patient):
    from ketaclinic.outcomes.models import QuestionnaireResponse

    fill_intake(patient, pat)
    client = client_for(pat)
    page = client.get(MY).content.decode()
    assert reverse("intake:my_baseline", args=["gad7"]) in page
    assert reverse("intake:my_baseline", args=["cssrs"]) not in page and "At your visit" in page
    form = client.get(reverse("intake:my_baseline", args=["gad7"])).content.decode()
    assert "Feeling nervous, anxious or on edge" in form
    client.post(reverse("intake:my_baseline", args=["gad7"]), {f"item_{n}": "2" for n in range(1, 8)})
    response = QuestionnaireResponse.objects.get()
    assert (response.instrument, response.total, response.entered_by_patient, response.context) == ("GAD-7", 14, True, "intake")
    assert client.get(reverse("intake:my_baseline", args=["cssrs"])).status_code == 404  # clinician-asked
