"""Billing listens for the visits area's discharges: each completed visit is charged once."""


def register() -> None:
    try:
        from ketaclinic.visits.hooks import register_on_discharge
    except ImportError:  # the visits area is optional for billing's own pages
        return
    from ketaclinic.billing.services.charges import charge_on_discharge

    register_on_discharge(charge_on_discharge)
