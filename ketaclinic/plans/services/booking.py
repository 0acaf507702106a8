"""Booking: propose a whole series, book it in one transaction, move or cancel one visit.

The database makes a double booking impossible (``ChairSlot``/``NurseSlot`` unique constraints, see
models.py); the checks here come first only so the front desk gets a sentence instead of an error.
Two clerks racing for one chair: both see it free, both insert its slot rows, the database lets one
commit and the other gets an IntegrityError, turned into "just booked by someone else; propose again".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ketaclinic.accounts import audit
from ketaclinic.clinical import series
from ketaclinic.plans import reminders
from ketaclinic.plans.models import (
    Appointment,
    Chair,
    ChairSlot,
    NurseSlot,
    PlannedSession,
    Route,
    TreatmentPlan,
)
from ketaclinic.plans.scheduling import Availability, Calendar, Place, is_aligned, load_calendar, slot_minutes, slots_of

SEARCH_DAYS_IV = 6  # how far a proposal may slide an IV dose past its planned day (the next gap check decides)
# Calendar read past the last planned day, for doses that slide; beyond it nothing is proposed (by hand).
LOOK_AHEAD_DAYS = 2 * SEARCH_DAYS_IV + 1
LIVE = (Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW)
SERIES_KIND = {
    PlannedSession.Kind.DOSING: series.DOSE, PlannedSession.Kind.BOOSTER: series.DOSE,
    PlannedSession.Kind.PREPARATION: series.PREPARATION, PlannedSession.Kind.INTEGRATION: series.INTEGRATION,
}


@dataclass
class Proposal:
    session: PlannedSession
    place: Place | None
    reason: str = ""
    problems: list = field(default_factory=list)

    @property
    def day(self) -> dt.date | None:
        return self.place.starts_at.astimezone(self.session.plan.clinic.tz).date() if self.place else None


def chair_kinds(session: PlannedSession, route: str, calendar: Calendar) -> set[str]:
    """IV doses need an infusion chair; esketamine any chair or room; psychotherapy a room if there is one."""
    if session.is_dose:
        return {Chair.Kind.CHAIR} if route == Route.IV else {Chair.Kind.CHAIR, Chair.Kind.ROOM}
    has_room = any(kind == Chair.Kind.ROOM for _, kind in calendar.chairs)
    return {Chair.Kind.ROOM} if has_room else {Chair.Kind.CHAIR}


def open_sessions(plan: TreatmentPlan) -> list[PlannedSession]:
    """The plan's sessions with no live appointment, in date order."""
    booked = set(
        Appointment.objects.filter(plan=plan, planned_session__isnull=False).exclude(status__in=LIVE)
        .values_list("planned_session_id", flat=True)
    )
    return [s for s in plan.sessions.select_related("plan__clinic").order_by("planned_on", "sequence") if s.pk not in booked]


def booked_days(plan: TreatmentPlan) -> dict[int, dt.date]:
    tz = plan.clinic.tz
    return {
        session_id: starts_at.astimezone(tz).date()
        for session_id, starts_at in Appointment.objects.filter(plan=plan, planned_session__isnull=False)
        .exclude(status__in=LIVE).values_list("planned_session_id", "starts_at")
    }


# --- proposing ------------------------------------------------------------------------------------------
def propose_series(plan: TreatmentPlan, *, availability: Availability = Availability()) -> list[Proposal]:
    """A place for every unbooked session of ``plan``: the earliest time on or after its planned day that
    fits the patient's availability, a free chair, a nurse's free seat and the protocol's spacing."""
    if plan.status != TreatmentPlan.Status.SIGNED:
        raise ValidationError({"plan": "Sign the plan before booking it."})
    sessions = open_sessions(plan)
    if not sessions:
        return []
    has_preparation = any(s.kind == PlannedSession.Kind.PREPARATION for s in sessions)
    calendar = load_calendar(
        plan.clinic, sessions[0].planned_on - dt.timedelta(days=7 if has_preparation else 0),
        sessions[-1].planned_on + dt.timedelta(days=LOOK_AHEAD_DAYS), patient=plan.patient,
    )
    days = {sid: day for sid, day in booked_days(plan).items()}
    all_sessions = list(plan.sessions.select_related("follows"))
    proposals, ends = [], {}
    for session in sessions:
        proposal = _propose_one(plan, session, calendar, availability, days, all_sessions, ends)
        if proposal.place:
            calendar.hold(proposal.place)
            days[session.pk], ends[session.pk] = proposal.day, proposal.place.ends_at
        proposals.append(proposal)
    _attach_problems(plan, proposals, all_sessions, days)
    return proposals


def _propose_one(plan, session, calendar, availability, days, all_sessions, ends) -> Proposal:
    kinds = chair_kinds(session, plan.route, calendar)
    candidates = _candidate_days(plan, session, days, all_sessions)
    for day in candidates:
        place = calendar.find(day, session.chair_min, kinds=kinds, needs_nurse=session.is_dose, availability=availability)
        if place:
            return Proposal(session, place)
    if session.follows_id in ends:  # no day in between: the same day as its dose, after discharge
        dose_end = ends[session.follows_id]
        place = calendar.find(dose_end.astimezone(plan.clinic.tz).date(), session.chair_min, kinds=kinds,
                              needs_nurse=False, availability=availability, not_before=dose_end)
        if place:
            return Proposal(session, place)
    span = f"from {min(candidates):%a %d %b} to {max(candidates):%a %d %b}" if candidates else "in the allowed days"
    return Proposal(session, None, f"No free {'/'.join(sorted(kinds))}{' with a nurse' if session.is_dose else ''} "
                                   f"within the patient's availability {span}; choose a time by hand.")


def _candidate_days(plan, session, days, all_sessions) -> list[dt.date]:
    """The days a session may take, in the order to try them, from its planned day and the days chosen."""
    one = dt.timedelta(days=1)
    first, last = session.planned_on, session.planned_on + dt.timedelta(days=SEARCH_DAYS_IV)
    doses = sorted((s for s in all_sessions if s.is_dose), key=lambda s: s.sequence)
    chosen = [days[s.pk] for s in doses if s.pk in days and s.sequence < session.sequence]
    if session.is_dose:
        gap = plan.protocol.min_gap_days if plan.route == Route.IV else 2
        if chosen:
            first = max(first, max(chosen) + dt.timedelta(days=gap))
        if plan.route == Route.ESKETAMINE and session.week:
            last = plan.start_on + dt.timedelta(days=7 * session.week - 1)
        else:
            last = first + dt.timedelta(days=SEARCH_DAYS_IV)
    elif session.kind == PlannedSession.Kind.PREPARATION:
        first_dose = min((days.get(s.pk, s.planned_on) for s in doses), default=session.planned_on)
        forward = _days(first, first_dose - one)
        return forward + [d for d in _days(first - dt.timedelta(days=7), first - one)[::-1] if d not in forward]
    elif session.follows_id:
        dose_day = days.get(session.follows_id)
        if dose_day:  # the day after its dose: the patient goes home after a dose (no driving, rest)
            first = max(first, dose_day + one)
        following = [days.get(s.pk, s.planned_on) for s in doses if s.sequence > session.follows.sequence]
        last = (min(following) - one) if following else first + dt.timedelta(days=SEARCH_DAYS_IV)
    return _days(first, last)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _series_sessions(all_sessions, days) -> list[series.SeriesSession]:
    doses = sorted((s for s in all_sessions if s.is_dose), key=lambda s: s.sequence)
    number = {s.pk: n for n, s in enumerate(doses, 1)}
    out = []
    for s in all_sessions:
        if s.pk not in days:
            continue
        out.append(series.SeriesSession(
            number=number.get(s.pk, s.sequence), kind=SERIES_KIND[s.kind], day=days[s.pk],
            week=s.week if s.kind == PlannedSession.Kind.DOSING else None,
            follows_dose=number.get(s.follows_id), induction=s.phase != "maintenance",
        ))
    return out


def series_problems(plan, all_sessions, days) -> list[series.Problem]:
    return series.series_problems(
        _series_sessions(all_sessions, days), route=plan.route, start=plan.start_on, min_gap_days=plan.protocol.min_gap_days,
    )


def _attach_problems(plan, proposals, all_sessions, days) -> None:
    problems = series_problems(plan, all_sessions, days)
    for proposal in proposals:
        proposal.problems = [p for p in problems if _concerns(p, proposal.session, all_sessions)]


def _concerns(problem, session, all_sessions) -> bool:
    if SERIES_KIND[session.kind] != problem.kind:
        return False
    if problem.kind == series.DOSE:
        doses = sorted((s for s in all_sessions if s.is_dose), key=lambda s: s.sequence)
        return doses.index(session) + 1 == problem.number
    return session.sequence == problem.number


# --- booking --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BookingItem:
    session_id: int
    starts_at: dt.datetime
    chair_id: int | None = None


@transaction.atomic
def book_series(plan: TreatmentPlan, *, items: list[BookingItem], acting_user) -> list[Appointment]:
    """Book every item (a planned session at a time, optionally in a given chair), all or nothing.

    Errors are keyed ``session_<id>`` so the page shows each next to its row.
    """
    plan = TreatmentPlan.objects.select_for_update(of=("self",)).select_related("clinic", "patient", "protocol").get(pk=plan.pk)
    if plan.status != TreatmentPlan.Status.SIGNED:
        raise ValidationError({"plan": "Only a signed plan can be booked."})
    if not items:
        raise ValidationError({"plan": "Choose at least one session to book."})
    sessions = {s.pk: s for s in open_sessions(plan)}
    all_sessions = list(plan.sessions.select_related("follows"))
    calendar = _calendar_for(plan, [i.starts_at for i in items])
    places, errors = {}, {}
    for item in sorted(items, key=lambda i: i.starts_at):
        try:
            places[item.session_id] = _place_item(plan, sessions, item, calendar)
        except ValidationError as error:
            errors[f"session_{item.session_id}"] = error.messages
    if errors:
        raise ValidationError(errors)
    days = {**booked_days(plan), **{sid: p.starts_at.astimezone(plan.clinic.tz).date() for sid, p in places.items()}}
    _raise_blocking(plan, all_sessions, days)
    pairs = [(_create(plan, sessions[sid], place, acting_user), place) for sid, place in places.items()]
    _write_slots(pairs, calendar.ratio)
    appointments = [a for a, _ in pairs]
    reminders.schedule_after_commit([a.pk for a in appointments])
    return appointments


def _calendar_for(plan, moments) -> Calendar:
    local_days = [m.astimezone(plan.clinic.tz).date() for m in moments]
    return load_calendar(plan.clinic, min(local_days), max(local_days), patient=plan.patient)


def _place_item(plan, sessions, item: BookingItem, calendar: Calendar) -> Place:
    session = sessions.get(item.session_id)
    if session is None:
        raise ValidationError("This session is not part of the plan or is already booked.")
    if timezone.is_naive(item.starts_at) or not is_aligned(item.starts_at):
        raise ValidationError("Start on a quarter hour (for example 09:15).")
    return _place_for(plan, session, item.starts_at, item.chair_id, calendar)


def _place_for(plan, session, starts_at, chair_id, calendar: Calendar) -> Place:
    ends_at = starts_at + dt.timedelta(minutes=slot_minutes(session.chair_min))
    kinds = chair_kinds(session, plan.route, calendar)
    chairs = [cid for cid, kind in calendar.chairs if kind in kinds]
    if chair_id is not None and chair_id not in chairs:
        raise ValidationError(f"That chair cannot take this visit; choose one of the clinic's {'/'.join(sorted(kinds))}s.")
    reason = "no chair of the right kind"
    for candidate in [chair_id] if chair_id is not None else chairs:
        reason = calendar.why_not(starts_at, ends_at, chair_id=candidate, needs_nurse=session.is_dose) or ""
        if not reason:
            place = calendar.place_at(starts_at, ends_at, chair_id=candidate, needs_nurse=session.is_dose)
            calendar.hold(place)
            return place
    local = starts_at.astimezone(plan.clinic.tz)
    raise ValidationError(f"{local:%a %d %b %H:%M} cannot be booked: {reason}.")


def explain(problem) -> str:
    """The rule's sentence with its id, for the front desk and the API: "…days (rule: consecutive-days)."."""
    return f"{problem.message.rstrip('.')} (rule: {problem.rule})."


def _raise_blocking(plan, all_sessions, days) -> None:
    blocking = [p for p in series_problems(plan, all_sessions, days) if p.blocking]
    if blocking:
        raise ValidationError({"plan": [explain(p) for p in blocking]})


def _create(plan, session, place: Place, acting_user) -> Appointment:
    kind = session.kind if session.kind in Appointment.Kind.values else Appointment.Kind.DOSING
    appointment = Appointment.objects.create(
        patient=plan.patient, clinic=plan.clinic, chair_id=place.chair_id, nurse_id=place.nurse_id,
        nurse_seat=place.seats[0][1] if place.seats else None, starts_at=place.starts_at, ends_at=place.ends_at, route=plan.route, kind=kind, planned_session=session,
        plan=plan, booked_by=acting_user,
    )
    audit.record(
        audit.Action.CREATE, actor=acting_user, object_type="appointment", object_id=appointment.pk,
        clinic=plan.clinic_id, patient=plan.patient_id,
        summary=f"Booked {appointment.get_kind_display().lower()} (session {session.sequence} of plan {plan.pk})",
        changes={k: [None, v] for k, v in audit.snapshot(appointment, Appointment.AUDITED_FIELDS).items() if v not in ("", None)},
    )
    return appointment


def _write_slots(pairs: list[tuple[Appointment, Place]], ratio: int) -> None:
    chair_rows, nurse_rows = [], []
    for appointment, place in pairs:
        chair_rows += [ChairSlot(chair_id=place.chair_id, slot_start=t, appointment=appointment)
                       for t in slots_of(place.starts_at, place.ends_at)]
        nurse_rows += [NurseSlot(nurse_id=place.nurse_id, slot_start=t, seat=seat, ratio=ratio, appointment=appointment)
                       for t, seat in place.seats]
    try:
        with transaction.atomic():
            ChairSlot.objects.bulk_create(chair_rows)
            NurseSlot.objects.bulk_create(nurse_rows)
    except IntegrityError:
        raise ValidationError({"plan": (
            "Someone else booked one of these chairs or nurses at the same moment. Nothing was booked; "
            "propose again."
        )}) from None


# --- one visit ------------------------------------------------------------------------------------------
@transaction.atomic
def reschedule_appointment(appointment: Appointment, *, starts_at: dt.datetime, chair_id: int | None = None, acting_user) -> Appointment:
    """Move one booked visit. The series must stay valid: otherwise the error names the rule it would break."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",)).select_related("plan__protocol", "planned_session", "clinic")
        .get(pk=appointment.pk)
    )
    if appointment.status != Appointment.Status.BOOKED:
        raise ValidationError({"starts_at": "Only a booked visit can be moved."})
    if timezone.is_naive(starts_at) or not is_aligned(starts_at):
        raise ValidationError({"starts_at": "Start on a quarter hour (for example 09:15)."})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": "Choose a time in the future."})
    session = appointment.planned_session or _ad_hoc_session(appointment)
    plan = appointment.plan
    day = starts_at.astimezone(appointment.clinic.tz).date()
    calendar = load_calendar(appointment.clinic, day, day, patient=appointment.patient, ignore_appointment_ids=[appointment.pk])
    try:
        place = _place_for(plan or _PlanLike(appointment), session, starts_at, chair_id, calendar)
    except ValidationError as error:
        raise ValidationError({"starts_at": error.messages}) from None
    if plan and appointment.planned_session_id:
        days = {**booked_days(plan), appointment.planned_session_id: starts_at.astimezone(plan.clinic.tz).date()}
        blocking = [p for p in series_problems(plan, list(plan.sessions.select_related("follows")), days) if p.blocking]
        if blocking:
            raise ValidationError({"starts_at": [explain(p) for p in blocking]})
    before = audit.snapshot(appointment, Appointment.AUDITED_FIELDS)
    ChairSlot.objects.filter(appointment=appointment).delete()
    NurseSlot.objects.filter(appointment=appointment).delete()
    appointment.starts_at, appointment.ends_at = place.starts_at, place.ends_at
    appointment.chair_id, appointment.nurse_id = place.chair_id, place.nurse_id
    appointment.nurse_seat = place.seats[0][1] if place.seats else None
    appointment.save(update_fields=["starts_at", "ends_at", "chair", "nurse", "nurse_seat"])
    _write_slots([(appointment, place)], calendar.ratio)
    audit.record(audit.Action.UPDATE, actor=acting_user, object_type="appointment", object_id=appointment.pk,
                 clinic=appointment.clinic_id, patient=appointment.patient_id, summary="Moved a visit",
                 changes=audit.changed(before, audit.snapshot(appointment, Appointment.AUDITED_FIELDS)))
    reminders.schedule_after_commit([appointment.pk])
    return appointment


@dataclass
class _PlanLike:
    """A stand-in so a visit without a plan (a consultation) is placed by the same code."""

    appointment: Appointment

    @property
    def route(self):
        return self.appointment.route

    @property
    def clinic(self):
        return self.appointment.clinic

    @property
    def patient(self):
        return self.appointment.patient


def _ad_hoc_session(appointment: Appointment) -> PlannedSession:
    minutes = int((appointment.ends_at - appointment.starts_at).total_seconds() // 60)
    return PlannedSession(kind=appointment.kind if appointment.is_dose else PlannedSession.Kind.PREPARATION, chair_min=minutes)


@transaction.atomic
def book_visit(*, patient, route: str, kind: str, starts_at: dt.datetime, minutes: int, chair_id: int | None = None, acting_user) -> Appointment:
    """One visit outside a plan's series: a consultation, or a psychotherapy session booked on its own."""
    if kind not in (Appointment.Kind.CONSULTATION, Appointment.Kind.PREPARATION, Appointment.Kind.INTEGRATION):
        raise ValidationError({"kind": "Doses are booked from a signed treatment plan."})
    if route not in Route.values:
        raise ValidationError({"route": f"Choose one of {', '.join(Route.values)}."})
    if timezone.is_naive(starts_at) or not is_aligned(starts_at):
        raise ValidationError({"starts_at": "Start on a quarter hour (for example 09:15)."})
    if not 15 <= minutes <= 240:
        raise ValidationError({"minutes": "Between 15 and 240 minutes."})
    stand_in = Appointment(patient=patient, clinic=patient.clinic, route=route, kind=kind, starts_at=starts_at,
                           ends_at=starts_at + dt.timedelta(minutes=minutes))
    local_day = starts_at.astimezone(patient.clinic.tz).date()
    calendar = load_calendar(patient.clinic, local_day, local_day, patient=patient)
    try:
        place = _place_for(_PlanLike(stand_in), _ad_hoc_session(stand_in), starts_at, chair_id, calendar)
    except ValidationError as error:
        raise ValidationError({"starts_at": error.messages}) from None
    stand_in.chair_id, stand_in.ends_at, stand_in.booked_by = place.chair_id, place.ends_at, acting_user
    stand_in.save()
    _write_slots([(stand_in, place)], calendar.ratio)
    audit.record(audit.Action.CREATE, actor=acting_user, object_type="appointment", object_id=stand_in.pk,
                 clinic=patient.clinic_id, patient=patient.pk, summary=f"Booked {stand_in.get_kind_display().lower()}",
                 changes={k: [None, v] for k, v in audit.snapshot(stand_in, Appointment.AUDITED_FIELDS).items() if v not in ("", None)})
    reminders.schedule_after_commit([stand_in.pk])
    return stand_in


def cancel_appointment(appointment: Appointment, *, reason: str, acting_user) -> Appointment:
    from ketaclinic.plans.services.status import set_appointment_status

    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the visit is cancelled."})
    return set_appointment_status(appointment, Appointment.Status.CANCELLED, acting_user=acting_user, reason=reason.strip())
