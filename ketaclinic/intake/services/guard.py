"""May this patient be given a treatment plan for this route? The plans area asks here before it creates one.

A route is allowed when the patient's current signed candidacy decision approves it AND the patient has
signed (and not withdrawn) informed consent for it.
"""

from django.core.exceptions import ValidationError

from ketaclinic.intake.models import ROUTE_SHORT_NAMES, CandidacyDecision, InformedConsent, Route
from ketaclinic.patients.models import Patient


def current_decision(patient: Patient) -> CandidacyDecision | None:
    """The latest signed version (the one nothing amends), or None if no decision was ever signed."""
    return (
        CandidacyDecision.objects.filter(patient=patient, amended_by__isnull=True)
        .select_related("evaluation", "signed_by")
        .first()
    )


def consented_routes(patient: Patient) -> set[str]:
    return set(
        InformedConsent.objects.filter(patient=patient, withdrawal__isnull=True).values_list("route", flat=True)
    )


def current_consent(patient: Patient, route: str) -> InformedConsent | None:
    return InformedConsent.objects.filter(patient=patient, route=route, withdrawal__isnull=True).first()


def approved_routes(patient: Patient) -> set[str]:
    """Routes ("iv-ketamine", "esketamine") with a current signed decision that approves them and signed consent."""
    decision = current_decision(patient)
    if decision is None:
        return set()
    return set(decision.approved_routes) & consented_routes(patient)


def require_plan_allowed(patient: Patient, route: str) -> None:
    """Raise ``ValidationError({"route": ...})`` unless a plan for ``route`` may be made for ``patient``."""
    if route not in Route.values:
        raise ValidationError({"route": f"Unknown route {route!r}; expected one of {', '.join(Route.values)}."})
    name = ROUTE_SHORT_NAMES[route]
    decision = current_decision(patient)
    if decision is None:
        raise ValidationError({"route": f"No signed candidacy decision for {name}."})
    if route not in decision.approved_routes:
        raise ValidationError({"route": (
            f"No signed candidacy decision for {name}: the current decision (version {decision.version}) is "
            f"“{decision.get_decision_display()}”."
        )})
    if current_consent(patient, route) is None:
        raise ValidationError({"route": f"Consent for {name} not signed."})
