from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.core.decorators import patient_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.public import services
from ketaclinic.public.access import get_review_for_user
from ketaclinic.public.forms import ReviewForm
from ketaclinic.public.models import Review


def _eligibility(patient, user) -> list[str]:
    try:
        services.check_can_review(patient, acting_user=user)
    except ValidationError as error:
        return error.messages
    return []


@patient_required
@require_http_methods(["GET", "POST"])
def write_review(request):
    patient = request.user.portal_account.patient
    form = ReviewForm(request.POST or None, initial={"language": patient.preferred_language or "en"})
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.REVIEW_FIELDS}
        try:  # the service decides eligibility, whatever the page showed
            services.submit_review(patient, data=data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your review will appear once the clinic's moderator has read it."))
            return redirect("public:write_review")
    mine = list(Review.objects.filter(patient=patient).order_by("-submitted_at")[:20])
    context = {
        "form": form, "patient": patient, "not_eligible": _eligibility(patient, request.user), "mine": mine,
        "has_live_review": any(r.status in (Review.Status.PENDING, Review.Status.PUBLISHED) for r in mine),
    }
    return render(request, "public/portal_review.html", context, status=422 if form.errors else 200)


@patient_required
@require_POST
def withdraw_review(request, review_id: int):
    review = get_review_for_user(request.user, review_id)
    try:
        services.withdraw_review(review, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your review is withdrawn and no longer shown."))
    return redirect("public:write_review")
