"""``evaluate``: the intake in, a verdict per route with its sourced reasons out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from . import rules
from .intake import FAILED_OUTCOMES, AntidepressantTrial, Intake, parse_intake
from .medications import MEDICATION_CLASSES, matches
from .protocol import DEFAULT_PROTOCOL, CandidacyProtocol
from .results import ESKETAMINE, IV_KETAMINE, Evaluation, Reason, RouteVerdict, Verdict

MAJOR_DEPRESSION = "major-depression"
BIPOLAR_DEPRESSION = "bipolar-depression"
SUICIDAL_IDEATION = "suicidal-ideation"
DEPRESSIONS = frozenset({MAJOR_DEPRESSION, BIPOLAR_DEPRESSION})
ELEVATED_MOOD_STATES = frozenset({"manic", "hypomanic", "mixed"})  # clinical.md §0b, §2.2

# Reason texts name the other conditions in this order.
OTHER_CONDITION_NAMES = {
    "generalized-anxiety": "generalized anxiety", "panic-disorder": "panic disorder", "ptsd": "PTSD",
    "ocd": "OCD", "chronic-pain": "chronic pain", "suicidal-ideation": "suicidal ideation",
}


def evaluate(intake: Mapping, *, protocol: CandidacyProtocol = DEFAULT_PROTOCOL) -> Evaluation:
    """Judge candidacy for IV ketamine and esketamine; raise ``IntakeError`` (a ValueError) on bad input."""
    if not isinstance(protocol, CandidacyProtocol):
        raise ValueError(f"protocol: must be a CandidacyProtocol, not {type(protocol).__name__}")
    facts = parse_intake(intake)
    trials = summarise_trials(facts.antidepressant_trials, protocol)
    safety = tuple(_safety_reasons(facts, protocol))
    routes = {
        IV_KETAMINE: RouteVerdict.from_reasons((*_iv_reasons(facts, trials), *safety)),
        ESKETAMINE: RouteVerdict.from_reasons((*_esketamine_reasons(facts, trials), *safety)),
    }
    return Evaluation(
        treatment_resistant=trials.treatment_resistant, adequate_failed_trials=trials.count,
        routes=MappingProxyType(routes), protocol=protocol,
    )


@dataclass(frozen=True)
class TrialSummary:
    failed_drugs: tuple[str, ...]  # one entry per drug with an adequate failed trial, as first written
    protocol: CandidacyProtocol

    @property
    def count(self) -> int:
        return len(self.failed_drugs)

    @property
    def treatment_resistant(self) -> bool:
        return self.count >= self.protocol.min_failed_trials  # clinical.md §4.1 [36][37]

    def describe(self) -> str:
        plural = "" if self.count == 1 else "s"
        drugs = f" ({', '.join(self.failed_drugs)})" if self.failed_drugs else ""
        needed = self.protocol.min_failed_trials
        return f"{self.count} adequate failed trial{plural}{drugs}; the protocol needs at least {needed}"

    def details(self) -> dict:
        return {
            "trials": self.describe(), "min_failed_trials": self.protocol.min_failed_trials,
            "min_trial_weeks": self.protocol.min_trial_weeks,
        }


def summarise_trials(trials: Iterable[AntidepressantTrial], protocol: CandidacyProtocol) -> TrialSummary:
    """Count adequate failed trials, one per drug: the label asks for ≥ 2 antidepressants (§4.1 [20])."""
    failed: dict[str, str] = {}
    for trial in trials:
        if is_adequate_failed_trial(trial, protocol):
            failed.setdefault(trial.drug.casefold(), trial.drug)
    return TrialSummary(tuple(failed.values()), protocol)


def is_adequate_failed_trial(trial: AntidepressantTrial, protocol: CandidacyProtocol) -> bool:
    """≥ min weeks at an adequate dose, ending in no or partial response (§4.1 [36]).

    Intolerance is recorded on the trial but is not an adequate trial.
    """
    long_enough = trial.weeks >= protocol.min_trial_weeks
    return long_enough and trial.adequate_dose and trial.outcome in FAILED_OUTCOMES


def _safety_reasons(facts: Intake, protocol: CandidacyProtocol) -> Iterator[Reason]:
    """Findings that apply to both routes."""
    if facts.age_years < protocol.min_age_years:
        yield rules.AGE_BELOW_MINIMUM.reason(age_years=facts.age_years, min_age_years=protocol.min_age_years)
    if facts.current_mood_state in ELEVATED_MOOD_STATES:
        yield rules.MOOD_MANIC_OR_MIXED.reason(mood=facts.current_mood_state)
    if facts.pregnant:
        yield rules.PREGNANCY.reason()
    for key, rule in rules.HISTORY_RULES.items():
        if key in facts.history:
            yield rule.reason()
    if facts.blood_pressure_mmhg is not None:
        yield from _blood_pressure_reasons(*facts.blood_pressure_mmhg, protocol)
    yield from _medication_reasons(facts.medications)


def _blood_pressure_reasons(
    systolic: int, diastolic: int, protocol: CandidacyProtocol,
) -> Iterator[Reason]:
    details = {
        "systolic": systolic, "diastolic": diastolic,
        "hold_systolic": protocol.bp_hold_systolic_mmhg, "hold_diastolic": protocol.bp_hold_diastolic_mmhg,
        "caution_systolic": protocol.bp_caution_systolic_mmhg,
        "caution_diastolic": protocol.bp_caution_diastolic_mmhg,
    }
    # Hold: either number at or above its limit. Caution: either number strictly above its limit.
    if systolic >= protocol.bp_hold_systolic_mmhg or diastolic >= protocol.bp_hold_diastolic_mmhg:
        yield rules.BP_UNCONTROLLED.reason(**details)
    elif systolic > protocol.bp_caution_systolic_mmhg or diastolic > protocol.bp_caution_diastolic_mmhg:
        yield rules.BP_ELEVATED.reason(**details)


def _medication_reasons(medications: tuple[str, ...]) -> Iterator[Reason]:
    for medication_class in MEDICATION_CLASSES:
        found = ", ".join(matches(medication_class, medications))
        if found:
            yield Reason(
                rule_id=medication_class.rule_id, level=Verdict.ELIGIBLE_WITH_CAUTIONS,
                text=f"{medication_class.name} ({found}): {medication_class.effect}.",
                source=medication_class.source, plain_text=f"{found}: {medication_class.plain_effect}.",
            )


def _iv_reasons(facts: Intake, trials: TrialSummary) -> Iterator[Reason]:
    """Off-label IV ketamine: the clinic's indications (clinical.md §0b, §1.4)."""
    if not facts.conditions:
        yield rules.IV_NO_LISTED_CONDITION.reason()
    elif not trials.treatment_resistant:
        yield rules.IV_NOT_TREATMENT_RESISTANT.reason(**trials.details())
    elif facts.conditions & DEPRESSIONS:
        if MAJOR_DEPRESSION in facts.conditions:
            yield rules.IV_TRD_MAJOR_DEPRESSION.reason(**trials.details())
        if BIPOLAR_DEPRESSION in facts.conditions:
            yield rules.IV_TRD_BIPOLAR_DEPRESSION.reason(**trials.details())
    else:
        names = ", ".join(name for key, name in OTHER_CONDITION_NAMES.items() if key in facts.conditions)
        yield rules.IV_TRD_OTHER_CONDITION.reason(conditions=names, **trials.details())


def _esketamine_reasons(facts: Intake, trials: TrialSummary) -> Iterator[Reason]:
    """SPRAVATO follows its label: TRD, or MDD with suicidal ideation (clinical.md §3 [20][22])."""
    major_depression = MAJOR_DEPRESSION in facts.conditions
    if major_depression and trials.treatment_resistant:
        yield rules.ESKETAMINE_TRD.reason(**trials.details())
    if major_depression and SUICIDAL_IDEATION in facts.conditions:
        yield rules.ESKETAMINE_MDD_SUICIDAL_IDEATION.reason()
    if not major_depression:
        yield rules.ESKETAMINE_OUTSIDE_LABEL.reason(why="major depression is not listed")
    elif not trials.treatment_resistant and SUICIDAL_IDEATION not in facts.conditions:
        why = f"not treatment-resistant: {trials.describe()}; no suicidal ideation"
        yield rules.ESKETAMINE_OUTSIDE_LABEL.reason(why=why)
    elif BIPOLAR_DEPRESSION in facts.conditions:
        yield rules.ESKETAMINE_BIPOLAR_LISTED.reason()
