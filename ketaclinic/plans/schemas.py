"""JSON shapes of the plans API. Durations at the edge are whole minutes with a unit suffix."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema
from pydantic import field_validator


class ProtocolOut(Schema):
    id: int
    clinic_id: int
    family: str
    version: int
    name: str
    route: str
    dose_mg_per_kg: Decimal | None
    weight_basis: str
    weight_cap_kg: Decimal | None
    infusion_min: int | None
    induction_infusions: int | None
    min_gap_days: int
    booster_min_interval_days: int | None
    indication: str
    dose_mg: int | None
    maintenance_every_weeks: int | None
    through_week: int | None
    observation_min: int
    kap_preparation_sessions: int
    kap_integration_per_dose: bool
    kap_session_min: int
    approved_by_id: int
    approved_at: dt.datetime
    effective_from: dt.date
    change_reason: str


class ProtocolIn(Schema):
    clinic_id: int
    family: str = Field(examples=["iv-standard"])
    name: str = Field(examples=["IV ketamine 0.5 mg/kg"])
    route: str = Field(description="iv-ketamine or esketamine", examples=["iv-ketamine"])
    dose_mg_per_kg: Decimal | None = Field(None, examples=["0.50"])
    weight_basis: str = "actual"
    weight_cap_kg: Decimal | None = None
    infusion_min: int | None = Field(None, examples=[40])
    induction_infusions: int | None = Field(None, examples=[6])
    min_gap_days: int = 2
    booster_min_interval_days: int | None = None
    indication: str = ""
    dose_mg: int | None = None
    maintenance_every_weeks: int | None = None
    through_week: int | None = None
    observation_min: int = Field(examples=[60])
    kap_preparation_sessions: int = 0
    kap_integration_per_dose: bool = False
    kap_session_min: int = 60
    effective_from: dt.date | None = None


class ProtocolRevisionIn(Schema):
    change_reason: str = Field(examples=["Observation lengthened to 90 minutes"])
    name: str | None = None
    dose_mg_per_kg: Decimal | None = None
    weight_basis: str | None = None
    weight_cap_kg: Decimal | None = None
    infusion_min: int | None = None
    induction_infusions: int | None = None
    min_gap_days: int | None = None
    booster_min_interval_days: int | None = None
    indication: str | None = None
    dose_mg: int | None = None
    maintenance_every_weeks: int | None = None
    through_week: int | None = None
    observation_min: int | None = None
    kap_preparation_sessions: int | None = None
    kap_integration_per_dose: bool | None = None
    kap_session_min: int | None = None
    effective_from: dt.date | None = None


class ChairOut(Schema):
    id: int
    clinic_id: int
    name: str
    kind: str
    is_active: bool


class SessionOut(Schema):
    id: int
    sequence: int
    kind: str
    planned_on: dt.date
    week: int | None
    phase: str
    dose_mg: int | None
    dose_mg_per_kg: Decimal | None
    chair_min: int
    follows_id: int | None


class PlanOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    protocol_id: int
    course_id: int | None
    route: str
    version: int
    supersedes_id: int | None
    status: str
    start_on: dt.date
    dose_mg_per_kg: Decimal | None
    infusions: int | None
    indication: str
    dose_mg: int | None
    maintenance_every_weeks: int | None
    through_week: int | None
    with_psychotherapy: bool
    notes: str
    change_reason: str
    created_by_id: int
    signed_by_id: int | None
    signed_at: dt.datetime | None


class PlanDetailOut(PlanOut):
    sessions: list[SessionOut]
    booster_offer: str | None = Field(None, description="Why a booster is offered (loss of response), or null.")


class PlanIn(Schema):
    patient_id: int
    protocol_id: int
    start_on: dt.date
    dose_mg_per_kg: Decimal | None = None
    infusions: int | None = None
    indication: str | None = None
    dose_mg: int | None = None
    maintenance_every_weeks: int | None = None
    through_week: int | None = None
    with_psychotherapy: bool = False
    notes: str = ""


class PlanRevisionIn(Schema):
    change_reason: str
    protocol_id: int | None = None
    start_on: dt.date | None = None
    dose_mg_per_kg: Decimal | None = None
    infusions: int | None = None
    indication: str | None = None
    dose_mg: int | None = None
    maintenance_every_weeks: int | None = None
    through_week: int | None = None
    with_psychotherapy: bool | None = None
    notes: str | None = None


class BoosterIn(Schema):
    on: dt.date


class AvailabilityIn(Schema):
    weekdays: list[int] = Field([0, 1, 2, 3, 4, 5, 6], description="Monday 0 … Sunday 6")
    earliest: dt.time = Field(dt.time(7, 0), description="Clinic local time")
    latest: dt.time = Field(dt.time(20, 0), description="Clinic local time; the visit ends by then")

    @field_validator("earliest", "latest")
    @classmethod
    def _local_time(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError("Give the clinic's local time without a UTC offset, e.g. 07:30.")
        return value


class ProblemOut(Schema):
    rule: str
    message: str
    blocking: bool


class ProposalOut(Schema):
    session_id: int
    sequence: int
    kind: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    chair_id: int | None
    nurse_id: int | None
    reason: str
    problems: list[ProblemOut]


class BookingItemIn(Schema):
    session_id: int
    starts_at: dt.datetime = Field(description="Aware, on a quarter hour", examples=["2026-01-05T16:00:00Z"])
    chair_id: int | None = None


class BookingIn(Schema):
    items: list[BookingItemIn]


class AppointmentOut(Schema):
    id: int
    patient_id: int
    clinic_id: int
    chair_id: int
    nurse_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    route: str
    kind: str
    planned_session_id: int | None
    plan_id: int | None
    status: str
    cancel_reason: str


class StatusIn(Schema):
    status: str = Field(examples=["checked_in"])
    reason: str = ""


class RescheduleIn(Schema):
    starts_at: dt.datetime
    chair_id: int | None = None


class CancelIn(Schema):
    reason: str


class AppointmentIn(Schema):
    patient_id: int
    route: str
    kind: str = Field(description="consultation, psychotherapy-preparation or psychotherapy-integration")
    starts_at: dt.datetime
    minutes: int = 60
    chair_id: int | None = None


class FloorChairOut(Schema):
    chair_id: int
    chair: str
    current: AppointmentOut | None
    due: list[str]
    upcoming: list[AppointmentOut]


class FloorOut(Schema):
    clinic_id: int
    day: dt.date
    chairs: list[FloorChairOut]
    warnings: list[str]
