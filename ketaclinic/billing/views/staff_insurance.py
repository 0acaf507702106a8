"""Staff pages: a patient's coverage, benefits checks, prior authorisation, savings and billed diagnoses."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.billing import access
from ketaclinic.billing.forms import (
    BenefitsCheckForm,
    CoverageForm,
    DiagnosesForm,
    NoteForm,
    PriorAuthApprovalForm,
    PriorAuthDenialForm,
    PriorAuthForm,
    PriorAuthSubmitForm,
    SavingsEnrollmentForm,
)
from ketaclinic.billing.services import insurance, prior_auth
from ketaclinic.billing.services._common import clinic_today
from ketaclinic.billing.views._helpers import form_page, post_action
from ketaclinic.billing.views.staff_account import account_url
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors


@staff_required
@require_http_methods(["GET", "POST"])
def coverage_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    form = CoverageForm(request.POST or None, clinic=patient.clinic)
    return form_page(request, form, title=f"Insurance for {patient.display_name}", back_url=account_url(patient.pk),
                     save=lambda data: insurance.add_coverage(patient, data=data, acting_user=request.user),
                     message="Coverage added.", submit="Add coverage",
                     intro="No plan in the list? Add the payer and its plan under Billing › Payers first.")


@staff_required
@require_POST
def coverage_end(request, coverage_id: int):
    coverage = access.get_coverage(request.user, coverage_id, Perm.BILLING_EDIT)
    today = clinic_today(coverage.patient.clinic)
    return post_action(request, action=lambda: insurance.end_coverage(coverage, ended_on=today, acting_user=request.user),
                       done_url=account_url(coverage.patient_id), message="Coverage ended.")


@staff_required
@require_http_methods(["GET", "POST"])
def benefits_new(request, coverage_id: int):
    coverage = access.get_coverage(request.user, coverage_id, Perm.BILLING_EDIT)
    form = BenefitsCheckForm(request.POST or None, initial={"checked_on": clinic_today(coverage.patient.clinic)})
    return form_page(request, form, title=f"Benefits check: {coverage.plan}", back_url=account_url(coverage.patient_id),
                     save=lambda data: insurance.record_benefits_check(
                         coverage, data=form.cleaned_for_service(), acting_user=request.user),
                     message="Benefits check recorded.", submit="Record benefits check",
                     intro="What the payer said today. The patient's estimate uses the latest check.")


@staff_required
@require_http_methods(["GET", "POST"])
def savings_new(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    form = SavingsEnrollmentForm(request.POST or None, initial={"enrolled_on": clinic_today(patient.clinic)})
    return form_page(request, form, title=f"Manufacturer savings for {patient.display_name}",
                     back_url=account_url(patient.pk), message="Enrolment noted.", submit="Note enrolment",
                     save=lambda data: insurance.enroll_in_savings(patient, data=data, acting_user=request.user),
                     intro="The programme's terms change each year; the defaults are CarePath's published terms "
                           "(clinical.md §3.9) and can be edited.")


@staff_required
@require_http_methods(["GET", "POST"])
def diagnoses(request, patient_id: int):
    patient = access.get_patient(request.user, patient_id, Perm.BILLING_EDIT)
    form = DiagnosesForm(request.POST or None, initial={"diagnosis_codes": ", ".join(insurance.diagnoses_for(patient))})
    return form_page(request, form, title=f"Diagnoses billed for {patient.display_name}", back_url=account_url(patient.pk),
                     save=lambda data: insurance.set_diagnoses(patient, codes_list=data["diagnosis_codes"],
                                                               acting_user=request.user),
                     message="Diagnoses saved; new charges will carry them.", submit="Save diagnoses")


@staff_required
@require_POST
def pa_new(request, coverage_id: int):
    coverage = access.get_coverage(request.user, coverage_id, Perm.BILLING_EDIT)
    try:
        pa = prior_auth.start_prior_authorization(coverage, acting_user=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(account_url(coverage.patient_id))
    messages.success(request, "Request started with the record's answers filled in; check them before submitting.")
    return redirect("billing:prior_auth", pa_id=pa.pk)


ACTION_FORMS = {
    "submit": PriorAuthSubmitForm, "approve": PriorAuthApprovalForm, "deny": PriorAuthDenialForm, "appeal": NoteForm,
}


@staff_required
@require_http_methods(["GET", "POST"])
def pa_page(request, pa_id: int):
    """Clinicians may read it (no money on it); billing edits the draft and records each step."""
    pa = access.get_prior_authorization(request.user, pa_id, Perm.CLINICAL_VIEW)
    can_edit = access.can(request.user, Perm.BILLING_EDIT, pa.patient.clinic_id)
    form = PriorAuthForm(request.POST or None, instance=pa) if can_edit and pa.status == pa.Status.DRAFT else None
    if request.method == "POST":
        if form is None:
            raise Http404("Nothing to edit here.")
        if form.is_valid():
            try:
                prior_auth.update_draft(pa, data=form.cleaned_data, acting_user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect("billing:prior_auth", pa_id=pa.pk)
    else:
        audit.record(audit.Action.VIEW, actor=request.user, object_type="prior_authorization", object_id=pa.pk,
                     clinic=pa.patient.clinic_id, patient=pa.patient_id, summary="Opened a prior authorisation")
    today = clinic_today(pa.patient.clinic)
    actions = {name: cls(prefix=name, initial={"decided_on": today, "submitted_on": today, "valid_from": today})
               for name, cls in ACTION_FORMS.items()} if can_edit else {}
    context = {"pa": pa, "patient": pa.patient, "form": form, "actions": actions, "can_edit": can_edit,
               "units_left": prior_auth.units_left(pa), "warnings": prior_auth.warnings_for(pa, today),
               "allowed": [s.value for s in prior_auth.TRANSITIONS[pa.Status(pa.status)]]}
    return render(request, "billing/prior_auth.html", context, status=422 if form is not None and form.errors else 200)


@staff_required
@require_POST
def pa_action(request, pa_id: int, action: str):
    pa = access.get_prior_authorization(request.user, pa_id, Perm.BILLING_EDIT)
    if action == "withdraw":
        return post_action(request, action=lambda: prior_auth.withdraw_prior_authorization(pa, acting_user=request.user),
                           done_url=reverse("billing:prior_auth", args=[pa.pk]), message="Request withdrawn.")
    if action not in ACTION_FORMS:
        raise Http404("No such step.")
    form = ACTION_FORMS[action](request.POST, prefix=action)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else 'Form'}: {' '.join(errors)}")
        return redirect("billing:prior_auth", pa_id=pa.pk)
    return post_action(request, action=lambda: _step(pa, action, form.cleaned_data, request.user),
                       done_url=reverse("billing:prior_auth", args=[pa.pk]), message="Recorded.")


def _step(pa, action: str, data: dict, user):
    if action == "submit":
        return prior_auth.submit_prior_authorization(pa, submitted_on=data["submitted_on"], acting_user=user)
    if action == "approve":
        return prior_auth.record_approval(pa, acting_user=user, **data)
    if action == "deny":
        return prior_auth.record_denial(pa, decided_on=data["decided_on"], reason=data["denial_reason"], acting_user=user)
    return prior_auth.appeal_prior_authorization(pa, note=data["note"], acting_user=user)
