"""/api/v1/public/: the directory (open to anyone, no token), reviews (patients write, staff moderate) and listings.

The directory endpoints return exactly what the public pages show; no patient data ever leaves them.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ketaclinic.api.pagination import Pagination
from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.api.auth import personal_only
from ketaclinic.api.schemas import ERRORS, WRITE_ERRORS, ValidationErrorOut
from ketaclinic.public import directory as dirs
from ketaclinic.public import services
from ketaclinic.public.access import get_listed_clinic, get_review_for_user, listing_of
from ketaclinic.public.geo import ZipError, zip_point
from ketaclinic.public.models import ClinicListing, Review

router = Router(tags=["public"])


class RateOut(Schema):
    count: int
    of: int
    pct: int


class OutcomesOut(Schema):
    available: bool = Field(description="False when the clinic's measured results cannot be computed at all.")
    shown: bool = Field(description="False below the minimum number of measured courses (min_courses).")
    min_courses: int
    response: RateOut | None = None
    remission: RateOut | None = None
    lost_to_follow_up: RateOut | None = None


class RatingOut(Schema):
    count: int
    average: float | None


class DirectoryClinicOut(Schema):
    id: int
    name: str
    address_line1: str
    city: str
    state: str
    postal_code: str
    phone: str
    rems_certified: bool
    lead_name: str
    lead_specialty: str
    lead_board_certified: bool
    anesthesiologist_on_site: bool
    psychiatrist_on_site: bool
    crna_on_site: bool
    equipment: list[str]
    routes: list[str]
    languages: list[str]
    first_consultation_wait_days: int | None
    accepting_new_patients: bool
    rating: RatingOut
    outcomes: OutcomesOut
    distance_miles: float | None = None


class PriceOut(Schema):
    label: str
    price_cents: int


class ClinicDetailOut(DirectoryClinicOut):
    about: str
    prices: list[PriceOut] | None = Field(description="None when the clinic's price list is not published.")
    esketamine_payers: list[str] | None


class ClinicSearchIn(Schema):
    zip: str = Field(examples=["90064"])
    route: str = ""
    language: str = ""
    within_miles: int | None = Field(None, ge=1, le=3000)


class PublicReviewOut(Schema):
    id: int
    rating: int
    title: str
    body: str
    language: str
    submitted_on: dt.date
    reply_body: str
    replied_on: dt.date | None

    @staticmethod
    def resolve_submitted_on(obj) -> dt.date:
        return obj["submitted_on"] if isinstance(obj, dict) else obj.submitted_at.date()

    @staticmethod
    def resolve_replied_on(obj) -> dt.date | None:
        if isinstance(obj, dict):
            return obj["replied_on"]
        return obj.replied_at.date() if obj.replied_at else None


class ReviewOut(PublicReviewOut):
    clinic_id: int
    status: str
    rejection_reason: str
    induction_completed_on: dt.date


class ReviewIn(Schema):
    rating: int = Field(ge=1, le=5)
    title: str = Field(max_length=120)
    body: str
    language: str = Field("en", pattern="^(en|es)$")


class RejectIn(Schema):
    reason: str


class ReplyIn(Schema):
    body: str = Field(description="Empty removes the reply.")


class ListingPatch(Schema):
    listed: bool | None = None
    about_en: str | None = None
    about_es: str | None = None
    lead_name: str | None = None
    lead_specialty: str | None = None
    lead_board_certified: bool | None = None
    anesthesiologist_on_site: bool | None = None
    psychiatrist_on_site: bool | None = None
    crna_on_site: bool | None = None
    equipment: list[str] | None = None
    routes: list[str] | None = None
    languages: list[str] | None = None
    first_consultation_wait_days: int | None = None
    accepting_new_patients: bool | None = None


class ListingOut(Schema):
    clinic_id: int
    listed: bool
    about_en: str
    about_es: str
    lead_name: str
    lead_specialty: str
    lead_board_certified: bool
    anesthesiologist_on_site: bool
    psychiatrist_on_site: bool
    crna_on_site: bool
    equipment: list[str]
    routes: list[str]
    languages: list[str]
    first_consultation_wait_days: int | None
    accepting_new_patients: bool


def _rate(rate):
    return None if rate is None else {"count": rate.count, "of": rate.of, "pct": rate.pct}


def _card_out(card) -> dict:
    c, ls, o = card.clinic, card.listing, card.outcomes
    return {
        "id": c.pk, "name": c.name, "address_line1": c.address_line1, "city": c.city, "state": c.state,
        "postal_code": c.postal_code, "phone": c.phone, "rems_certified": c.rems_certified,
        **{name: getattr(ls, name) for name in ClinicListing.AUDITED_FIELDS if name not in ("listed", "about_en", "about_es")},
        "rating": {"count": card.rating.count, "average": float(card.rating.average) if card.rating.average else None},
        "outcomes": {"available": card.outcomes_available, "shown": o.shown, "min_courses": o.min_courses,
                     "response": _rate(o.response), "remission": _rate(o.remission),
                     "lost_to_follow_up": _rate(o.lost_to_follow_up)},
        "distance_miles": round(card.distance_miles, 1) if card.distance_miles is not None else None,
    }


def _review_out(review: Review) -> dict:
    return {
        "id": review.pk, "rating": review.rating, "title": review.title, "body": review.body,
        "language": review.language, "submitted_on": review.submitted_at.date(),
        "reply_body": review.reply_body, "replied_on": review.replied_at.date() if review.replied_at else None,
        "clinic_id": review.clinic_id, "status": review.status, "rejection_reason": review.rejection_reason,
        "induction_completed_on": review.induction_completed_on,
    }


# ---- the directory: public -------------------------------------------------------------------------------

@router.get("/clinics", auth=None, response={200: list[DirectoryClinicOut]}, summary="Clinics in the directory")
@paginate(Pagination)
def list_directory(request):
    return [_card_out(card) for card in dirs.all_cards()]


@router.post("/clinics/search", auth=None, response={200: list[DirectoryClinicOut], 422: ValidationErrorOut},
             summary="Clinics near a ZIP code, nearest first")
def search_directory(request, payload: ClinicSearchIn):
    """A POST so that the ZIP code stays out of URLs and logs. Read-only."""
    try:
        origin = zip_point(payload.zip)
    except ZipError as error:
        raise ValidationError({"zip": str(error).removeprefix("zip: ")}) from None
    cards = dirs.search(dirs.all_cards(), origin=origin, route=payload.route, language=payload.language,
                        within_miles=payload.within_miles)
    return [_card_out(card) for card in cards]


@router.get("/clinics/{clinic_id}", auth=None, response={200: ClinicDetailOut, 404: dict})
def read_directory_clinic(request, clinic_id: int):
    clinic = get_listed_clinic(clinic_id)
    card = dirs.cards_for([clinic.pk])[0]
    money = dirs.money_for(clinic)
    prices = None if money.prices is None else [
        {"label": str(p.label), "price_cents": p.price_cents} for p in money.prices.lines
    ]
    return {**_card_out(card), "about": card.about, "prices": prices, "esketamine_payers": money.payers}


@router.get("/clinics/{clinic_id}/reviews", auth=None, response={200: list[PublicReviewOut], 404: dict})
@paginate(Pagination)
def list_clinic_reviews(request, clinic_id: int):
    return dirs.published_reviews(get_listed_clinic(clinic_id))


# ---- reviews: patients write, staff moderate ---------------------------------------------------------------

@router.post("/reviews", response={201: ReviewOut, **WRITE_ERRORS}, summary="Write a review (patients)")
def create_review(request, payload: ReviewIn):
    personal_only(request)
    if not request.user.is_patient:
        raise PermissionDenied("Only patients write reviews.")
    patient = request.user.portal_account.patient
    review = services.submit_review(patient, data=payload.dict(), acting_user=request.user)
    return Status(201, _review_out(review))


@router.get("/reviews", response={200: list[ReviewOut], **ERRORS},
            summary="Reviews to moderate (staff) or your own reviews (patients)")
@paginate(Pagination)
def list_reviews(request, clinic_id: int | None = None, status: str | None = None):
    personal_only(request)
    if request.user.is_patient:
        reviews = Review.objects.filter(patient_id=request.user.portal_account.patient_id)
    else:
        reviews = Review.objects.filter(clinic_id__in=access.clinic_ids(request.user, Perm.REVIEW_MODERATE))
        if clinic_id is not None:
            access.require(request.user, Perm.REVIEW_MODERATE, clinic_id)
            reviews = reviews.filter(clinic_id=clinic_id)
    if status:
        reviews = reviews.filter(status=status)
    return reviews


@router.get("/reviews/{review_id}", response={200: ReviewOut, **ERRORS})
def read_review(request, review_id: int):
    personal_only(request)
    perm = None if request.user.is_patient else Perm.REVIEW_MODERATE
    return _review_out(get_review_for_user(request.user, review_id, perm))


@router.post("/reviews/{review_id}/publish", response={200: ReviewOut, **WRITE_ERRORS})
def publish_review(request, review_id: int):
    personal_only(request)
    review = get_review_for_user(request.user, review_id, Perm.REVIEW_MODERATE)
    return _review_out(services.publish_review(review, acting_user=request.user))


@router.post("/reviews/{review_id}/reject", response={200: ReviewOut, **WRITE_ERRORS})
def reject_review(request, review_id: int, payload: RejectIn):
    personal_only(request)
    review = get_review_for_user(request.user, review_id, Perm.REVIEW_MODERATE)
    return _review_out(services.reject_review(review, reason=payload.reason, acting_user=request.user))


@router.put("/reviews/{review_id}/reply", response={200: ReviewOut, **WRITE_ERRORS})
def reply_to_review(request, review_id: int, payload: ReplyIn):
    personal_only(request)
    review = get_review_for_user(request.user, review_id, Perm.REVIEW_MODERATE)
    return _review_out(services.reply_to_review(review, body=payload.body, acting_user=request.user))


@router.post("/reviews/{review_id}/withdraw", response={200: ReviewOut, **WRITE_ERRORS}, summary="Withdraw your review")
def withdraw_review(request, review_id: int):
    personal_only(request)
    review = get_review_for_user(request.user, review_id)
    return _review_out(services.withdraw_review(review, acting_user=request.user))


# ---- listings: the clinic's own entry ----------------------------------------------------------------------

@router.get("/listings/{clinic_id}", response={200: ListingOut, **ERRORS})
def read_listing(request, clinic_id: int):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, clinic_id, Perm.CLINIC_EDIT)
    listing = listing_of(clinic) or ClinicListing(clinic=clinic)
    return {"clinic_id": clinic.pk, **{name: getattr(listing, name) for name in ClinicListing.AUDITED_FIELDS}}


@router.patch("/listings/{clinic_id}", response={200: ListingOut, **WRITE_ERRORS})
def update_listing(request, clinic_id: int, payload: ListingPatch):
    personal_only(request)
    clinic = access.get_clinic_for_user(request.user, clinic_id, Perm.CLINIC_EDIT)
    listing = services.save_listing(clinic, data=payload.dict(exclude_unset=True), acting_user=request.user)
    return {"clinic_id": clinic.pk, **{name: getattr(listing, name) for name in ClinicListing.AUDITED_FIELDS}}
