"""Statements: the activity of a period and the balances either side of it, frozen as sent."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from ketaclinic.billing.models import Statement
from ketaclinic.billing.services._common import clinic_today, record_create
from ketaclinic.billing.services.account import account_totals
from ketaclinic.clinical.pricing import format_usd
from ketaclinic.patients.models import Patient


@transaction.atomic
def create_statement(patient: Patient, *, period_start: dt.date, period_end: dt.date, acting_user) -> Statement:
    if period_end < period_start:
        raise ValidationError({"period_end": "The period cannot end before it starts."})
    if period_end > clinic_today(patient.clinic):
        raise ValidationError({"period_end": "must not be in the future."})
    opening = account_totals(patient, before=period_start).balance_cents
    period = account_totals(patient, before=period_end + dt.timedelta(days=1), on_or_after=period_start)
    statement = Statement.objects.create(
        clinic_id=patient.clinic_id, patient=patient, period_start=period_start, period_end=period_end,
        opening_balance_cents=opening, charges_cents=period.charges_cents, payments_cents=period.payments_cents,
        refunds_cents=period.refunds_cents, adjustments_cents=period.adjustments_cents,
        closing_balance_cents=opening + period.balance_cents,
        generated_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    record_create(statement, actor=acting_user, object_type="statement", clinic=patient.clinic_id, patient=patient,
                  summary=f"Statement {period_start:%m/%d/%Y}–{period_end:%m/%d/%Y}, balance "
                          f"{format_usd(statement.closing_balance_cents)}",
                  fields=("period_start", "period_end", "opening_balance_cents", "closing_balance_cents"))
    return statement
