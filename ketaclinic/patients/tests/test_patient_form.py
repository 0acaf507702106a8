import datetime as dt

import pytest
from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.patients.models import Patient

VALID = dict(
    legal_first_name="Dana", legal_last_name="Sample", date_of_birth="1990-05-17", sex_at_birth="female",
    preferred_language="en", phone="+1 310 555 1234", email="dana@example.com", weight_kg="72.5", height_cm="168",
    measured_on="2026-11-20",
)


def test_it_registers_a_patient_with_the_next_mrn_and_an_audit_row(client_for, alice, westside):
    response = client_for(alice).post(reverse("patients:new"), VALID)
    patient = Patient.objects.get(legal_last_name="Sample")
    assert response.status_code == 302 and response["Location"] == reverse("patients:chart", args=[patient.pk])
    assert patient.mrn == "WS000001" and patient.clinic == westside
    event = AuditEvent.objects.get(action="create", object_type="patient")
    assert event.actor == alice and event.patient_id == patient.pk and event.clinic_id == westside.pk
    assert event.changes["legal_last_name"] == [None, "Sample"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date_of_birth", (dt.date.today() + dt.timedelta(days=2)).isoformat(), "must not be in the future"),
        ("weight_kg", "401", "less than or equal to 400"),
        ("weight_kg", "19.9", "greater than or equal to 20"),
        ("email", "not-an-email", "valid email"),
        ("legal_last_name", "", "required"),
    ],
)
def test_it_rejects_bad_input_naming_the_field_and_saves_nothing(client_for, alice, field, value, message):
    response = client_for(alice).post(reverse("patients:new"), {**VALID, field: value})
    assert response.status_code == 422
    assert message in response.text
    assert f'id="id_{field}-error"' in response.text
    assert not Patient.objects.exists() and not AuditEvent.objects.exclude(action="sign_in").exists()


def test_it_rejects_a_duplicate_mrn_within_the_clinic(client_for, alice, patient):
    response = client_for(alice).post(reverse("patients:new"), {**VALID, "mrn": patient.mrn.lower()})
    assert response.status_code == 422 and "already used at this clinic" in response.text
    assert Patient.objects.count() == 1


def test_the_same_mrn_is_fine_at_another_clinic(client_for, charlie, patient):
    response = client_for(charlie).post(reverse("patients:new"), {**VALID, "mrn": patient.mrn})
    assert response.status_code == 302


def test_it_records_old_and_new_values_when_editing(client_for, alice, patient):
    data = {f: getattr(patient, f) or "" for f in ("legal_first_name", "legal_last_name", "preferred_name", "mrn", "sex_at_birth", "preferred_language", "phone", "email", "measured_on")}
    data.update(date_of_birth=patient.date_of_birth.isoformat(), weight_kg="81.0", height_cm="170.0", email="new@example.com")
    response = client_for(alice).post(reverse("patients:edit", args=[patient.pk]), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="update")
    assert event.changes == {"email": ["p1@example.com", "new@example.com"], "weight_kg": ["70.0", "81.0"]}


def test_a_user_of_another_clinic_gets_404(client_for, charlie, patient):
    client = client_for(charlie)
    assert client.get(reverse("patients:edit", args=[patient.pk])).status_code == 404
    assert client.post(reverse("patients:edit", args=[patient.pk]), VALID).status_code == 404


def test_a_billing_clerk_may_look_but_not_edit(client_for, westside, patient):
    from conftest import make_staff
    from ketaclinic.accounts.roles import Role

    clerk = make_staff("clerk", westside, Role.BILLING)
    client = client_for(clerk)
    assert client.get(reverse("patients:chart", args=[patient.pk])).status_code == 200
    assert client.get(reverse("patients:edit", args=[patient.pk])).status_code == 403
    assert client.get(reverse("patients:new")).status_code == 403


def test_a_patient_cannot_use_staff_forms(client_for, pat, patient):
    client = client_for(pat)
    assert client.get(reverse("patients:edit", args=[patient.pk])).status_code == 404
    assert client.get(reverse("patients:new")).status_code == 404
