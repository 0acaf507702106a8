"""Billing models: prices, insurance, and the patient account (charges, invoices, payments...)."""

from ketaclinic.billing.models.account import (  # noqa: F401
    Adjustment,
    Charge,
    Invoice,
    PackagePurchase,
    Payment,
    PaymentPlan,
    PlanInstalment,
    Refund,
    Statement,
    VisitCharging,
)
from ketaclinic.billing.models.insurance import (  # noqa: F401
    BenefitsCheck,
    Coverage,
    InsurancePlan,
    Payer,
    PatientBillingInfo,
    PriorAuthorization,
    SavingsEnrollment,
)
from ketaclinic.billing.models.prices import BillingProfile, PriceList  # noqa: F401
