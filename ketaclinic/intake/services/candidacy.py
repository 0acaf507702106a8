"""Running the candidacy engine on an intake, the clinic's own thresholds, and the physician's signed decision."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.models import Clinic, User
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical import candidacy
from ketaclinic.intake.models import (
    ROUTE_SHORT_NAMES,
    CandidacyDecision,
    CandidacyEvaluation,
    CandidacyProtocolSetting,
    Intake,
    Route,
    Verdict,
)
from ketaclinic.intake.services.guard import current_decision
from ketaclinic.intake.services.intakes import engine_error, engine_input
from ketaclinic.patients.models import Patient

Decision = CandidacyDecision.Decision
_APPROVING = frozenset({Verdict.ELIGIBLE, Verdict.ELIGIBLE_WITH_CAUTIONS})


def current_protocol_setting(clinic: Clinic | int) -> CandidacyProtocolSetting | None:
    """The clinic's latest approved thresholds, or None when it uses the shipped defaults."""
    return CandidacyProtocolSetting.objects.filter(clinic=clinic, approved_at__lte=timezone.now()).first()


@transaction.atomic
def set_protocol(clinic: Clinic, *, data: dict[str, Any], reason: str, acting_user: User) -> CandidacyProtocolSetting:
    """A new version of the clinic's thresholds. The engine refuses any that loosen the defaults."""
    access.require(acting_user, Perm.PROTOCOL_EDIT, clinic.pk)
    unknown = set(data) - set(CandidacyProtocolSetting.FIELDS)
    if unknown:
        raise ValidationError({name: "is not a candidacy threshold." for name in sorted(unknown)})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the clinic changes its thresholds (who agreed, which policy)."})
    previous = current_protocol_setting(clinic)
    values = {name: getattr(previous, name) if previous else getattr(candidacy.DEFAULT_PROTOCOL, name)
              for name in CandidacyProtocolSetting.FIELDS}
    values.update(data)
    try:
        candidacy.CandidacyProtocol(**values)
    except ValueError as error:
        field = str(error).split(":", 1)[0]
        raise ValidationError({field if field in values else "__all__": str(error)}) from None
    setting = CandidacyProtocolSetting.objects.create(clinic=clinic, reason=reason.strip(), approved_by=acting_user,
                                                      **values)
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="candidacy_protocol", object_id=setting.pk,
                 clinic=clinic, summary="Changed the clinic's candidacy thresholds",
                 changes={k: [getattr(previous, k, None), v] for k, v in values.items()})
    return setting


def latest_evaluation(patient: Patient) -> CandidacyEvaluation | None:
    return CandidacyEvaluation.objects.filter(patient=patient).first()


@transaction.atomic
def evaluate_intake(intake: Intake, *, acting_user: User | None) -> CandidacyEvaluation:
    """Run the engine on the intake as it is now and keep input, output, rule version and verdicts apart."""
    patient = intake.patient
    setting = current_protocol_setting(patient.clinic_id)
    protocol = setting.as_protocol() if setting else candidacy.DEFAULT_PROTOCOL
    data = engine_input(intake, today=timezone.localdate(timezone=patient.clinic.tz))
    try:
        result = candidacy.evaluate(data, protocol=protocol)
    except ValueError as error:
        raise engine_error(error) from None
    evaluation = CandidacyEvaluation.objects.create(
        patient=patient, intake=intake, engine_input=data, result=result.to_dict(), rules_version=result.rules_version,
        iv_verdict=result.routes[Route.IV_KETAMINE].verdict, esketamine_verdict=result.routes[Route.ESKETAMINE].verdict,
        treatment_resistant=result.treatment_resistant, adequate_failed_trials=result.adequate_failed_trials,
        protocol_setting=setting, evaluated_by=acting_user,
    )
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="candidacy_evaluation", object_id=evaluation.pk,
        clinic=patient.clinic_id, patient=patient, summary=f"Ran the candidacy rules ({result.rules_version})",
        changes={"iv_verdict": [None, evaluation.iv_verdict], "esketamine_verdict": [None, evaluation.esketamine_verdict]},
    )
    return evaluation


def overridden_routes(evaluation: CandidacyEvaluation, decision: str) -> list[str]:
    """Routes where the decision goes against the engine: approving a route it finds not eligible, or
    declining both when it finds a route eligible. Physician-review verdicts are the physician's call."""
    approved = CandidacyDecision.ROUTES[decision]
    overridden = []
    for route in Route.values:
        verdict = evaluation.verdict_for(route)
        if route in approved and verdict == Verdict.NOT_ELIGIBLE:
            overridden.append(route)
        elif decision == Decision.NEITHER and verdict in _APPROVING:
            overridden.append(route)
    return overridden


def _check_decision(evaluation, decision: str, note: str, override_reason: str, current, amendment_reason: str):
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Choose: IV ketamine, esketamine, both, or neither."
    if not note.strip():
        errors["note"] = "Write a note: what you weighed and what you told the patient."
    if current is not None and not amendment_reason.strip():
        errors["amendment_reason"] = f"Version {current.version} is signed; say why you amend it."
    if errors:
        raise ValidationError(errors)
    overrides = overridden_routes(evaluation, decision)
    if overrides and not override_reason.strip():
        labels = dict(Verdict.choices)
        names = " and ".join(f"{ROUTE_SHORT_NAMES[r]} ({labels[evaluation.verdict_for(r)].lower()})" for r in overrides)
        raise ValidationError({"override_reason": f"This decision overrides the engine for {names}: write the reason."})
    return overrides


@transaction.atomic
def sign_decision(
    patient: Patient, *, evaluation: CandidacyEvaluation, decision: str, note: str, acting_user: User,
    override_reason: str = "", amendment_reason: str = "", supersedes: CandidacyDecision | None = None,
) -> CandidacyDecision:
    """The physician signs a decision on the evaluation they reviewed; a second signature amends the first.

    ``supersedes`` is the decision the physician saw as current (None for the first): if another was signed
    meanwhile, nothing is saved and the physician reviews again.
    """
    if not access.can(acting_user, Perm.CLINICAL_SIGN, patient.clinic_id):
        raise PermissionDenied("Only a physician of this clinic may sign a candidacy decision.")
    intake = Intake.objects.select_for_update().filter(patient=patient).first()  # one signature at a time
    if intake is None:
        raise ValidationError({"evaluation": "This patient has no intake to decide on yet."})
    if evaluation.patient_id != patient.pk or evaluation.pk != getattr(latest_evaluation(patient), "pk", None):
        raise ValidationError({"evaluation": "The intake changed since you opened this page; review the new verdict."})
    current = current_decision(patient)
    if getattr(current, "pk", None) != getattr(supersedes, "pk", None):
        raise ValidationError({"supersedes": "Another decision was signed meanwhile; review it before signing."})
    overrides = _check_decision(evaluation, decision, note, override_reason, current, amendment_reason)
    signed = CandidacyDecision.objects.create(
        patient=patient, evaluation=evaluation, decision=decision, note=note.strip(),
        override_reason=override_reason.strip(), overridden_routes=overrides, version=(current.version + 1) if current else 1,
        supersedes=current, amendment_reason=amendment_reason.strip() if current else "", signed_by=acting_user,
        signed_by_label=", ".join(p for p in (str(acting_user), acting_user.credentials) if p),
    )
    if intake.status != Intake.Status.DECIDED:
        Intake.objects.filter(pk=intake.pk).update(status=Intake.Status.DECIDED)
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="candidacy_decision", object_id=signed.pk,
        clinic=patient.clinic_id, patient=patient,
        summary=f"Signed candidacy decision v{signed.version}: {signed.get_decision_display()}",
        changes={"decision": [getattr(current, "decision", None), decision], "overridden_routes": [None, overrides],
                 "supersedes": [None, getattr(current, "pk", None)]},
    )
    return signed
