import csv

from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.forms import AuditFilterForm
from ketaclinic.accounts.middleware import SESSION_CLINIC_KEY
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.pagination import paginate


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


def sign_out(request):
    if request.method == "POST":
        logout(request)
    return redirect("accounts:sign_in")


@staff_required
@require_POST
def switch_clinic(request):
    clinic = access.get_clinic_for_user(request.user, request.POST.get("clinic_id"))
    request.session[SESSION_CLINIC_KEY] = clinic.pk
    return redirect(request.POST.get("next") if _is_local(request.POST.get("next")) else reverse("patients:list"))


def _is_local(url: str | None) -> bool:
    return bool(url) and url.startswith("/") and not url.startswith("//")


def _filtered_events(request, form: AuditFilterForm):
    clinic = request.clinic
    events = AuditEvent.objects.filter(clinic_id=clinic.pk).select_related("patient")
    if form.is_valid():
        data = form.cleaned_data
        if data["patient"]:
            events = events.filter(patient__mrn__iexact=data["patient"].strip(), patient__clinic_id=clinic.pk)
        if data["person"]:
            events = events.filter(actor__username__iexact=data["person"].strip())
        lo, hi = form.day_bounds(clinic.tz)
        if lo:
            events = events.filter(at__gte=lo)
        if hi:
            events = events.filter(at__lt=hi)
    return events


@staff_required
@require_http_methods(["GET", "POST"])
def audit_log(request):
    """Filters are POSTed: an MRN is patient data and stays out of URLs and server logs."""
    access.require(request.user, Perm.AUDIT_VIEW, request.clinic.pk)
    form = AuditFilterForm(request.POST if request.method == "POST" else None)
    page = paginate(request, _filtered_events(request, form), per_page=50)
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})


class _Echo:
    def write(self, value):
        return value


@staff_required
@require_POST
def audit_log_csv(request):
    access.require(request.user, Perm.AUDIT_VIEW, request.clinic.pk)
    form = AuditFilterForm(request.POST)
    events = _filtered_events(request, form)
    audit.record(audit.Action.EXPORT, actor=request.user, object_type="audit_log", clinic=request.clinic, summary="Exported audit log CSV")
    writer = csv.writer(_Echo())
    header = ["at_utc", "actor", "action", "object_type", "object_id", "patient_mrn", "summary", "changes"]

    def rows():
        yield writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([
                e.at.isoformat(), e.actor_label, e.action, e.object_type, e.object_id,
                e.patient.mrn if e.patient_id and e.patient else "", e.summary, e.changes,
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
