"""Request and response shapes of the session-day API. Durations are whole minutes at this edge."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class VisitIn(Schema):
    patient_id: int
    route: str = Field(description="iv-ketamine or esketamine", examples=["iv-ketamine"])
    appointment_id: int | None = Field(None, description="The booked appointment this visit fulfils, if any.")
    chair: str = ""


class VisitOut(Schema):
    id: int
    clinic_id: int
    patient_id: int
    appointment_id: int | None
    route: str
    status: str = Field(description="checked_in, dosing, observation, ready_for_discharge, discharged or cancelled")
    chair: str
    checked_in_at: dt.datetime
    weight_kg: Decimal | None
    dosing_started_at: dt.datetime | None
    dosing_ended_at: dt.datetime | None
    observation_started_at: dt.datetime | None
    observation_min_required: int
    ready_without_observation_rule_at: dt.datetime | None
    ready_for_discharge_at: dt.datetime | None
    discharged_at: dt.datetime | None
    ride_name: str


class ChecklistLineOut(Schema):
    item: str
    label: str
    required: bool
    done: bool
    detail: str
    recorded_by: str | None
    recorded_at: dt.datetime | None


class HoldOut(Schema):
    id: int
    kind: str
    message: str
    opened_at: dt.datetime
    cleared_at: dt.datetime | None
    clearance: str
    override_reason: str


class OrderOut(Schema):
    source: str
    plan_reference: str
    dose_mg_per_kg: Decimal | None
    weight_basis: str
    weight_cap_kg: Decimal | None
    infusion_duration_min: int | None
    esketamine_dose_mg: int | None
    physician_override: bool
    override_reason: str
    ordered_by_id: int | None
    ordered_at: dt.datetime


class DeviceOut(Schema):
    number: int
    administered_at: dt.datetime
    observed_by_id: int


class DoseOut(Schema):
    id: int
    visit_id: int
    drug: str = Field(description="ketamine or esketamine")
    status: str
    dose_mg: Decimal
    volume_ml: Decimal | None
    concentration_mg_per_ml: Decimal | None
    lot_number: str
    devices: int | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    administered_by_id: int | None
    calculated_by_id: int
    second_check_by_id: int | None
    weight_kg: Decimal | None
    weight_basis: str
    dose_mg_per_kg: Decimal | None
    duration_min: int | None
    diluent_ml: Decimal | None
    total_volume_ml: Decimal | None
    rate_ml_per_h: Decimal | None
    rate_mg_per_kg_per_h: Decimal | None
    physician_override: bool
    device_log: list[DeviceOut]

    @staticmethod
    def resolve_device_log(obj):
        return list(obj.device_log.all())


class ReadinessOut(Schema):
    ready: bool
    unmet: list[str]
    observation_ends_at: dt.datetime


class VisitDetailOut(VisitOut):
    checklist: list[ChecklistLineOut] = []
    dosing_blockers: list[str] = []
    holds: list[HoldOut] = []
    order: OrderOut | None = None
    doses: list[DoseOut] = []
    readiness: ReadinessOut | None = None
    vitals_next_due_at: dt.datetime | None = None


class ChecklistIn(Schema):
    confirmed: bool | None = None
    note: str = ""
    ride_name: str | None = None
    ride_phone: str | None = None
    pregnancy_status: str | None = Field(None, description="not_pregnant_reported, negative_test, pregnant or not_applicable")
    benzodiazepines: bool | None = None
    non_benzodiazepine_sedative_hypnotics: bool | None = None
    psychostimulants: bool | None = None
    maois: bool | None = None
    opioids: bool | None = None
    other_sedating_medications: bool | None = None
    details: str = ""
    weight_kg: Decimal | None = None


class ChecklistItemOut(Schema):
    id: int
    item: str
    status: str
    value: dict
    note: str
    recorded_by_id: int
    recorded_at: dt.datetime


class OrderIn(Schema):
    dose_mg_per_kg: Decimal | None = Field(None, examples=["0.5"])
    weight_basis: str = Field("actual", description="actual, ideal, adjusted or capped")
    weight_cap_kg: Decimal | None = None
    infusion_duration_min: int | None = Field(None, examples=[40])
    esketamine_dose_mg: int | None = Field(None, description="56 or 84")
    physician_override: bool = False
    override_reason: str = ""


class ReasonIn(Schema):
    reason: str = ""


class DoseIn(Schema):
    lot_number: str = ""
    concentration_mg_per_ml: Decimal | None = Field(None, description="IV: the vial strength, e.g. 10, 50 or 100.")
    diluent_ml: Decimal = Decimal("0")


class SecondCheckIn(Schema):
    dose_mg: Decimal = Field(description="The dose the second nurse worked out independently.")
    rate_ml_per_h: Decimal = Field(description="The pump rate the second nurse worked out independently.")


class AtIn(Schema):
    at: dt.datetime | None = Field(None, description="When it happened (aware); now if omitted. Not in the future.")


class InfusionChangeIn(AtIn):
    kind: str = Field(description="pause, resume, rate_change or stop")
    note: str = ""
    new_rate_ml_per_h: Decimal | None = None


class ReadingIn(Schema):
    idempotency_key: str = Field(
        min_length=1, max_length=80, examples=["0b7e2f5c-7c1e-4a57-9a1b-2f3d4e5f6a7b"],
        description="Made up by the sender, new for each reading (a UUID), and sent again unchanged on every retry.")
    measured_at: dt.datetime | None = Field(
        None, description="When the monitor measured it, with its offset. Required from a device token; a person may omit it (now).")
    systolic_mmhg: int | None = None
    diastolic_mmhg: int | None = None
    heart_rate_bpm: int | None = None
    spo2_pct: int | None = None
    respiratory_rate_per_min: int | None = None
    moaa_s: int | None = Field(None, description="0–5")
    device_label: str = Field("", max_length=80, description="Which monitor, e.g. its serial number.")


class AlertOut(Schema):
    id: int
    reading_id: int
    parameter: str
    level: str = Field(description="caution, hold or action")
    message: str
    acknowledged_at: dt.datetime | None
    acknowledged_by_id: int | None
    action: str
    action_note: str


class ReadingOut(Schema):
    id: int
    visit_id: int
    idempotency_key: str
    measured_at: dt.datetime
    received_at: dt.datetime
    phase: str
    source: str
    systolic_mmhg: int | None
    diastolic_mmhg: int | None
    heart_rate_bpm: int | None
    spo2_pct: int | None
    respiratory_rate_per_min: int | None
    moaa_s: int | None
    received_after_discharge: bool
    alerts: list[AlertOut]
    duplicate: bool = Field(False, description="True when this key was stored before: nothing new was written.")

    @staticmethod
    def resolve_alerts(obj):
        return list(obj.alerts.all())


class AlertAcknowledgeIn(Schema):
    action: str = Field(description="recheck, slowed, stopped, medication, physician or other")
    note: str = ""


class EventIn(Schema):
    kind: str
    occurred_at: dt.datetime | None = None
    medication: str = ""
    medication_dose: str = ""
    note: str = ""
    new_rate_ml_per_h: Decimal | None = None


class EventOut(Schema):
    id: int
    visit_id: int
    occurred_at: dt.datetime
    kind: str
    medication: str
    medication_dose: str
    new_rate_ml_per_h: Decimal | None
    note: str
    recorded_by_id: int


class CadssIn(Schema):
    total: int = Field(description="CADSS-23 total, 0–92")
    measured_at: dt.datetime | None = None


class CadssOut(Schema):
    id: int
    visit_id: int
    measured_at: dt.datetime
    total: int
    rule_version: str


class TimelineOut(Schema):
    at: dt.datetime
    kind: str
    text: str
    level: str


class AssessmentIn(Schema):
    activity: int | None = None
    respiration: int | None = None
    circulation: int | None = None
    consciousness: int | None = None
    oxygen_saturation: int | None = None
    ride_present: bool = False
    baseline_mental_status: bool = False
    ambulates_steadily: bool = False
    no_significant_nausea: bool = False
    no_driving_acknowledged: bool = False
    sedation_resolved: bool = False
    dissociation_resolved: bool = False
    respiratory_depression_resolved: bool = False
    ready_without_rule_at: dt.datetime | None = Field(
        None, description="Esketamine: when the patient would have been ready but for the 2-hour rule.")


class AssessmentOut(Schema):
    id: int
    visit_id: int
    assessed_at: dt.datetime
    method: str
    aldrete_scores: dict
    aldrete_total: int | None
    checklist: dict
    vitals_near_baseline: bool
    vitals_detail: str
    ride_present: bool
    observation_ends_at: dt.datetime
    ready: bool
    unmet: list[str]
