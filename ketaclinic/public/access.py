"""Who may reach a review or a listing. Views and endpoints start here; nothing else decides."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ketaclinic.accounts import access
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.public.models import ClinicListing, Review


def get_review_for_user(user: User, review_id, perm: str | None = None) -> Review:
    """A staff member with ``perm`` at the review's clinic, or the patient who wrote it (when ``perm`` is None).

    Another clinic's review, or another patient's, answers 404.
    """
    try:
        review = Review.objects.select_related("clinic").get(pk=int(review_id))
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review.") from None
    if user.is_authenticated and user.is_patient:
        if review.patient_id != user.portal_account.patient_id:
            raise Http404("No such review.")
        if perm is not None:
            raise PermissionDenied("Patients cannot moderate reviews.")
        return review
    if perm is None:
        raise Http404("No such review.")
    access.require(user, perm, review.clinic_id)
    return review


def get_listed_clinic(clinic_id) -> Clinic:
    """A clinic that chose to be in the directory; any other clinic does not exist for the public."""
    try:
        return Clinic.objects.select_related("listing").get(pk=int(clinic_id), listing__listed=True)
    except (Clinic.DoesNotExist, ValueError, TypeError):
        raise Http404("No such clinic in the directory.") from None


def listing_of(clinic: Clinic) -> ClinicListing | None:
    return ClinicListing.objects.filter(clinic=clinic).first()
