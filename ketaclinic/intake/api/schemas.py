import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


Condition = Literal["major-depression", "bipolar-depression", "generalized-anxiety", "panic-disorder", "ptsd", "ocd",
                    "chronic-pain", "suicidal-ideation"]


class ConsultationRequestOut(Schema):
    id: int
    clinic_id: int
    first_name: str
    last_name: str
    phone: str
    email: str
    contact_method: str
    best_time: str
    language: str
    message: str
    self_screen_outcome: str = Field(description="worth-consultation, talk-to-doctor, crisis, or empty if not shared")
    self_screen_phq9_total: int | None
    status: str = Field(description="new, contacted, registered or closed")
    close_reason: str
    patient_id: int | None
    created_at: dt.datetime
    status_changed_at: dt.datetime


class ConsultationContactIn(Schema):
    note: str = Field(examples=["Called, left a voicemail."])


class ConsultationCloseIn(Schema):
    reason: Literal["no-answer", "not-interested", "referred", "duplicate", "spam"]
    note: str = ""


class ConsultationRegisterIn(Schema):
    date_of_birth: dt.date
    sex_at_birth: Literal["female", "male", "intersex", "unknown"]
    legal_first_name: str | None = None
    legal_last_name: str | None = None
    phone: str | None = None
    email: str | None = None


class ConsultationRegisteredOut(Schema):
    patient_id: int
    mrn: str


class AntidepressantTrialIn(Schema):
    drug: str = Field(examples=["sertraline"])
    dose_mg_per_day: Decimal | None = Field(None, examples=["150"])
    weeks: int = Field(examples=[8], description="0–520")
    adequate_dose: Literal["yes", "no", "unsure"] = "unsure"
    adherence: Literal["most", "some", "rarely", "unknown"] = "unknown"
    outcome: Literal["no-response", "partial-response", "response", "intolerance"]
    notes: str = ""


class AntidepressantTrialOut(AntidepressantTrialIn):
    id: int


class IntakeMedicationIn(Schema):
    name: str = Field(examples=["lorazepam"], description="Generic name")
    dose: str = ""
    frequency: str = ""


class IntakeMedicationOut(IntakeMedicationIn):
    id: int


class IntakeAllergyIn(Schema):
    substance: str = Field(examples=["penicillin"])
    reaction: str = ""
    severity: Literal["mild", "moderate", "severe", "unknown"] = "unknown"


class IntakeAllergyOut(IntakeAllergyIn):
    id: int


class IntakePatch(Schema):
    conditions: list[Condition] | None = Field(None, examples=[["major-depression"]])
    current_mood_state: Literal["depressed", "manic", "hypomanic", "mixed", "euthymic"] | None = None
    pregnant: bool | None = None
    breastfeeding: bool | None = None
    psychotherapy_tried: bool | None = None
    in_psychotherapy_now: bool | None = None
    psychotherapy_history: str | None = None
    history: dict[str, bool] | None = Field(None, examples=[{"brain_injury": False}])
    other_medical_history: str | None = None
    no_known_allergies: bool | None = None
    screening_bp_systolic_mmhg: int | None = Field(None, description="Staff only; 40–300")
    screening_bp_diastolic_mmhg: int | None = Field(None, description="Staff only; 20–200, below systolic")
    screening_heart_rate_bpm: int | None = Field(None, description="Staff only; 20–250")
    screening_spo2_pct: int | None = Field(None, description="Staff only; 50–100")
    screening_vitals_at: dt.datetime | None = None


class IntakeOut(Schema):
    id: int
    patient_id: int
    status: str = Field(description="in_progress, awaiting_review or decided")
    conditions: list[str]
    current_mood_state: str
    pregnant: bool
    breastfeeding: bool
    psychotherapy_tried: bool
    in_psychotherapy_now: bool
    psychotherapy_history: str
    history: dict[str, bool]
    other_medical_history: str
    no_known_allergies: bool
    screening_bp_systolic_mmhg: int | None
    screening_bp_diastolic_mmhg: int | None
    screening_heart_rate_bpm: int | None
    screening_spo2_pct: int | None
    screening_vitals_at: dt.datetime | None
    submitted_at: dt.datetime | None
    trials: list[AntidepressantTrialOut]
    medications: list[IntakeMedicationOut]
    allergies: list[IntakeAllergyOut]

    @staticmethod
    def resolve_trials(obj):
        return list(obj.trials.all())

    @staticmethod
    def resolve_medications(obj):
        return list(obj.medications.all())

    @staticmethod
    def resolve_allergies(obj):
        return list(obj.allergies.all())


class CandidacyEvaluationOut(Schema):
    id: int
    evaluated_at: dt.datetime
    rules_version: str
    iv_verdict: str
    esketamine_verdict: str
    treatment_resistant: bool
    adequate_failed_trials: int
    engine_input: dict
    result: dict = Field(description="The engine's Evaluation.to_dict(): routes with reasons and sources, protocol")


class CandidacyDecisionOut(Schema):
    id: int
    version: int
    decision: str = Field(description="iv, esketamine, both or neither")
    approved_routes: list[str]
    note: str
    override_reason: str
    overridden_routes: list[str]
    amendment_reason: str
    supersedes_id: int | None
    evaluation_id: int
    signed_by_label: str
    signed_at: dt.datetime

    @staticmethod
    def resolve_approved_routes(obj):
        return sorted(obj.approved_routes)


class CandidacyOut(Schema):
    evaluation: CandidacyEvaluationOut | None
    decision: CandidacyDecisionOut | None = Field(description="The current signed version")
    decisions: list[CandidacyDecisionOut] = Field(description="Every signed version, newest first")
    approved_routes: list[str] = Field(description="Routes a treatment plan may be made for (decision and consent)")


class CandidacyDecisionIn(Schema):
    evaluation_id: int = Field(description="The evaluation you reviewed (the latest)")
    decision: Literal["iv", "esketamine", "both", "neither"]
    note: str
    override_reason: str = ""
    amendment_reason: str = ""
    supersedes_id: int | None = Field(None, description="The current decision's id when amending")


class InformedConsentOut(Schema):
    id: int
    patient_id: int
    route: str
    text_version: str
    text_sha256: str
    typed_name: str
    signed_at: dt.datetime
    where: str
    decision_id: int
    withdrawn_at: dt.datetime | None

    @staticmethod
    def resolve_withdrawn_at(obj):
        return obj.withdrawal.withdrawn_at if obj.is_withdrawn else None


class InformedConsentIn(Schema):
    route: Literal["iv-ketamine", "esketamine"]
    typed_name: str = Field(description="The patient's full legal first and last name")
    agreed: bool
    text_version: str = Field(description="The version of the text shown to the patient", examples=["iv-ketamine-2026.1"])


class ConsentWithdrawIn(Schema):
    reason: str = ""


class ConsentTextSectionOut(Schema):
    heading: str
    paragraphs: list[str]


class IntakeConsentTextOut(Schema):
    route: str
    version: str
    title: str
    # Objects, not [heading, paragraphs] pairs: a tuple becomes an array-of-schemas "items" that OpenAPI 3.1 rejects.
    sections: list[ConsentTextSectionOut]
    sha256: str


class CandidacyProtocolOut(Schema):
    min_age_years: int
    min_trial_weeks: int
    min_failed_trials: int
    bp_hold_systolic_mmhg: int
    bp_hold_diastolic_mmhg: int
    bp_caution_systolic_mmhg: int
    bp_caution_diastolic_mmhg: int
    is_default: bool
    reason: str = ""
