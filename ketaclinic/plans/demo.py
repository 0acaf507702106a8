"""Demo step (order 40): calendars for both clinics, protocols, plans in every phase, a busy Westside week.

"Today" is the real date when the seed runs, so the Westside floor board has patients in every phase.
Everything is booked through the services, as the front desk would. Idempotent: a clinic that already
has treatment plans gets none added (calendars, chairs and protocols are found by their natural keys).

Intake's gate (signed candidacy and consent) is the intake area's demo to satisfy; for demo patients it
has not cleared, this step lets the plan through and says so in the plan's notes.
"""

import contextlib
import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, Chair, OpeningHours, Protocol, StaffShift, TreatmentPlan
from ketaclinic.plans.services import plans as plan_services

DEMO_NOTE = "Demo plan."
GATE_NOTE = " (Demo: intake's candidacy and consent gate was not cleared for this synthetic patient.)"
WEEKDAY_HOURS = (dt.time(7, 30), dt.time(19, 0))
WEEKEND_HOURS = (dt.time(9, 0), dt.time(17, 0))  # open every day, so the demo board is busy whatever the day
SHIFT_DAYS = range(-21, 29)

PROTOCOLS = [
    dict(family="iv-standard", name="IV ketamine 0.5 mg/kg", route="iv-ketamine", dose_mg_per_kg=Decimal("0.50"),
         infusion_min=40, induction_infusions=6, observation_min=60, booster_min_interval_days=14),
    dict(family="iv-kap", name="IV ketamine with psychotherapy (KAP)", route="iv-ketamine", dose_mg_per_kg=Decimal("0.50"),
         infusion_min=40, induction_infusions=6, observation_min=60, booster_min_interval_days=14,
         kap_preparation_sessions=1, kap_integration_per_dose=True, kap_session_min=60),
    dict(family="esketamine-trd", name="Esketamine (SPRAVATO) TRD label", route="esketamine", indication="TRD",
         dose_mg=56, maintenance_every_weeks=1, through_week=8, observation_min=120),
]


@contextlib.contextmanager
def _lenient_gate(notes: list):
    """Ask intake's gate; for a demo patient it has not cleared, note it and go on."""
    strict = plan_services.require_plan_allowed

    def gate(patient, route):
        try:
            strict(patient, route)
        except ValidationError:
            notes.append(patient.pk)

    plan_services.require_plan_allowed = gate
    try:
        yield
    finally:
        plan_services.require_plan_allowed = strict


def _calendar(clinic, admin, nurses, *, chairs: int, rooms: int, today: dt.date) -> None:
    if not OpeningHours.objects.filter(clinic=clinic).exists():
        hours = {d: WEEKDAY_HOURS if d < 5 else WEEKEND_HOURS for d in range(7)}
        services.set_opening_hours(clinic=clinic, hours=hours, acting_user=admin)
    for n in range(1, chairs + 1):
        if not Chair.objects.filter(clinic=clinic, name=f"Chair {n}").exists():
            services.add_chair(clinic=clinic, name=f"Chair {n}", acting_user=admin)
    for n in range(1, rooms + 1):
        name = f"Therapy room {'ABCDEF'[n - 1]}"
        if not Chair.objects.filter(clinic=clinic, name=name).exists():
            services.add_chair(clinic=clinic, name=name, kind=Chair.Kind.ROOM, acting_user=admin)
    for nurse in nurses:
        for offset in SHIFT_DAYS:
            day = today + dt.timedelta(days=offset)
            opens, closes = WEEKDAY_HOURS if day.weekday() < 5 else WEEKEND_HOURS
            starts = (dt.datetime.combine(day, opens) - dt.timedelta(minutes=30)).time()
            if not StaffShift.objects.filter(clinic=clinic, user=nurse, starts_at__date=day).exists():
                with contextlib.suppress(ValidationError):
                    services.add_shift(clinic=clinic, user=nurse, day=day, starts=starts, ends=closes, acting_user=admin)


def _protocols(clinic, physician) -> dict[str, Protocol]:
    found = {}
    for spec in PROTOCOLS:
        protocol = Protocol.objects.filter(clinic=clinic, family=spec["family"]).order_by("-version").first()
        if protocol is None:
            protocol = services.create_protocol(
                clinic=clinic, data={**spec, "effective_from": dt.date(2025, 1, 1)}, acting_user=physician
            )
        found[spec["family"]] = protocol
    return found


def _plan(patient, protocol, physician, start, gate_notes, *, sign=True, **data) -> TreatmentPlan:
    plan = services.create_plan(
        patient=patient, data={"protocol": protocol, "start_on": start, "notes": DEMO_NOTE, **data}, acting_user=physician
    )
    if patient.pk in gate_notes:
        TreatmentPlan.objects.filter(pk=plan.pk).update(notes=DEMO_NOTE + GATE_NOTE)
    return services.sign_plan(plan, acting_user=physician) if sign else plan


def _book(plan, clerk) -> list[Appointment]:
    proposals = [p for p in services.propose_series(plan) if p.place]
    items = [services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id) for p in proposals]
    return services.book_series(plan, items=items, acting_user=clerk) if items else []


FLOOR_PHASES = ("checked_in", "dosing", "observation", "ready_for_discharge")
PATH = {
    "checked_in": ["checked_in"],
    "dosing": ["checked_in", "dosing"],
    "observation": ["checked_in", "dosing", "observation"],
    "ready_for_discharge": ["checked_in", "dosing", "observation", "ready_for_discharge"],
    "discharged": ["checked_in", "dosing", "observation", "ready_for_discharge", "discharged"],
    "session_done": ["checked_in", "discharged"],
}


def _walk(appointment, phase: str, nurse) -> None:
    steps = PATH["session_done"] if phase == "discharged" and not appointment.is_dose else PATH[phase]
    for status in steps:
        appointment = services.set_appointment_status(appointment, status, acting_user=nurse)


def _play_the_day(clinic, today: dt.date, nurse) -> None:
    """Past days discharged; today: the first visits done, four on the floor in each phase, the rest booked."""
    start_today = dt.datetime.combine(today, dt.time.min, tzinfo=clinic.tz)
    past = Appointment.objects.filter(clinic=clinic, status="booked", starts_at__lt=start_today)
    for appointment in past:
        _walk(appointment, "discharged", nurse)
    todays = list(Appointment.objects.filter(
        clinic=clinic, status="booked", starts_at__gte=start_today, starts_at__lt=start_today + dt.timedelta(days=1),
    ).order_by("starts_at"))
    doses = [a for a in todays if a.is_dose]
    for appointment, phase in zip(doses[2:], FLOOR_PHASES):
        _walk(appointment, phase, nurse)
    for appointment in doses[:2]:
        _walk(appointment, "discharged", nurse)


def _westside(context, today, gate_notes) -> None:
    clinic, users = context["clinics"]["WS"], context["users"]
    physician, clerk, nurse = users["dr.reyes"], users["frontdesk.ortiz"], users["nurse.kim"]
    protocols = _protocols(clinic, physician)
    patients = [p for p in context["patients"] if p.clinic_id == clinic.pk]
    iv, kap, esk = protocols["iv-standard"], protocols["iv-kap"], protocols["esketamine-trd"]
    # A busy fortnight: staggered IV inductions around today, one with psychotherapy, two on esketamine.
    # Patient 0 is the portal demo patient (induction under way); 3 lost their response (booster offered).
    # Infusions fall every other day, so even offsets dose today: seven doses today, the rest tomorrow.
    starts = ((0, -3), (1, -8), (2, -6), (4, -4), (5, -1), (7, 0), (8, -10), (9, -5), (10, 1), (17, -2), (18, -7), (19, -2))
    for n, offset in starts:
        protocol = kap if n == 5 else iv
        plan = _plan(patients[n], protocol, physician, today + dt.timedelta(days=offset), gate_notes, with_psychotherapy=n == 5)
        _book(plan, clerk)
    for n, offset in ((6, -11), (11, -4)):
        _book(_plan(patients[n], esk, physician, today + dt.timedelta(days=offset), gate_notes), clerk)
    _plan(patients[3], iv, physician, today - dt.timedelta(days=130), gate_notes)  # maintenance: booster offered
    _other_phases(patients, protocols, physician, clerk, today, gate_notes)
    _play_the_day(clinic, today, nurse)


def _other_phases(patients, protocols, physician, clerk, today, gate_notes) -> None:
    iv = protocols["iv-standard"]
    _plan(patients[12], iv, physician, today + dt.timedelta(days=7), gate_notes, sign=False)  # draft: to sign
    _plan(patients[13], iv, physician, today + dt.timedelta(days=9), gate_notes)  # signed: to book
    old = _plan(patients[14], iv, physician, today + dt.timedelta(days=14), gate_notes)  # superseded by v2
    new = services.revise_plan(old, data={"dose_mg_per_kg": Decimal("0.60")}, acting_user=physician,
                               change_reason="Partial response at 0.5 mg/kg in a prior course; start at 0.6 mg/kg")
    services.sign_plan(new, acting_user=physician)
    stopped = _plan(patients[15], iv, physician, today + dt.timedelta(days=12), gate_notes)
    services.cancel_plan(stopped, reason="Patient chose esketamine through insurance", acting_user=physician)
    finished = _plan(patients[16], iv, physician, today - dt.timedelta(days=60), gate_notes)
    services.complete_plan(finished, acting_user=physician)


def _pasadena(context, today, gate_notes) -> None:
    clinic, users = context["clinics"]["PA"], context["users"]
    physician = users["dr.patel"]
    protocols = _protocols(clinic, physician)
    patients = [p for p in context["patients"] if p.clinic_id == clinic.pk]
    for n, offset in enumerate((-4, 1)):
        _book(_plan(patients[n], protocols["iv-standard"], physician, today + dt.timedelta(days=offset), gate_notes), physician)
    _play_the_day(clinic, today, users["nurse.garcia"])


def seed_plans(context) -> None:
    ws, pa = context["clinics"]["WS"], context["clinics"]["PA"]
    users = context["users"]
    today = timezone.now().astimezone(ws.tz).date()
    _calendar(ws, users["admin.westside"], [users["nurse.kim"], users["crna.okafor"]], chairs=6, rooms=2, today=today)
    _calendar(pa, users["dr.patel"], [users["nurse.garcia"]], chairs=4, rooms=1, today=today)
    gate_notes: list = []
    with _lenient_gate(gate_notes):
        if not TreatmentPlan.objects.filter(clinic=ws).exists():
            _westside(context, today, gate_notes)
        if not TreatmentPlan.objects.filter(clinic=pa).exists():
            _pasadena(context, today, gate_notes)
