from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.public import services, sources
from ketaclinic.public.access import get_review_for_user, listing_of
from ketaclinic.public.forms import ListingForm, RejectForm, ReplyForm
from ketaclinic.public.models import ClinicListing, Review


@staff_required
def moderation_queue(request):
    clinic = request.clinic
    access.require(request.user, Perm.REVIEW_MODERATE, clinic.pk)
    status = request.GET.get("status", Review.Status.PENDING)
    if status not in Review.Status.values:
        status = Review.Status.PENDING
    reviews = Review.objects.filter(clinic=clinic, status=status).only(
        "id", "rating", "title", "status", "submitted_at", "language", "reply_body", "clinic_id"
    )
    context = {"page": paginate(request, reviews), "status": status, "statuses": Review.Status.choices}
    return render(request, "public/staff/queue.html", context)


def _act(request, review, reject_form, reply_form):
    """Run the asked-for moderation; return (review, message) or raise ValidationError."""
    action = request.POST.get("action")
    if action == "publish":
        return services.publish_review(review, acting_user=request.user), "Published."
    if action == "reject" and reject_form.is_valid():
        reason = reject_form.cleaned_data["reason"]
        return services.reject_review(review, reason=reason, acting_user=request.user), "Rejected; the patient sees the reason."
    if action == "reply" and reply_form.is_valid():
        body = reply_form.cleaned_data["reply_body"]
        return services.reply_to_review(review, body=body, acting_user=request.user), "Reply saved."
    if action not in ("publish", "reject", "reply"):
        raise ValidationError("Choose publish, reject or reply.")
    return None, ""


@staff_required
@require_http_methods(["GET", "POST"])
def moderate_review(request, review_id: int):
    review = get_review_for_user(request.user, review_id, Perm.REVIEW_MODERATE)
    action = request.POST.get("action")
    reject_form = RejectForm(request.POST if action == "reject" else None)
    reply_form = ReplyForm(request.POST if action == "reply" else None, initial={"reply_body": review.reply_body})
    if request.method == "POST":
        try:
            done_review, done = _act(request, review, reject_form, reply_form)
        except ValidationError as error:
            if action in ("reject", "reply"):
                add_service_errors(reject_form if action == "reject" else reply_form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            if done_review is not None:
                messages.success(request, done)
                return redirect("public:moderate", review_id=review.pk)
    context = {"review": review, "reject_form": reject_form, "reply_form": reply_form}
    return render(request, "public/staff/review.html", context, status=422 if request.method == "POST" else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def listing_edit(request):
    clinic = request.clinic
    access.require(request.user, Perm.CLINIC_EDIT, clinic.pk)
    listing = listing_of(clinic) or ClinicListing(clinic=clinic)
    form = ListingForm(request.POST or None, instance=listing)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_listing(clinic, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The directory listing is saved.")
            return redirect("public:listing_edit")
    context = {"form": form, "clinic": clinic, "listing": listing, "available": sources.available()}
    return render(request, "public/staff/listing.html", context, status=422 if form.errors else 200)
