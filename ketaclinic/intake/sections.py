"""What this area adds to the staff chart and to the patient's portal home."""

from ketaclinic.intake.models import CandidacyEvaluation, Intake, Route
from ketaclinic.intake.services.guard import current_decision
from ketaclinic.intake.summary import STAGES, current_consents, stage_of


def chart_context(request, patient) -> dict:
    intake = Intake.objects.filter(patient=patient).first()
    decision = current_decision(patient)
    consents = current_consents(patient) if decision else {}
    rows = []
    if decision:
        rows = [(r, Route(r).label, consents.get(r)) for r in Route.values if r in decision.approved_routes]
    return {
        "patient": patient, "intake": intake, "decision": decision, "consent_rows": rows,
        "stage": stage_of(intake, decision, consents) if intake else "No intake yet",
        "evaluation": CandidacyEvaluation.objects.filter(patient=patient).first() if intake else None,
    }


def portal_context(request, patient) -> dict | None:
    intake = Intake.objects.filter(patient=patient).first()
    if intake is None:
        return {"message": "Tell the clinic about your history before your consultation.", "action": "Start my intake"}
    decision = current_decision(patient)
    stage = stage_of(intake, decision, current_consents(patient) if decision else {})
    messages = {
        STAGES[1]: ("Your intake is not sent yet.", "Continue my intake"),
        STAGES[2]: ("A physician is reviewing your intake.", "See my intake"),
        STAGES[3]: ("Your physician has decided; please read and sign the consent.", "Read the decision"),
        STAGES[4]: ("Your consent is signed.", "See my intake"),
    }
    message, action = messages[stage]
    return {"message": message, "action": action}
