"""Every change to what the public sees: listings, reviews, moderation and replies.

One transaction per change with its audit row; the public pages' cache moves on when the change commits.
Staff moderate (publish, reject with a reason) and reply, but no function here lets anyone but the patient
change what the patient wrote — and the patient can only withdraw it, not rewrite it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.patients.models import Patient
from ketaclinic.public import caching, sources
from ketaclinic.public.models import (
    REPLY_BODY_MAX_CHARS, REVIEW_BODY_MAX_CHARS, ClinicListing, Equipment, Language, Review, RouteOffered,
)

REVIEW_FIELDS = ("rating", "title", "body", "language")
REJECTION_REASON_MIN_CHARS = 10
_LIVE = (Review.Status.PENDING, Review.Status.PUBLISHED)
_CHOICE_LISTS = {"equipment": Equipment, "routes": RouteOffered, "languages": Language}


# ---- listings -------------------------------------------------------------------------------------------

def _clean_choice_list(name: str, value) -> list[str]:
    choices = _CHOICE_LISTS[name]
    if not isinstance(value, (list, tuple)):
        raise ValidationError({name: "must be a list."})
    unknown = [v for v in value if v not in choices.values]
    if unknown:
        raise ValidationError({name: f"{', '.join(map(str, unknown))} is not one of {', '.join(choices.values)}."})
    return [v for v in choices.values if v in value]  # the choices' order, no duplicates


def _apply_listing(listing: ClinicListing, data: dict[str, Any]) -> None:
    unknown = set(data) - set(ClinicListing.AUDITED_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a listing field that can be set." for name in sorted(unknown)})
    for name, value in data.items():
        if name in _CHOICE_LISTS:
            value = _clean_choice_list(name, value)
        setattr(listing, name, value)
    if listing.listed and not listing.routes:
        raise ValidationError({"routes": "A listed clinic says which treatments it offers."})
    if listing.listed and not listing.languages:
        raise ValidationError({"languages": "A listed clinic says which languages its staff speak."})


@transaction.atomic
def save_listing(clinic: Clinic, *, data: dict[str, Any], acting_user: User | None) -> ClinicListing:
    listing = ClinicListing.objects.select_for_update().filter(clinic=clinic).first()
    created = listing is None
    listing = listing or ClinicListing(clinic=clinic)
    before = {} if created else audit.snapshot(listing, ClinicListing.AUDITED_FIELDS)
    _apply_listing(listing, data)
    listing.updated_at, listing.updated_by = timezone.now(), acting_user
    listing.full_clean(exclude=["clinic"])
    listing.save()
    changes = audit.changed(before, audit.snapshot(listing, ClinicListing.AUDITED_FIELDS))
    if changes:
        audit.record(
            audit.Action.CREATE if created else audit.Action.UPDATE, actor=acting_user, object_type="clinic_listing",
            object_id=listing.pk, clinic=clinic, summary="Directory listing " + ("created" if created else "changed"),
            changes=changes,
        )
        caching.invalidate_on_commit()
    return listing


# ---- reviews: the patient's side --------------------------------------------------------------------------

def check_can_review(patient: Patient, *, acting_user: User) -> Any:
    """The date the patient's induction ended, or ValidationError saying why they cannot review (yet)."""
    if not (acting_user.is_authenticated and acting_user.is_patient and acting_user.portal_account.patient_id == patient.pk):
        raise PermissionDenied("Only the patient can review their own treatment.")
    completed_on = sources.completed_induction_on(patient)
    if completed_on is None:
        raise ValidationError(
            "Reviews are written by patients who have completed an induction series, so that every review "
            "comes from someone who went through a full course of treatment."
        )
    if Review.objects.filter(patient=patient, clinic_id=patient.clinic_id, status__in=_LIVE).exists():
        raise ValidationError("You already have a review of this clinic. Withdraw it first to write a new one.")
    return completed_on


def _clean_review_data(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError({name: "is not a review field." for name in sorted(unknown)})
    cleaned = {**data, "title": (data.get("title") or "").strip(), "body": (data.get("body") or "").strip()}
    if len(cleaned["body"]) > REVIEW_BODY_MAX_CHARS:
        raise ValidationError({"body": f"Keep the review under {REVIEW_BODY_MAX_CHARS} characters."})
    return cleaned


@transaction.atomic
def submit_review(patient: Patient, *, data: dict[str, Any], acting_user: User) -> Review:
    completed_on = check_can_review(patient, acting_user=acting_user)
    review = Review(
        clinic_id=patient.clinic_id, patient=patient, author=acting_user, induction_completed_on=completed_on,
        **_clean_review_data(data),
    )
    review.full_clean(exclude=["clinic", "patient", "author"])
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:  # two submissions at once: the constraint keeps one
        raise ValidationError("You already have a review of this clinic.") from None
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="review", object_id=review.pk, clinic=review.clinic_id,
        patient=patient, summary="Review submitted for moderation", changes={"rating": [None, review.rating]},
    )
    return review


@transaction.atomic
def withdraw_review(review: Review, *, acting_user: User) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if not (acting_user.is_patient and acting_user.portal_account.patient_id == review.patient_id):
        raise PermissionDenied("Only the patient who wrote a review can withdraw it.")
    if review.status not in _LIVE:
        raise ValidationError("This review is not pending or published, so there is nothing to withdraw.")
    was_public = review.status == Review.Status.PUBLISHED
    _set_status(review, Review.Status.WITHDRAWN, acting_user, "Review withdrawn by the patient")
    if was_public:
        caching.invalidate_on_commit()
    return review


# ---- reviews: moderation ----------------------------------------------------------------------------------

def _set_status(review: Review, status: str, acting_user: User, summary: str, **extra) -> None:
    before = review.status
    review.status = status
    review.moderated_at, review.moderated_by = timezone.now(), acting_user
    for name, value in extra.items():
        setattr(review, name, value)
    review.save(update_fields=["status", "moderated_at", "moderated_by", *extra])
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type="review", object_id=review.pk, clinic=review.clinic_id,
        patient=review.patient_id, summary=summary,
        changes={"status": [before, status], **{k: ["", v] for k, v in extra.items()}},
    )


@transaction.atomic
def publish_review(review: Review, *, acting_user: User) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status not in (Review.Status.PENDING, Review.Status.REJECTED):
        raise ValidationError({"status": f"A {review.get_status_display().lower()} review cannot be published."})
    if review.status == Review.Status.REJECTED and Review.objects.filter(
        patient_id=review.patient_id, clinic_id=review.clinic_id, status__in=_LIVE
    ).exists():
        raise ValidationError({"status": "The patient has written a newer review; moderate that one instead."})
    _set_status(review, Review.Status.PUBLISHED, acting_user, "Review published", rejection_reason="")
    caching.invalidate_on_commit()
    return review


@transaction.atomic
def reject_review(review: Review, *, reason: str, acting_user: User) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    reason = (reason or "").strip()
    if len(reason) < REJECTION_REASON_MIN_CHARS:
        raise ValidationError({"reason": "Say why the review is not published (at least 10 characters); the patient sees it."})
    if review.status not in _LIVE:
        raise ValidationError({"status": f"A {review.get_status_display().lower()} review cannot be rejected."})
    was_public = review.status == Review.Status.PUBLISHED
    _set_status(review, Review.Status.REJECTED, acting_user, "Review rejected", rejection_reason=reason[:300])
    if was_public:
        caching.invalidate_on_commit()
    return review


@transaction.atomic
def reply_to_review(review: Review, *, body: str, acting_user: User) -> Review:
    """The clinic's public reply, shown under a published review. An empty body removes the reply."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    body = (body or "").strip()
    if review.status != Review.Status.PUBLISHED:
        raise ValidationError({"reply_body": "Publish the review before replying to it."})
    if len(body) > REPLY_BODY_MAX_CHARS:
        raise ValidationError({"reply_body": f"Keep the reply under {REPLY_BODY_MAX_CHARS} characters."})
    before = review.reply_body
    if body == before:
        return review
    review.reply_body = body
    review.replied_at, review.replied_by = (timezone.now(), acting_user) if body else (None, None)
    review.save(update_fields=["reply_body", "replied_at", "replied_by"])
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type="review", object_id=review.pk, clinic=review.clinic_id,
        patient=review.patient_id, summary="Clinic reply " + ("removed" if not body else "changed" if before else "added"),
        changes={"reply_body": [before, body]},
    )
    caching.invalidate_on_commit()
    return review
