"""Clinic settings for the session day (protocol limits) and a patient's SPRAVATO REMS enrolment."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.models import User
from ketaclinic.accounts.roles import Perm, Role
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.patients.access import get_patient_for_user
from ketaclinic.visits import forms
from ketaclinic.visits.models import RemsEnrollment
from ketaclinic.visits.services import records


@staff_required
@require_http_methods(["GET", "POST"])
def protocol(request):
    clinic = request.clinic
    can_edit = access.can(request.user, Perm.PROTOCOL_EDIT, clinic.pk)
    access.require(request.user, Perm.PROTOCOL_EDIT if request.method == "POST" else Perm.CLINICAL_VIEW, clinic.pk)
    current = records.protocol_in_force(clinic)
    form = forms.ProtocolForm(request.POST or None, instance=current)
    if not can_edit:
        form.read_only()
    if request.method == "POST" and form.is_valid():
        try:
            records.revise_protocol(clinic, data=form.service_data(), acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "New protocol version in force from now. Visits already checked in keep theirs.")
            return redirect("visits:protocol")
    context = {"form": form, "current": current, "can_edit": can_edit, "clinic": clinic}
    return render(request, "visits/protocol.html", context, status=422 if form.errors else 200)


def _prescribers(patient):
    return User.objects.filter(memberships__clinic_id=patient.clinic_id, memberships__role=Role.PHYSICIAN).distinct()


@staff_required
@require_http_methods(["GET", "POST"])
def rems(request, patient_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_VIEW if request.method == "GET" else Perm.CLINICAL_RECORD)
    form = forms.RemsEnrollmentForm(request.POST or None, prescribers=_prescribers(patient))
    if request.method == "POST" and form.is_valid():
        try:
            records.record_rems_enrollment(patient, enrolled_on=form.cleaned_data["enrolled_on"], acting_user=request.user,
                                           prescriber=form.cleaned_data["prescriber"], reference=form.cleaned_data["reference"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "SPRAVATO REMS enrolment recorded.")
            return redirect("patients:chart", patient_id=patient.pk)
    enrollments = RemsEnrollment.objects.filter(patient=patient).select_related("prescriber", "recorded_by")
    context = {"patient": patient, "form": form, "enrollments": enrollments, "clinic": patient.clinic}
    return render(request, "visits/rems.html", context, status=422 if form.errors else 200)


@staff_required
@require_POST
def rems_end(request, patient_id: int, enrollment_id: int):
    patient = get_patient_for_user(request.user, patient_id, Perm.CLINICAL_RECORD)
    enrollment = RemsEnrollment.objects.filter(patient=patient, pk=enrollment_id).first()
    if enrollment is None:
        from django.http import Http404

        raise Http404("No such enrolment.")
    try:
        records.end_rems_enrollment(enrollment, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Enrolment ended.")
    return redirect("visits:rems", patient_id=patient.pk)
