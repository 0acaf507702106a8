"""A signed treatment plan for a patient, written straight to the plans area's tables."""

import datetime as dt

from ketaclinic.plans.models import PlannedSession, Protocol, TreatmentPlan


def make_plan(patient, route: str, sessions: dict[str, int], user, start=dt.date(2026, 3, 23)) -> TreatmentPlan:
    protocol = Protocol.objects.create(
        clinic=patient.clinic, family=f"{route}-test", name=f"{route} test", route=route,
        observation_min=120 if route == "esketamine" else 60, approved_by=user, effective_from=dt.date(2026, 1, 1),
    )
    plan = TreatmentPlan.objects.create(
        patient=patient, clinic=patient.clinic, protocol=protocol, route=route, status="signed", start_on=start,
        created_by=user, signed_by=user, signed_at=dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc),
    )
    n = 0
    for kind, count in sessions.items():
        for _ in range(count):
            n += 1
            PlannedSession.objects.create(plan=plan, sequence=n, kind=kind, planned_on=start + dt.timedelta(days=n),
                                          chair_min=120)
    return plan
