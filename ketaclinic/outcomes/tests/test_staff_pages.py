"""Staff pages for one patient: chart section, courses, recording and amending scales, assigning, trends.
Every page: charlie (another clinic) gets 404, a patient gets 404, and opening it is audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import QuestionnaireResponse, TreatmentCourse
from ketaclinic.outcomes.tests.conftest import PHQ9_MILD_7, PHQ9_SEVERE_21, at


@pytest.fixture
def scored(patient, alice, course, westside):
    services.record_response(patient, "PHQ-9", PHQ9_SEVERE_21, acting_user=alice, entered_by_patient=False,
                             taken_at=at(course.started_on, westside, 8))  # the start day: the baseline
    return services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False, session_number=4)


def _pages(patient, course, response):
    return [
        reverse("outcomes:course_new", args=[patient.pk]), reverse("outcomes:record_choose", args=[patient.pk]),
        reverse("outcomes:record", args=[patient.pk, "phq9"]), reverse("outcomes:assign", args=[patient.pk]),
        reverse("outcomes:patient_responses", args=[patient.pk]), reverse("outcomes:trend_svg", args=[patient.pk, "phq9"]),
        reverse("outcomes:course", args=[course.pk]), reverse("outcomes:response", args=[response.pk]),
        reverse("outcomes:response_amend", args=[response.pk]),
    ]


def test_every_page_opens_for_the_clinics_physician(client_for, alice, patient, course, scored):
    client = client_for(alice)
    for url in _pages(patient, course, scored):
        assert client.get(url).status_code == 200, url


def test_charlie_and_patients_get_404_on_every_page(client_for, charlie, pat, patient, course, scored):
    for user in (charlie, pat):
        client = client_for(user)
        for url in _pages(patient, course, scored):
            assert client.get(url).status_code == 404, (user, url)
    for url in (reverse("outcomes:course_induction", args=[course.pk]), reverse("outcomes:course_end", args=[course.pk])):
        assert client_for(charlie).post(url, {"on": "2026-01-01"}).status_code == 404


def test_the_chart_shows_the_course_trend_and_latest_scores(client_for, alice, patient, course, scored):
    text = client_for(alice).get(reverse("patients:chart", args=[patient.pk])).text
    assert "Measurement-based care" in text and "IV ketamine · Major depression" in text
    assert reverse("outcomes:trend_svg", args=[patient.pk, "phq9"]) in text
    assert "PHQ-9: baseline 21, latest 7, change -14 points (66.7 % lower): response." in text


def test_the_chart_section_is_hidden_from_roles_without_clinical_view(client_for, westside, patient, course):
    from conftest import make_staff
    from ketaclinic.accounts.roles import Role

    billing = make_staff("billy", westside, Role.BILLING)
    assert "Measurement-based care" not in client_for(billing).get(reverse("patients:chart", args=[patient.pk])).text


def test_a_nurse_records_a_scale_in_the_clinic(client_for, bob, patient, course):
    data = {f"item_{n}": v for n, v in enumerate(PHQ9_MILD_7, start=1)} | {"context": "in-clinic", "course": course.pk}
    response = client_for(bob).post(reverse("outcomes:record", args=[patient.pk, "phq9"]), data)
    saved = QuestionnaireResponse.objects.get()
    assert response.status_code == 302 and saved.entered_by == bob and not saved.entered_by_patient and saved.course == course


def test_a_clinician_records_a_cssrs_with_short_labels(client_for, alice, patient):
    page = client_for(alice).get(reverse("outcomes:record", args=[patient.pk, "cssrs"])).text
    assert "wish to be dead" in page and "Research Foundation for Mental Hygiene" in page
    data = {f"item_{n}": v for n, v in enumerate([1, 0, 1, 0, 0, 0, 0], start=1)} | {"context": "in-clinic"}
    response = client_for(alice).post(reverse("outcomes:record", args=[patient.pk, "cssrs"]), data)
    assert response.status_code == 422 and "C-SSRS item 3: yes, but item 2 is no" in response.text


def test_an_external_madrs_total_is_entered(client_for, alice, patient):
    response = client_for(alice).post(reverse("outcomes:record", args=[patient.pk, "madrs"]), {"item_1": 22, "context": "in-clinic"})
    assert response.status_code == 302 and QuestionnaireResponse.objects.get().severity == "moderate"  # 20–34


def test_an_amendment_through_the_page(client_for, alice, scored):
    data = {f"item_{n}": v for n, v in enumerate([1, 1, 1, 1, 1, 1, 1, 1, 0], start=1)} | {"reason": "Item 8 misread"}
    response = client_for(alice).post(reverse("outcomes:response_amend", args=[scored.pk]), data)
    assert response.status_code == 302
    scored.refresh_from_db()
    assert scored.status == "amended" and scored.amended_by.total == 8


def test_starting_a_course_and_completing_its_induction_through_the_pages(client_for, alice, patient, westside):
    client = client_for(alice)
    today = timezone.localdate(timezone.now(), westside.tz)
    response = client.post(reverse("outcomes:course_new", args=[patient.pk]),
                           {"route": "iv-ketamine", "condition": "ocd", "started_on": (today - dt.timedelta(days=14)).isoformat()})
    course = TreatmentCourse.objects.get()
    assert response.status_code == 302 and course.condition == "ocd" and course.primary_scale == "PHQ-9"
    client.post(reverse("outcomes:course_induction", args=[course.pk]), {"on": today.isoformat()})
    course.refresh_from_db()
    assert course.status == "maintenance"
    bad = client.post(reverse("outcomes:course_end", args=[course.pk]), {"status": "stopped", "on": "not a date"}, follow=True)
    assert "On: Enter a valid date." in bad.text


def test_a_bad_course_names_the_field(client_for, alice, patient):
    response = client_for(alice).post(reverse("outcomes:course_new", args=[patient.pk]),
                                      {"route": "iv-ketamine", "condition": "ocd", "started_on": "2001-01-01"})
    assert response.status_code == 422 and "Started on: must not be before" in response.text


def test_the_trend_chart_is_an_audited_svg(client_for, alice, patient, scored):
    response = client_for(alice).get(reverse("outcomes:trend_svg", args=[patient.pk, "phq9"]))
    assert response["Content-Type"] == "image/svg+xml" and response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk, summary__contains="PHQ-9 trend chart").exists()


def test_the_chart_opening_of_a_response_is_audited(client_for, alice, patient, scored):
    client_for(alice).get(reverse("outcomes:response", args=[scored.pk]))
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk, summary__contains="PHQ-9 response").exists()

