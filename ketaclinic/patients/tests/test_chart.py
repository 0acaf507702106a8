from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent


def test_it_shows_the_header_and_records_the_opening(client_for, alice, patient):
    response = client_for(alice).get(reverse("patients:chart", args=[patient.pk]))
    assert response.status_code == 200
    for text in ("Pat Núñez", patient.mrn, "Westside", f"<b>Age</b>{patient.age_years}"):
        assert text in response.text
    event = AuditEvent.objects.get(action="view")
    assert (event.actor, event.patient_id, event.clinic_id) == (alice, patient.pk, patient.clinic_id)


def test_it_does_not_show_empty_sections_for_later_features(client_for, alice, patient):
    text = client_for(alice).get(reverse("patients:chart", args=[patient.pk])).text
    for absent in ("Treatment plan", "Visits", "Invoices", "Coming soon"):
        assert absent not in text


def test_a_user_of_another_clinic_gets_404_and_nothing_is_recorded(client_for, charlie, patient):
    assert client_for(charlie).get(reverse("patients:chart", args=[patient.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_patient_cannot_open_the_staff_chart_even_their_own(client_for, pat, patient):
    assert client_for(pat).get(reverse("patients:chart", args=[patient.pk])).status_code == 404


def test_an_unknown_patient_is_404(client_for, alice):
    assert client_for(alice).get(reverse("patients:chart", args=[99999])).status_code == 404
