"""The physician's candidacy review: the engine's verdict per route with reasons and sources, and signing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ketaclinic.accounts import access
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import candidacy
from ketaclinic.core.decorators import staff_required
from ketaclinic.core.forms import add_service_errors
from ketaclinic.core.pagination import paginate
from ketaclinic.intake import services
from ketaclinic.intake.access import get_intake, get_patient_for_intake
from ketaclinic.intake.forms.staff import DecisionForm, ProtocolForm
from ketaclinic.intake.models import CandidacyDecision, CandidacyEvaluation, Intake, Route, Verdict
from ketaclinic.intake.summary import intake_summary
from ketaclinic.patients.services import record_chart_opened

# Where each threshold comes from (shared/reference/clinical.md); unsourced ones are clinic-editable defaults.
PROTOCOL_SOURCES = {
    "min_age_years": "SPRAVATO: adults (§3 [20]); for IV ketamine unsourced common practice: clinic-editable default.",
    "min_trial_weeks": "§4.1 [36]: at least 4–6 weeks at an adequate dose; many guidelines ≥ 6.",
    "min_failed_trials": "§4.1 [36][37] and the SPRAVATO label (≥ 2 oral antidepressants) [20].",
    "bp_hold_systolic_mmhg": "§1.6 suggested pre-dose hold: UNSOURCED common practice, clinic-editable default.",
    "bp_hold_diastolic_mmhg": "§1.6 suggested pre-dose hold: UNSOURCED common practice, clinic-editable default.",
    "bp_caution_systolic_mmhg": "SPRAVATO label: baseline > 140/90, weigh the risk (§3.4 [20]).",
    "bp_caution_diastolic_mmhg": "SPRAVATO label: baseline > 140/90, weigh the risk (§3.4 [20]).",
}


@staff_required
def review_list(request):
    clinic = request.clinic
    access.require(request.user, Perm.CLINICAL_VIEW, clinic.pk)
    intakes = (Intake.objects.filter(patient__clinic=clinic, status=Intake.Status.AWAITING_REVIEW)
               .select_related("patient").order_by("submitted_at", "id"))
    return render(request, "intake/review/list.html", {"page": paginate(request, intakes), "tz": clinic.tz})


def _routes(evaluation: CandidacyEvaluation | None) -> list[dict]:
    if evaluation is None:
        return []
    labels = dict(Verdict.choices)
    rows = []
    for route in Route.values:
        result = evaluation.route_result(route)
        reasons = [{**r, "level_label": labels.get(r["level"], r["level"])} for r in result["reasons"]]
        rows.append({"route": route, "label": Route(route).label, "verdict": result["verdict"],
                     "verdict_label": labels.get(result["verdict"], result["verdict"]), "reasons": reasons})
    return rows


def _review(request, patient, form=None, status=200):
    intake = get_intake(patient)
    summary = intake_summary(intake) if intake else None
    evaluation = summary.evaluation if summary else None
    decision = summary.decision if summary else None
    form = form or DecisionForm(initial={"evaluation": getattr(evaluation, "pk", None), "supersedes": getattr(decision, "pk", None)})
    context = {
        "patient": patient, "summary": summary, "evaluation": evaluation, "routes": _routes(evaluation), "form": form,
        "history": CandidacyDecision.objects.filter(patient=patient).select_related("signed_by", "evaluation"),
        "can_sign": access.can(request.user, Perm.CLINICAL_SIGN, patient.clinic_id),
        "can_record": access.can(request.user, Perm.CLINICAL_RECORD, patient.clinic_id),
        "current_rules_version": candidacy.RULES_VERSION, "tz": patient.clinic.tz,
    }
    return render(request, "intake/review/review.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def candidacy_review(request, patient_id: int):
    if request.method == "GET":
        patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_VIEW)
        record_chart_opened(patient, acting_user=request.user, via="candidacy review")
        return _review(request, patient)
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_SIGN)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.sign_decision(
                patient, evaluation=_evaluation(patient, data["evaluation"]), decision=data["decision"],
                note=data["note"], override_reason=data["override_reason"], amendment_reason=data["amendment_reason"],
                supersedes=CandidacyDecision.objects.filter(patient=patient, pk=data["supersedes"]).first(),
                acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Decision signed.")
            return redirect("intake:candidacy_review", patient_id=patient.pk)
    return _review(request, patient, form=form, status=422)


def _evaluation(patient, evaluation_id) -> CandidacyEvaluation:
    evaluation = CandidacyEvaluation.objects.filter(patient=patient, pk=evaluation_id).first()
    if evaluation is None:
        raise ValidationError({"evaluation": "That evaluation is not this patient's; reload the page."})
    return evaluation


@staff_required
@require_POST
def candidacy_reevaluate(request, patient_id: int):
    """Run the current rules on the intake again (after a rules update or a change to the clinic's thresholds)."""
    patient = get_patient_for_intake(request.user, patient_id, Perm.CLINICAL_RECORD)
    intake = get_intake(patient)
    if intake is None or intake.status == Intake.Status.IN_PROGRESS:
        messages.error(request, "The intake has not been submitted yet.")
    else:
        try:
            services.evaluate_intake(intake, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The rules were run again on the current intake.")
    return redirect("intake:candidacy_review", patient_id=patient.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def protocol(request):
    clinic = request.clinic
    access.require(request.user, Perm.CLINICAL_VIEW if request.method == "GET" else Perm.PROTOCOL_EDIT, clinic.pk)
    current = services.current_protocol_setting(clinic)
    values = current.as_protocol() if current else candidacy.DEFAULT_PROTOCOL
    form = ProtocolForm(request.POST or None, initial={**values.to_dict(), "reason": ""})
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in ProtocolForm.Meta.fields if name != "reason"}
        try:
            services.set_protocol(clinic, data=data, reason=form.cleaned_data["reason"], acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The clinic's candidacy thresholds are saved; new evaluations use them.")
            return redirect("intake:protocol")
    rows = [(form[name], PROTOCOL_SOURCES[name], getattr(candidacy.DEFAULT_PROTOCOL, name))
            for name in PROTOCOL_SOURCES]
    context = {"form": form, "rows": rows, "current": current, "clinic": clinic,
               "can_edit": access.can(request.user, Perm.PROTOCOL_EDIT, clinic.pk)}
    return render(request, "intake/review/protocol.html", context, status=422 if form.errors else 200)
