import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.public import services
from ketaclinic.public.models import ClinicListing
from ketaclinic.public.tests.conftest import LISTING

FORM = {
    "listed": "on", "lead_name": "Dr. Ana Reyes, MD", "lead_specialty": "psychiatry", "lead_board_certified": "on",
    "anesthesiologist_on_site": "on", "routes": ["iv-ketamine", "esketamine"], "languages": ["en", "es"],
    "equipment": ["pulse-oximetry", "ecg"], "first_consultation_wait_days": "5", "accepting_new_patients": "on",
    "about_en": "Calm.", "about_es": "",
}


def test_a_clinic_admin_lists_the_clinic(client_for, admin, westside):
    response = client_for(admin).post(reverse("public:listing_edit"), FORM)
    assert response.status_code == 302
    listing = ClinicListing.objects.get(clinic=westside)
    assert listing.listed and listing.routes == ["iv-ketamine", "esketamine"] and listing.updated_by == admin
    assert AuditEvent.objects.filter(object_type="clinic_listing", action="create", clinic=westside).exists()
    assert client_for(admin).get(reverse("public:clinic", args=[westside.pk])).status_code == 200


def test_a_listed_clinic_must_say_what_it_offers(client_for, admin, westside):
    response = client_for(admin).post(reverse("public:listing_edit"), {**FORM, "routes": []})
    assert response.status_code == 422
    assert "Treatments offered: A listed clinic says which treatments it offers." in response.content.decode()
    assert not ClinicListing.objects.exists()


def test_an_implausible_wait_is_refused_naming_the_field(westside):
    with pytest.raises(ValidationError) as caught:
        services.save_listing(westside, data={**LISTING, "first_consultation_wait_days": 900}, acting_user=None)
    assert "first_consultation_wait_days" in caught.value.message_dict


def test_unknown_choices_are_refused_naming_the_field(westside):
    with pytest.raises(ValidationError) as caught:
        services.save_listing(westside, data={**LISTING, "equipment": ["x-ray"]}, acting_user=None)
    assert "x-ray is not one of" in caught.value.message_dict["equipment"][0]


def test_a_change_is_audited_with_what_changed(admin, westside):
    services.save_listing(westside, data=LISTING, acting_user=admin)
    services.save_listing(westside, data={"first_consultation_wait_days": 3}, acting_user=admin)
    event = AuditEvent.objects.filter(object_type="clinic_listing", action="update").get()
    assert event.changes == {"first_consultation_wait_days": [7, 3]}


def test_unlisting_takes_the_clinic_out_at_once(client, admin, westside, django_capture_on_commit_callbacks):
    services.save_listing(westside, data=LISTING, acting_user=admin)
    assert client.get(reverse("public:clinic", args=[westside.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.save_listing(westside, data={"listed": False}, acting_user=admin)
    assert client.get(reverse("public:clinic", args=[westside.pk])).status_code == 404
    assert "Westside" not in client.get("/guide/clinics/").content.decode()
