from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.sections import chart as chart_sections
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.patients import search, services
from ketaclinic.patients.access import get_patient_for_user, patients_visible_to
from ketaclinic.patients.forms import PatientForm


@staff_required
@require_http_methods(["GET", "POST"])
def patient_list(request):
    """Search is a POST so that names, birth dates and phone numbers never land in URLs or server logs."""
    clinic = request.clinic
    query = request.POST.get("q", "").strip() if request.method == "POST" else ""
    patients = search.search(patients_visible_to(request.user).filter(clinic=clinic), query)
    page = paginate(request, patients.only(
        "id", "mrn", "legal_first_name", "legal_last_name", "preferred_name", "date_of_birth", "phone", "clinic_id"
    ))
    context = {"page": page, "query": query, "can_create": access.can(request.user, Perm.PATIENT_CREATE, clinic.pk)}
    template = "patients/_results.html" if request.htmx else "patients/list.html"
    return render(request, template, context)


@staff_required
@require_http_methods(["GET", "POST"])
def patient_new(request):
    access.require(request.user, Perm.PATIENT_CREATE, request.clinic.pk)
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = services.create_patient(clinic=request.clinic, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Registered {patient.display_name}, MRN {patient.mrn}.")
            return redirect("patients:chart", patient_id=patient.pk)
    return render(request, "patients/form.html", {"form": form, "patient": None}, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def patient_edit(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.PATIENT_EDIT)
    form = PatientForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_patient(patient, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("patients:chart", patient_id=patient.pk)
    return render(request, "patients/form.html", {"form": form, "patient": patient}, status=422 if form.errors else 200)


@staff_required
def patient_chart(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id)
    services.record_chart_opened(patient, acting_user=request.user)
    context = {
        "patient": patient,
        "can_edit": access.can(request.user, Perm.PATIENT_EDIT, patient.clinic_id),
        "sections": chart_sections.render(request, patient, clinic_id=patient.clinic_id),
    }
    return render(request, "patients/chart.html", context)
