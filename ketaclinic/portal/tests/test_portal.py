from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent


def test_a_patient_sees_their_own_record_and_the_opening_is_audited(client_for, pat, patient):
    response = client_for(pat).get(reverse("portal:home"))
    assert response.status_code == 200 and patient.mrn in response.text and "988" in response.text
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk, actor=pat).exists()


def test_a_patient_never_sees_another_patients_record(client_for, pat, quinn, patient, other_patient):
    text = client_for(quinn).get(reverse("portal:home")).text
    assert other_patient.mrn in text and patient.mrn not in text


def test_staff_cannot_use_the_portal_pages(client_for, alice, charlie):
    assert client_for(alice).get(reverse("portal:home")).status_code == 404
    assert client_for(charlie).get(reverse("portal:edit_contact")).status_code == 404


def test_strangers_are_sent_to_the_portal_sign_in(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:sign_in"))


def test_a_patient_updates_contact_details_with_an_audit_row(client_for, pat, patient):
    data = {"phone": "+1 213 555 0000", "email": "pat@example.com", "preferred_language": "es", "preferred_name": "Pat"}
    response = client_for(pat).post(reverse("portal:edit_contact"), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.preferred_language == "es"
    event = AuditEvent.objects.get(action="update")
    assert event.actor == pat and event.changes["preferred_language"] == ["en", "es"]


def test_a_patient_cannot_change_identity_fields(client_for, pat, patient):
    client_for(pat).post(reverse("portal:edit_contact"), {"preferred_language": "en", "mrn": "HACKED", "date_of_birth": "2000-01-01"})
    patient.refresh_from_db()
    assert patient.mrn == "WS000001"


def test_bad_contact_details_name_the_field(client_for, pat, patient):
    response = client_for(pat).post(reverse("portal:edit_contact"), {"preferred_language": "en", "email": "nope"})
    assert response.status_code == 422 and "Email: Enter a valid email address." in response.text


def test_the_portal_page_is_in_the_patients_language(client_for, pat, patient):
    patient.preferred_language = "es"
    patient.save()
    assert '<html lang="es">' in client_for(pat).get(reverse("portal:home")).text
