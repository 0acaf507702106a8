"""FHIR mapping of intake: the conditions a patient reports, the physician's candidacy decisions, informed consents.

- ``Condition/<condition key>-<patient id>``: a condition reported at intake (a health concern, unconfirmed: the
  ICD-10-CM diagnoses a physician coded are billing's ``Condition/dx<n>-<patient id>``).
- ``ClinicalImpression/<decision id>``: each signed candidacy decision; an amendment points at the one it replaces.
- ``Consent/<consent id>``: each signed informed consent; a withdrawn one is inactive from the withdrawal.
"""

from django.http import Http404

from ketaclinic.accounts.roles import Perm
from ketaclinic.api.fhir import registry
from ketaclinic.api.fhir.build import KETACLINIC_URN, LOINC, concept, instant, make, maybe_instant, ref
from ketaclinic.api.fhir.foundation import StaffRefs
from ketaclinic.intake import access
from ketaclinic.intake.models import CandidacyDecision, Condition, InformedConsent, Intake, Route, Verdict

CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
# US Core's category for what a patient reports as a concern (not a diagnosis).
US_CORE_CONDITION_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/condition-category"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
# Consent category: LOINC 59284-0 "Patient Consent", from FHIR R4's consent-category value set (an
# administrative document code, not a clinical one; it passes the check digit, clinical.md §5.0).
PATIENT_CONSENT_LOINC = "59284-0"
CONSENT_TEXT_DIGEST_SYSTEM = f"{KETACLINIC_URN}:consent-text-sha256"
CANDIDACY_RULES_URN = f"{KETACLINIC_URN}:candidacy-rules"


def reported_condition_id(key: str, patient_id: int) -> str:
    return f"{key}-{patient_id}"


def reported_conditions(intake: Intake):
    """One Condition per condition the patient reported (known keys only: they name the resource)."""
    recorded = intake.submitted_at or intake.updated_at
    for key in intake.conditions or []:
        if key not in Condition.values:
            continue
        yield make(
            "Condition", id=reported_condition_id(key, intake.patient_id),
            clinicalStatus=concept(CONDITION_CLINICAL, "active", "Active"),
            verificationStatus=concept(CONDITION_VERIFICATION, "unconfirmed", "Unconfirmed"),
            category=[concept(US_CORE_CONDITION_CATEGORY, "health-concern", "Health Concern")],
            code={"text": Condition(key).label}, subject=ref("Patient", intake.patient_id),
            recordedDate=instant(recorded), asserter=ref("Patient", intake.patient_id),
            note=[{"text": "Reported by the patient at intake; not a coded diagnosis."}],
        )


def clinical_impression(decision: CandidacyDecision, clinic_id: int, staff: StaffRefs):
    evaluation = decision.evaluation
    findings = [
        {"itemCodeableConcept": {"text": f"{label}: {Verdict(evaluation.verdict_for(route)).label.lower()}"},
         "basis": f"Candidacy engine, rules {evaluation.rules_version}"}
        for route, label in Route.choices
    ]
    notes = [{"text": f"Override: {decision.override_reason}"} if decision.override_reason else None,
             {"text": f"Amendment: {decision.amendment_reason}"} if decision.amendment_reason else None]
    return make(
        "ClinicalImpression", id=str(decision.pk), status="completed",
        code={"text": "Candidacy for IV ketamine or esketamine"}, description=decision.get_decision_display(),
        subject=ref("Patient", decision.patient_id), effectiveDateTime=instant(evaluation.evaluated_at),
        date=instant(decision.signed_at), assessor=staff.ref(decision.signed_by, clinic_id, decision.signed_by_label),
        previous=ref("ClinicalImpression", decision.supersedes_id) if decision.supersedes_id else None,
        protocol=[f"{CANDIDACY_RULES_URN}:{evaluation.rules_version}"], summary=decision.note,
        finding=findings, note=notes,
    )


def consent(c: InformedConsent, clinic_id: int):
    withdrawal = getattr(c, "withdrawal", None)
    route = c.get_route_display()
    return make(
        "Consent", id=str(c.pk), status="inactive" if withdrawal else "active",
        identifier=[{"system": CONSENT_TEXT_DIGEST_SYSTEM, "value": c.text_sha256}],
        scope=concept(CONSENT_SCOPE, "treatment", "Treatment"),
        category=[concept(LOINC, PATIENT_CONSENT_LOINC, "Patient Consent"), {"text": f"Informed consent for {route}"}],
        patient=ref("Patient", c.patient_id), dateTime=instant(c.signed_at), performer=[ref("Patient", c.patient_id)],
        organization=[ref("Organization", clinic_id)],
        sourceAttachment={"title": f"{route} consent, text {c.text_version}, signed as “{c.typed_name}” "
                                   f"({c.get_where_display().lower()})"},
        policy=[{"uri": f"{KETACLINIC_URN}:consent-text:{c.text_version}"}],
        provision={"type": "permit", "period": {"start": instant(c.signed_at),
                                                 "end": maybe_instant(withdrawal.withdrawn_at if withdrawal else None)},
                   "code": [{"text": route}]},
    )


def patient_resources(patients):
    ids = [p.pk for p in patients]
    clinic_of = {p.pk: p.clinic_id for p in patients}
    staff = StaffRefs.for_patients(patients)
    for intake in Intake.objects.filter(patient_id__in=ids).order_by("patient_id"):
        yield from reported_conditions(intake)
    decisions = (CandidacyDecision.objects.filter(patient_id__in=ids).select_related("evaluation", "signed_by")
                 .order_by("patient_id", "version"))
    for decision in decisions:
        yield clinical_impression(decision, clinic_of[decision.patient_id], staff)
    for c in InformedConsent.objects.filter(patient_id__in=ids).select_related("withdrawal").order_by("pk"):
        yield consent(c, clinic_of[c.patient_id])


def _read_condition(key: str):
    def read(user, local_id):
        patient = access.get_patient_for_intake(user, local_id, Perm.CLINICAL_VIEW)
        intake = access.get_intake(patient)
        found = list(reported_conditions(intake)) if intake else []
        match = [c for c in found if c.id == reported_condition_id(key, patient.pk)]
        if not match:
            raise Http404("No such condition.")
        return match[0]

    return read


def _read_impression(user, local_id):
    decision = CandidacyDecision.objects.select_related("evaluation", "signed_by").filter(pk=int(local_id)).first()
    if decision is None:
        raise Http404("No such decision.")
    patient = access.get_patient_for_intake(user, decision.patient_id, Perm.CLINICAL_VIEW)
    return clinical_impression(decision, patient.clinic_id, StaffRefs([patient.clinic_id]))


def _read_consent(user, local_id):
    c = access.get_consent_for_user(user, local_id)
    return consent(c, c.patient.clinic_id)


def register() -> None:
    registry.register_patient_resources(patient_resources)
    for key in Condition.values:
        registry.register_reader("Condition", f"{key}-", _read_condition(key))
    registry.register_reader("ClinicalImpression", "", _read_impression)
    registry.register_reader("Consent", "", _read_consent)

