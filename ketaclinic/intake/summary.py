"""What the intake pages, the portal and the chart section show: one summary, built in a fixed few queries."""

from dataclasses import dataclass, field

from ketaclinic.intake.baseline import baseline_rows
from ketaclinic.intake.models import (
    HISTORY_LABELS,
    Adherence,
    CandidacyDecision,
    CandidacyEvaluation,
    Condition,
    InformedConsent,
    Intake,
    Route,
    YesNoUnsure,
)
from ketaclinic.patients.models import Patient

STAGES = ("Consultation requested", "Intake in progress", "Awaiting review", "Decision signed", "Consent signed")


@dataclass
class TrialRow:
    trial: object
    counts_toward_resistance: bool
    warnings: list[str] = field(default_factory=list)


@dataclass
class IntakeSummary:
    intake: Intake
    conditions: list[str]
    history: list[str]
    trials: list[TrialRow]
    medications: list
    allergies: list
    evaluation: CandidacyEvaluation | None
    decision: CandidacyDecision | None
    consents: dict[str, InformedConsent]
    stage: str
    baseline: list

    @property
    def stage_index(self) -> int:
        return STAGES.index(self.stage)

    @property
    def steps(self) -> list[tuple[str, str]]:
        return [(name, "done" if i < self.stage_index else "now" if i == self.stage_index else "")
                for i, name in enumerate(STAGES)]

    @property
    def consent_rows(self) -> list[tuple[str, str, InformedConsent | None]]:
        """(route, label, signed consent or None) for each route the current decision approves."""
        if self.decision is None:
            return []
        approved = self.decision.approved_routes
        return [(route, Route(route).label, self.consents.get(route)) for route in Route.values if route in approved]

    @property
    def decision_is_stale(self) -> bool:
        """The intake changed after the decision was signed (a newer evaluation exists)."""
        return bool(self.decision and self.evaluation and self.decision.evaluation_id != self.evaluation.pk)


def stage_of(intake: Intake | None, decision, consents) -> str:
    if intake is None:
        return STAGES[0]
    if decision is not None:
        return STAGES[4] if consents else STAGES[3]
    return STAGES[2] if intake.status != Intake.Status.IN_PROGRESS else STAGES[1]


def _trial_row(trial, evaluation) -> TrialRow:
    warnings = []
    if trial.adherence in (Adherence.SOME, Adherence.RARELY):
        # Adherence under ~80 % may make a "failure" pseudo-resistance: clinical.md §4.1 [37], [UNSOURCED] cut-off.
        warnings.append("Taken irregularly: may not be an adequate trial (pseudo-resistance).")
    if trial.adequate_dose == YesNoUnsure.UNSURE:
        warnings.append("Dose adequacy not known: not counted as adequate.")
    protocol = (evaluation.result.get("protocol") if evaluation else None) or {}
    min_weeks = protocol.get("min_trial_weeks", 6)
    counts = trial.weeks >= min_weeks and trial.adequate_dose == YesNoUnsure.YES and trial.outcome in (
        "no-response", "partial-response")
    return TrialRow(trial, counts, warnings)


def intake_summary(intake: Intake) -> IntakeSummary:
    patient = intake.patient
    evaluation = CandidacyEvaluation.objects.filter(patient=patient).first()
    decision = CandidacyDecision.objects.filter(patient=patient, amended_by__isnull=True).select_related("signed_by").first()
    consents = current_consents(patient)
    labels = dict(Condition.choices)
    return IntakeSummary(
        intake=intake,
        conditions=[labels.get(c, c) for c in intake.conditions],
        history=[HISTORY_LABELS[k][0] for k in HISTORY_LABELS if intake.history.get(k)],
        trials=[_trial_row(t, evaluation) for t in intake.trials.all()],
        medications=list(intake.medications.all()),
        allergies=list(intake.allergies.all()),
        evaluation=evaluation, decision=decision, consents=consents,
        stage=stage_of(intake, decision, consents),
        baseline=baseline_rows(intake),
    )


def current_consents(patient: Patient) -> dict[str, InformedConsent]:
    consents = {}
    for consent in InformedConsent.objects.filter(patient=patient, withdrawal__isnull=True):
        consents.setdefault(consent.route, consent)
    return {route: consents[route] for route in Route.values if route in consents}
