"""The demo seed: calendars for both clinics, plans in every phase, a busy Westside floor board today."""

import datetime as dt

import time_machine

from ketaclinic.core import demo
from ketaclinic.plans import floor
from ketaclinic.plans.models import Appointment, Chair, OpeningHours, StaffShift, TreatmentPlan

# A Sunday, so the test also shows the board is busy at the weekend (the demo clinics open every day).
TODAY = dt.datetime(2026, 12, 6, 19, tzinfo=dt.UTC)


@time_machine.travel(TODAY, tick=False)
def test_the_demo_has_plans_in_every_phase_and_a_busy_floor_today(db, gate_open):
    context = demo.seed()
    westside, pasadena = context["clinics"]["WS"], context["clinics"]["PA"]
    for clinic in (westside, pasadena):
        assert OpeningHours.objects.filter(clinic=clinic).count() == 7
        assert Chair.objects.filter(clinic=clinic, kind="chair").exists() and StaffShift.objects.filter(clinic=clinic).exists()
    statuses = set(TreatmentPlan.objects.filter(clinic=westside).values_list("status", flat=True))
    assert statuses == {"draft", "signed", "superseded", "cancelled", "completed"}
    board = floor.build_board(westside)
    on_floor = {row.current.status for row in board.rows if row.current}
    assert on_floor == {"checked_in", "dosing", "observation", "ready_for_discharge"}
    assert sum(len(row.upcoming) for row in board.rows) >= 2
    week = Appointment.objects.filter(clinic=westside, starts_at__gte=TODAY - dt.timedelta(days=3),
                                      starts_at__lt=TODAY + dt.timedelta(days=4))
    assert week.count() >= 25
    counts = (TreatmentPlan.objects.count(), Appointment.objects.count(), StaffShift.objects.count())
    demo.seed()
    assert (TreatmentPlan.objects.count(), Appointment.objects.count(), StaffShift.objects.count()) == counts
