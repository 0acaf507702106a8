"""The patient's questionnaires in the portal: due list, answer, stop and resume, the crisis text, own trend."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import QuestionnaireAssignment, QuestionnaireResponse, SafetyTask
from ketaclinic.outcomes.tests.conftest import PHQ9_ITEM9, PHQ9_MILD_7, at


def _assign(patient, alice, code="PHQ-9"):
    due = at(timezone.localdate(timezone.now(), patient.clinic.tz), patient.clinic, 0)
    return services.assign_questionnaire(patient, code, due_at=due, acting_user=alice)


def _post(answers, action="submit"):
    data = {f"item_{n}": v for n, v in enumerate(answers, start=1) if v is not None}
    return {**data, "action": action}


@pytest.fixture
def phq9(patient, alice):
    return _assign(patient, alice)


def test_the_due_list_and_the_home_section_show_the_questionnaire(client_for, pat, phq9):
    client = client_for(pat)
    assert "Answer the PHQ-9" in client.get(reverse("portal:home")).text
    text = client.get(reverse("outcomes:portal_list")).text
    assert reverse("outcomes:portal_answer", args=[phq9.pk]) in text and "Questionnaires" in text


def test_the_answer_page_shows_the_official_wording_and_big_answer_buttons(client_for, pat, phq9):
    text = client_for(pat).get(reverse("outcomes:portal_answer", args=[phq9.pk])).text
    assert "Thoughts that you would be better off dead or of hurting yourself in some way" in text
    assert text.count('type="radio"') == 36 and "Save and finish later" in text


def test_a_patient_answers_and_is_thanked(client_for, pat, patient, phq9):
    response = client_for(pat).post(reverse("outcomes:portal_answer", args=[phq9.pk]), _post(PHQ9_MILD_7))
    saved = QuestionnaireResponse.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("outcomes:portal_done", args=[saved.pk])
    assert saved.total == 7 and saved.entered_by_patient and saved.assignment == phq9
    done = client_for(pat).get(response["Location"]).text
    assert "Thank you" in done and "<b>7</b> of 27" in done and "Suicide &amp; Crisis Lifeline" not in done


def test_item_9_shows_the_crisis_text_at_once_and_opens_the_task(client_for, pat, patient, phq9, admin):
    services.update_safety_settings(patient.clinic, data={"clinic_phone": "+1 310 555 0911", "extra_text_en": "After 6 pm press 2."},
                                    acting_user=admin)
    response = client_for(pat).post(reverse("outcomes:portal_answer", args=[phq9.pk]), _post(PHQ9_ITEM9), follow=True)
    text = response.text
    assert 'role="alert"' in text and "Call or text 988" in text and "Call 911" in text
    assert 'href="tel:+1 310 555 0911"' in text and "After 6 pm press 2." in text
    assert SafetyTask.objects.filter(patient=patient, reason="phq9-item9").count() == 1


def test_an_unanswered_question_is_named_and_nothing_is_sent(client_for, pat, phq9):
    response = client_for(pat).post(reverse("outcomes:portal_answer", args=[phq9.pk]), _post(PHQ9_MILD_7[:8]))
    assert response.status_code == 422 and "Question 9: Please choose an answer." in response.text
    assert not QuestionnaireResponse.objects.exists()


def test_an_out_of_range_answer_is_named(client_for, pat, phq9):
    response = client_for(pat).post(reverse("outcomes:portal_answer", args=[phq9.pk]), _post([1, 1, 1, 1, 1, 1, 1, 1, 7]))
    assert response.status_code == 422 and "Question 9: Select a valid choice" in response.text


def test_stop_and_resume(client_for, pat, phq9):
    client = client_for(pat)
    url = reverse("outcomes:portal_answer", args=[phq9.pk])
    response = client.post(url, _post([2, 1, 0, None, None], action="save"))
    assert response.status_code == 302
    draft = QuestionnaireResponse.objects.get()
    assert draft.status == "draft" and draft.total is None and draft.answers[:3] == [2, 1, 0]
    assert "3 answered so far" in client.get(reverse("outcomes:portal_list")).text
    resumed = client.get(url).text
    assert 'name="item_1" value="2" class="" required id="id_item_1_2" checked' in resumed.replace("\n", " ") or \
        resumed.count("checked") == 3
    client.post(url, _post([2, 1, 0, 0, 0, 0, 0, 0, 0]))
    draft.refresh_from_db()
    assert draft.status == "final" and draft.total == 3


def test_another_patients_questionnaire_answers_404(client_for, quinn, phq9):
    assert client_for(quinn).get(reverse("outcomes:portal_answer", args=[phq9.pk])).status_code == 404
    assert client_for(quinn).post(reverse("outcomes:portal_answer", args=[phq9.pk]), _post(PHQ9_MILD_7)).status_code == 404


def test_another_patients_result_answers_404(client_for, pat, quinn, patient):
    response = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=pat, entered_by_patient=True)
    assert client_for(quinn).get(reverse("outcomes:portal_done", args=[response.pk])).status_code == 404


def test_staff_and_strangers_cannot_use_the_portal_pages(client_for, alice, charlie, client, phq9):
    for user in (alice, charlie):
        assert client_for(user).get(reverse("outcomes:portal_list")).status_code == 404
    client.logout()
    assert client.get(reverse("outcomes:portal_list")).status_code == 302


def test_the_patients_own_trend(client_for, pat, patient, alice, westside):
    for days, answers in ((10, [3, 3, 3, 3, 3, 2, 2, 2, 0]), (3, PHQ9_MILD_7)):
        services.record_response(patient, "PHQ-9", answers, acting_user=alice, entered_by_patient=False,
                                 taken_at=timezone.now() - dt.timedelta(days=days))
    client = client_for(pat)
    page = client.get(reverse("outcomes:portal_progress")).text
    assert reverse("outcomes:portal_trend_svg", args=["phq9"]) in page
    svg = client.get(reverse("outcomes:portal_trend_svg", args=["phq9"]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    assert AuditEvent.objects.filter(patient_id=patient.pk, actor=pat, summary__contains="own progress").exists()
    assert client.get(reverse("outcomes:portal_trend_svg", args=["cssrs"])).status_code == 404


def test_the_due_list_runs_a_constant_number_of_queries(client_for, pat, patient, alice):
    client = client_for(pat)
    url = reverse("outcomes:portal_list")
    counts = []
    for added in (5, 45):
        for index in range(added):  # many at once (one per scale is the services' rule; rows made directly here)
            assignment = QuestionnaireAssignment.objects.create(
                patient=patient, clinic=patient.clinic, instrument="GAD-7" if index % 2 else "PHQ-9", due_at=timezone.now())
            if index % 3 == 0:
                services.save_draft(patient, assignment.instrument, [1], acting_user=pat, entered_by_patient=True,
                                    assignment=assignment)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_page_chrome_is_spanish_for_a_spanish_speaker_and_the_items_stay_english(client_for, pat, patient, phq9):
    patient.preferred_language = "es"
    patient.save()
    client = client_for(pat)
    text = client.get(reverse("outcomes:portal_answer", args=[phq9.pk])).text
    assert "Enviar mis respuestas" in text and "Guardar y terminar después" in text
    assert "Little interest or pleasure in doing things" in text  # no official Spanish wording in clinical.md
    assert "traducción oficial" in text
    done = client.post(reverse("outcomes:portal_answer", args=[phq9.pk]), _post(PHQ9_ITEM9), follow=True).text
    assert "Llame o envíe un mensaje de texto al 988" in done
