from ketaclinic.intake.models.candidacy import (
    CandidacyDecision,
    CandidacyEvaluation,
    CandidacyProtocolSetting,
    WrittenOnce,
)
from ketaclinic.intake.models.choices import (
    HISTORY_LABELS,
    ROUTE_SHORT_NAMES,
    Adherence,
    Condition,
    MoodState,
    Route,
    TrialOutcome,
    Verdict,
    YesNoUnsure,
)
from ketaclinic.intake.models.consent import ConsentWithdrawal, InformedConsent
from ketaclinic.intake.models.consultation import ConsultationNote, ConsultationRequest, ScreenOutcome, SelfScreenTally
from ketaclinic.intake.models.intake import Allergy, AntidepressantTrial, Intake, Medication

__all__ = [
    "HISTORY_LABELS", "ROUTE_SHORT_NAMES", "Adherence", "Allergy", "AntidepressantTrial", "CandidacyDecision",
    "CandidacyEvaluation", "CandidacyProtocolSetting", "Condition", "ConsentWithdrawal", "ConsultationNote",
    "ConsultationRequest", "InformedConsent", "Intake", "Medication", "MoodState", "Route", "ScreenOutcome",
    "SelfScreenTally", "TrialOutcome", "Verdict", "WrittenOnce", "YesNoUnsure",
]
