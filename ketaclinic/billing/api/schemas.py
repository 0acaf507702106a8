import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class PriceListIn(Schema):
    clinic_id: int
    effective_from: dt.date
    consultation_cents: int | None = Field(None, ge=0)
    iv_infusion_cents: int | None = Field(None, ge=0, examples=[60000])
    induction_package_price_cents: int | None = Field(None, ge=0)
    induction_package_discount_pct: Decimal | None = Field(None, ge=0, le=100, examples=["10"])
    induction_package_infusions: int = Field(6, ge=1, le=12)
    booster_cents: int | None = Field(None, ge=0)
    esketamine_session_cents: int | None = Field(None, ge=0)
    esketamine_drug_per_mg_cents: int | None = Field(None, ge=0)
    iv_drug_charge_cents: int = Field(0, ge=0)
    psychotherapy_preparation_cents: int | None = Field(None, ge=0)
    psychotherapy_integration_cents: int | None = Field(None, ge=0)
    psychotherapy_cents: int | None = Field(None, ge=0)
    cancellation_fee_cents: int | None = Field(None, ge=0)
    note: str = ""


class PriceListOut(PriceListIn):
    id: int


class PublishedPricesOut(Schema):
    clinic_id: int
    effective_from: dt.date
    currency: str
    prices_cents: dict[str, int]
    labels: dict[str, str]
    induction_package_cents: int | None
    induction_package_infusions: int
    financing_options: str
    accepted_esketamine_payers: list[str]


class CoverageTermsIn(Schema):
    deductible_remaining_cents: int = Field(0, ge=0)
    coinsurance_pct: Decimal = Field(Decimal("0"), ge=0, le=100)
    copay_per_session_cents: int = Field(0, ge=0)
    oop_max_remaining_cents: int | None = Field(None, ge=0)
    manufacturer_savings: bool = Field(False, description="Enrolled in the manufacturer's programme (CarePath terms).")


class EstimateIn(Schema):
    clinic_id: int
    sessions: dict[str, int] = Field(examples=[{"consultation": 1, "iv-infusion": 6}],
                                     description="Counts by session type (see ketaclinic.clinical.pricing.SESSION_TYPES).")
    induction_as_package: bool | None = Field(None, description="Empty: use the package when it is offered and cheaper.")
    coverage: CoverageTermsIn | None = None


class EstimateLineOut(Schema):
    session_type: str
    count: int
    unit_price_cents: int
    total_cents: int
    insurance_cents: int
    patient_cents: int
    savings_cents: int
    patient_after_savings_cents: int
    note: str


class EstimateOut(Schema):
    total_cents: int
    insurance_cents: int
    patient_cents: int
    savings_cents: int
    patient_after_savings_cents: int = Field(description="What the patient is expected to pay.")
    lines: list[EstimateLineOut]
    assumptions: list[str]


class PayerIn(Schema):
    clinic_id: int
    name: str
    payer_code: str = ""
    phone: str = ""
    esketamine_in_network: bool = False


class PayerOut(Schema):
    id: int
    clinic_id: int
    name: str
    payer_code: str
    phone: str
    esketamine_in_network: bool
    active: bool


class InsurancePlanIn(Schema):
    name: str
    plan_type: str = Field("commercial", description="commercial, medicare, medicare_advantage, medicaid or other")
    esketamine_billing: str = Field("pharmacy_benefit", description="visit_includes_drug, buy_and_bill or pharmacy_benefit")
    requires_kx_modifier: bool = False


class InsurancePlanOut(InsurancePlanIn):
    id: int
    payer_id: int


class CoverageIn(Schema):
    plan_id: int
    priority: str = "primary"
    member_id: str
    group_number: str = ""
    subscriber_relationship: str = "self"
    subscriber_first_name: str = ""
    subscriber_last_name: str = ""
    subscriber_date_of_birth: dt.date | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None


class CoverageOut(CoverageIn):
    id: int
    patient_id: int
    active: bool


class BenefitsCheckIn(Schema):
    checked_on: dt.date
    method: str = "phone"
    reference: str = ""
    esketamine_covered: str = "unknown"
    iv_ketamine_covered: str = "no"
    prior_auth_required: bool = True
    deductible_cents: int = Field(0, ge=0)
    deductible_met_cents: int = Field(0, ge=0)
    coinsurance_pct: Decimal = Field(Decimal("0"), ge=0, le=100)
    copay_cents: int = Field(0, ge=0)
    oop_max_cents: int | None = Field(None, ge=0)
    oop_met_cents: int = Field(0, ge=0)
    notes: str = ""


class BenefitsCheckOut(BenefitsCheckIn):
    id: int
    coverage_id: int


class PriorAuthIn(Schema):
    unit_code: str = "G2082"
    units_requested: int = Field(ge=1)
    diagnosis_codes: list[str] | None = None
    failed_trials: str | None = None
    baseline_scores: str | None = None
    clinical_summary: str | None = None


class PriorAuthOut(Schema):
    id: int
    patient_id: int
    coverage_id: int
    status: str
    unit_code: str
    units_requested: int
    units_approved: int | None
    diagnosis_codes: list[str]
    failed_trials: str
    baseline_scores: str
    clinical_summary: str
    requested_on: dt.date
    submitted_on: dt.date | None
    decided_on: dt.date | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    payer_reference: str
    denial_reason: str


class PriorAuthStepIn(Schema):
    action: str = Field(description="submit, approve, deny, appeal or withdraw")
    on: dt.date | None = Field(None, description="submitted_on or decided_on")
    units_approved: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    payer_reference: str = ""
    reason: str = Field("", description="Denial reason, or what an appeal adds.")


class ChargeIn(Schema):
    service_date: dt.date
    code: str = Field(examples=["90792"])
    units: int = Field(1, ge=1)
    unit_price_cents: int | None = Field(None, ge=0, description="Empty: the price list's price.")
    modifiers: str = ""
    diagnosis_codes: list[str] | None = None
    rendering_provider_id: int | None = None


class ChargeOut(Schema):
    id: int
    patient_id: int
    visit_id: int | None
    service_date: dt.date
    code: str
    modifiers: str
    description: str
    units: int
    unit_price_cents: int
    amount_cents: int
    diagnosis_codes: list[str]
    ndc: str
    invoice_id: int | None
    prior_authorization_id: int | None
    status: str


class VoidIn(Schema):
    reason: str


class InvoiceIn(Schema):
    charge_ids: list[int]
    note: str = ""


class InvoiceOut(Schema):
    id: int
    patient_id: int
    number: str
    issued_on: dt.date
    due_on: dt.date
    status: str
    total_cents: int
    paid_cents: int
    adjusted_cents: int
    balance_cents: int


class PaymentIn(Schema):
    amount_cents: int = Field(gt=0)
    method: str = Field(description="card, cash, check, hsa_fsa, financing, insurance or savings")
    received_on: dt.date | None = None
    invoice_id: int | None = None
    payment_plan_id: int | None = None
    payer_id: int | None = None
    reference: str = ""
    note: str = ""


class PaymentOut(Schema):
    id: int
    patient_id: int
    invoice_id: int | None
    payment_plan_id: int | None
    payer_id: int | None
    received_on: dt.date
    amount_cents: int
    method: str
    reference: str


class RefundIn(Schema):
    amount_cents: int = Field(gt=0)
    refunded_on: dt.date | None = None
    reason: str


class RefundOut(Schema):
    id: int
    payment_id: int
    refunded_on: dt.date
    amount_cents: int
    reason: str


class AdjustmentIn(Schema):
    amount_cents: int = Field(gt=0)
    reason: str = Field(description="contractual, discount, courtesy, bad_debt or correction")
    adjusted_on: dt.date | None = None
    invoice_id: int | None = None
    note: str = ""


class AdjustmentOut(Schema):
    id: int
    patient_id: int
    invoice_id: int | None
    adjusted_on: dt.date
    amount_cents: int
    reason: str


class PaymentPlanIn(Schema):
    total_cents: int = Field(gt=0)
    count: int = Field(ge=1, le=60)
    first_due_on: dt.date
    frequency: str = "monthly"
    invoice_id: int | None = None
    note: str = ""


class InstalmentOut(Schema):
    number: int
    due_on: dt.date
    amount_cents: int
    paid_cents: int
    state: str


class PaymentPlanOut(Schema):
    id: int
    patient_id: int
    invoice_id: int | None
    total_cents: int
    frequency: str
    status: str
    instalments: list[InstalmentOut]


class BalanceOut(Schema):
    patient_id: int
    charges_cents: int
    payments_cents: int
    refunds_cents: int
    adjustments_cents: int
    balance_cents: int


class PeriodIn(Schema):
    start: dt.date
    end: dt.date


class ClaimsIn(PeriodIn):
    clinic_id: int
    insured_only: bool = True
