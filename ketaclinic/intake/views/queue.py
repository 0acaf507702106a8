"""The front desk's queue of consultation requests: call back, register as a patient, or close."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.intake import services
from ketaclinic.intake.access import get_consultation_request_for_user
from ketaclinic.intake.forms.staff import CloseForm, ContactNoteForm, RegisterForm
from ketaclinic.intake.models import ConsultationRequest

Status = ConsultationRequest.Status
FILTERS = {
    "open": ("Open", (Status.NEW, Status.CONTACTED)),
    "new": ("New", (Status.NEW,)),
    "contacted": ("Contacted", (Status.CONTACTED,)),
    "registered": ("Registered", (Status.REGISTERED,)),
    "closed": ("Closed", (Status.CLOSED,)),
}


@staff_required
def queue(request):
    clinic = request.clinic
    access.require(request.user, Perm.INTAKE_QUEUE, clinic.pk)
    shown = request.GET.get("status") if request.GET.get("status") in FILTERS else "open"
    requests = ConsultationRequest.objects.filter(clinic=clinic, status__in=FILTERS[shown][1]).order_by("created_at", "id")
    context = {"page": paginate(request, requests), "filters": FILTERS, "shown": shown, "tz": clinic.tz}
    return render(request, "intake/queue/list.html", context)


def _detail(request, consultation, *, contact_form=None, close_form=None, register_form=None, status=200):
    return render(request, "intake/queue/detail.html", {
        "req": consultation, "notes": consultation.notes.select_related("by"), "tz": consultation.clinic.tz,
        "contact_form": contact_form or ContactNoteForm(), "close_form": close_form or CloseForm(),
        "register_form": register_form or RegisterForm(initial={
            "legal_first_name": consultation.first_name, "legal_last_name": consultation.last_name,
            "phone": consultation.phone, "email": consultation.email}),
        "can_register": access.can(request.user, Perm.PATIENT_CREATE, consultation.clinic_id),
    }, status=status)


@staff_required
def request_detail(request, request_id: int):
    consultation = get_consultation_request_for_user(request.user, request_id)
    services.record_request_opened(consultation, acting_user=request.user)
    return _detail(request, consultation)


@staff_required
@require_POST
def request_contact(request, request_id: int):
    consultation = get_consultation_request_for_user(request.user, request_id)
    form = ContactNoteForm(request.POST)
    if form.is_valid():
        try:
            services.record_contact(consultation, note=form.cleaned_data["note"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contact recorded.")
            return redirect("intake:request_detail", request_id=consultation.pk)
    return _detail(request, consultation, contact_form=form, status=422)


@staff_required
@require_POST
def request_close(request, request_id: int):
    consultation = get_consultation_request_for_user(request.user, request_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_request(consultation, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Request closed.")
            return redirect("intake:queue")
    return _detail(request, consultation, close_form=form, status=422)


@staff_required
@require_POST
def request_register(request, request_id: int):
    consultation = get_consultation_request_for_user(request.user, request_id, Perm.PATIENT_CREATE)
    form = RegisterForm(request.POST)
    if form.is_valid():
        try:
            patient = services.register_patient(consultation, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Registered {patient.display_name}, MRN {patient.mrn}; the intake is open.")
            return redirect("patients:chart", patient_id=patient.pk)  # the front desk may not read clinical pages
    return _detail(request, consultation, register_form=form, status=422)
