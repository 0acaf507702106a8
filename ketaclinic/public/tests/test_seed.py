from io import StringIO

from django.core.management import call_command

from ketaclinic.outcomes.models import TreatmentCourse
from ketaclinic.public.models import ClinicListing, Review


def _state():
    return (ClinicListing.objects.count(), sorted(Review.objects.values_list("patient_id", "status", "reply_body")))


def test_the_demo_lists_both_clinics_with_published_reviews_and_a_reply(db):
    call_command("seed_demo", stdout=StringIO())
    listings = {listing.clinic.name: listing for listing in ClinicListing.objects.select_related("clinic")}
    assert set(listings) == {"Westside Ketamine Clinic", "Pasadena Ketamine Clinic"}
    assert all(listing.listed and listing.lead_board_certified and listing.routes for listing in listings.values())
    reviews = Review.objects.select_related("patient")
    assert reviews.exists() and all(r.status == Review.Status.PUBLISHED for r in reviews)
    assert any(r.reply_body for r in reviews)
    for review in reviews:  # every demo review comes from a patient whose induction is complete, as in the portal
        assert review.patient.clinic_id == review.clinic_id
        assert TreatmentCourse.objects.filter(patient=review.patient, induction_completed_on__isnull=False).exists()


def test_a_second_demo_run_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    before = _state()
    call_command("seed_demo", stdout=StringIO())
    assert _state() == before
