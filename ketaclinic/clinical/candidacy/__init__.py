"""Candidacy rules engine: is a patient a candidate for IV ketamine and for esketamine (SPRAVATO)?

``evaluate(intake)`` checks the intake, applies the clinic's ``CandidacyProtocol`` and returns an
``Evaluation`` with one ``RouteVerdict`` per route, each with its reasons and their sources in
``shared/reference/clinical.md``. It supports the physician's decision; it does not make it.
"""

from .engine import evaluate, is_adequate_failed_trial
from .intake import CONDITIONS, HISTORY_KEYS, MOOD_STATES, TRIAL_OUTCOMES, IntakeError, parse_intake
from .medications import MEDICATION_CLASSES
from .protocol import DEFAULT_PROTOCOL, RULES_VERSION, CandidacyProtocol
from .results import ESKETAMINE, IV_KETAMINE, ROUTES, Evaluation, Reason, RouteVerdict, Verdict

__all__ = [
    "CONDITIONS", "DEFAULT_PROTOCOL", "ESKETAMINE", "HISTORY_KEYS", "IV_KETAMINE", "MEDICATION_CLASSES",
    "MOOD_STATES", "ROUTES", "RULES_VERSION", "TRIAL_OUTCOMES", "CandidacyProtocol", "Evaluation",
    "IntakeError", "Reason", "RouteVerdict", "Verdict", "evaluate", "is_adequate_failed_trial",
    "parse_intake",
]
