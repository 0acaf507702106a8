"""Public pages: the self-screen and the consultation request. No account; nothing kept about visitors who
do not send the request form (the self-screen result is computed and shown, and counted anonymously)."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts.models import Clinic
from ketaclinic.clinical import candidacy, selfscreen
from ketaclinic.clinical.instruments import phq9
from ketaclinic.core.forms import add_service_errors
from ketaclinic.intake import services, spam
from ketaclinic.intake.forms.public import ConsultationForm, SelfScreenForm, sign_screen_summary
from ketaclinic.intake.phq9_i18n import PHQ9_STEM, SEVERITY
from ketaclinic.intake.plain_texts import plain_text


def _language() -> str:
    return (get_language() or "en")[:2]


@never_cache
@require_http_methods(["GET", "POST"])
def self_screen(request):
    form = SelfScreenForm(request.POST or None)
    if request.method == "POST":
        if spam.SELF_SCREEN_LIMIT.exceeded(request):
            return render(request, "intake/public/too_many.html", status=429)
        if form.is_valid():
            result = selfscreen.self_screen(form.answers())
            services.count_self_screen(result.outcome, language=_language())
            return render(request, "intake/public/self_screen_result.html", _result_context(form, result))
    context = {"form": form, "stem": PHQ9_STEM}
    return render(request, "intake/public/self_screen.html", context, status=422 if form.errors else 200)


def _result_context(form: SelfScreenForm, result: selfscreen.SelfScreenResult) -> dict:
    protocol, conditions = candidacy.DEFAULT_PROTOCOL, form.answers().conditions
    return {
        "result": result,
        "severity": gettext(SEVERITY.get(result.phq9.severity, result.phq9.severity)),
        "max_total": phq9.PHQ9_MAX_TOTAL,
        "concerns": [plain_text(r, protocol=protocol, conditions=conditions) for r in result.concerns],
        "cautions": [plain_text(r, protocol=protocol, conditions=conditions) for r in result.cautions],
        "consultation_form": ConsultationForm(initial={"screen": sign_screen_summary(result)}),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def consultation_request(request):
    if request.method == "POST" and spam.is_honeypot_filled(request.POST):
        return redirect("intake:consultation_thanks")  # a bot: look like success, keep nothing
    form = ConsultationForm(request.POST or None, initial=_preselect(request))
    if request.method == "POST" and form.is_valid():
        if spam.CONSULTATION_LIMIT.exceeded(request):
            return render(request, "intake/public/too_many.html", status=429)
        try:
            sent = services.submit_consultation_request(
                clinic=form.cleaned_data["clinic"], data=form.request_data(_language()))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("intake:consultation_thanks") + f"?clinic={sent.clinic_id}")
    return render(request, "intake/public/consultation.html", {"form": form}, status=422 if form.errors else 200)


def _preselect(request) -> dict:
    clinic_id = request.GET.get("clinic", "")
    if clinic_id.isdigit() and Clinic.objects.filter(pk=int(clinic_id)).exists():
        return {"clinic": int(clinic_id)}
    return {}


def consultation_thanks(request):
    clinic_id = request.GET.get("clinic", "")
    clinic = Clinic.objects.filter(pk=int(clinic_id)).first() if clinic_id.isdigit() else None
    return render(request, "intake/public/thanks.html", {"clinic": clinic})
