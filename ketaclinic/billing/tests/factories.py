"""Test data helpers shared by the billing tests and the billing browser test."""

import datetime as dt
from decimal import Decimal

NOW = dt.datetime(2026, 3, 16, 20, 0, tzinfo=dt.timezone.utc)  # 1 pm in Los Angeles

# $600 infusion (in the LA $400–$800 range, clinical.md §0b), 10% off six for the package = $3,240.
PRICES = dict(
    consultation_cents=35_000, iv_infusion_cents=60_000, induction_package_discount_pct=Decimal("10"),
    booster_cents=55_000, esketamine_session_cents=90_000, esketamine_drug_per_mg_cents=1_500,
    iv_drug_charge_cents=5_000, psychotherapy_preparation_cents=40_000, psychotherapy_integration_cents=40_000,
    psychotherapy_cents=25_000, cancellation_fee_cents=10_000,
)


def make_visit(patient, route, *, dose_mg, discharged_at=NOW, minutes=40, user):
    """A discharged visit with its dose, written straight to the tables (the visits area tests its own flow)."""
    from ketaclinic.visits.models import DoseAdministration, SessionProtocol, Visit

    protocol = SessionProtocol.objects.filter(clinic=patient.clinic).first() or SessionProtocol.objects.create(
        clinic=patient.clinic)
    started = discharged_at - dt.timedelta(minutes=minutes + 60)
    visit = Visit.objects.create(
        clinic=patient.clinic, patient=patient, route=route, status="discharged", protocol=protocol,
        checked_in_at=started - dt.timedelta(minutes=20), checked_in_by=user, observation_min_required=60,
        dosing_started_at=started, dosing_ended_at=started + dt.timedelta(minutes=minutes),
        discharged_at=discharged_at, discharged_by=user,
    )
    DoseAdministration.objects.create(
        visit=visit, drug="ketamine" if route == "iv-ketamine" else "esketamine", status="completed",
        dose_mg=Decimal(dose_mg), lot_number="LOT-1", calculated_by=user, started_at=started,
        ended_at=started + dt.timedelta(minutes=minutes), duration_min=minutes,
    )
    return visit
