"""A clinic's crisis text (clinic admins) and questionnaire schedule (protocol editors): audited, per clinic."""

from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import ClinicSafetySettings, ClinicScaleSchedule


def test_the_defaults_are_988_911_and_the_clinics_number(westside):
    settings_row = services.get_safety_settings(westside)
    assert (settings_row.crisis_line, settings_row.emergency_number, settings_row.phone_for_patients()) == (
        "988", "911", westside.phone)
    assert settings_row.pk is None  # reading makes nothing


def test_a_clinic_admin_changes_the_crisis_text(client_for, admin, westside):
    response = client_for(admin).post(reverse("outcomes:safety_settings"), {
        "crisis_line": "988", "emergency_number": "911", "clinic_phone": "+1 310 555 0199",
        "extra_text_en": "After hours press 2.", "extra_text_es": "Fuera de horario marque 2."})
    assert response.status_code == 302
    row = ClinicSafetySettings.objects.get(clinic=westside)
    assert row.clinic_phone == "+1 310 555 0199" and row.updated_by == admin
    event = AuditEvent.objects.get(object_type="clinic_safety_settings")
    assert event.action == "create" and event.actor == admin and event.changes["clinic_phone"] == [None, "+1 310 555 0199"]


def test_a_bad_number_names_the_field(client_for, admin):
    response = client_for(admin).post(reverse("outcomes:safety_settings"), {"crisis_line": "call me", "emergency_number": "911"})
    assert response.status_code == 422 and "Crisis line: Enter a number of 3 to 20 digits" in response.text
    assert not ClinicSafetySettings.objects.exists()


def test_only_clinic_editors_may_change_the_crisis_text(client_for, bob, alice, pat):
    assert client_for(bob).get(reverse("outcomes:safety_settings")).status_code == 403
    assert client_for(alice).get(reverse("outcomes:safety_settings")).status_code == 403
    assert client_for(pat).get(reverse("outcomes:safety_settings")).status_code == 404


def test_a_change_is_audited_with_what_changed(admin, westside):
    services.update_safety_settings(westside, data={"crisis_line": "988", "emergency_number": "911"}, acting_user=admin)
    services.update_safety_settings(westside, data={"extra_text_en": "Press 2."}, acting_user=admin)
    update = AuditEvent.objects.get(object_type="clinic_safety_settings", action="update")
    assert update.changes == {"extra_text_en": ["", "Press 2."]} and update.clinic_id == westside.pk


def test_a_physician_edits_the_schedule(client_for, alice, westside):
    client = client_for(alice)
    page = client.get(reverse("outcomes:schedule_settings")).text
    assert "These are the defaults" in page and "UNSOURCED" in page
    response = client.post(reverse("outcomes:schedule_settings"), {
        "intake": ["PHQ-9", "GAD-7", "PCL-5"], "pre_dose": ["PHQ-9"], "after_first_dose": [], "induction_weekly": ["PHQ-9"],
        "maintenance_monthly": ["PHQ-9"], "after_first_dose_hours": 24, "induction_interval_days": 7,
        "maintenance_interval_days": 30})
    assert response.status_code == 302
    row = ClinicScaleSchedule.objects.get(clinic=westside)
    assert row.intake == ["PHQ-9", "GAD-7", "PCL-5"] and row.after_first_dose == [] and row.maintenance_interval_days == 30


def test_a_bad_interval_names_the_field(client_for, alice):
    response = client_for(alice).post(reverse("outcomes:schedule_settings"), {
        "after_first_dose_hours": 24, "induction_interval_days": 0, "maintenance_interval_days": 28})
    assert response.status_code == 422 and "Days between induction questionnaires" in response.text
    assert not ClinicScaleSchedule.objects.exists()


def test_nurses_and_other_clinics_cannot_edit_the_schedule(client_for, bob, charlie, westside):
    assert client_for(bob).get(reverse("outcomes:schedule_settings")).status_code == 403
    client_for(charlie).post(reverse("outcomes:schedule_settings"), {
        "intake": ["PHQ-9"], "after_first_dose_hours": 24, "induction_interval_days": 7, "maintenance_interval_days": 28})
    assert not ClinicScaleSchedule.objects.filter(clinic=westside).exists()  # charlie can only touch Pasadena's
