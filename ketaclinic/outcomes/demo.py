"""Demo courses: 12 Westside and 6 Pasadena patients with realistic PHQ-9 / GAD-7 trajectories.

Some remit, some respond, some only partly, some not at all; one stopped in induction with no follow-up; one
lost their response in maintenance (booster review); one endorses PHQ-9 item 9 yesterday, and that safety
task is left open. Every score goes through ``services.record_response`` like a real one. Idempotent: a patient
who already has a course is left alone.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import Condition, Context, Route, TreatmentCourse

# IV induction: six infusions over about two and a half weeks (clinical.md §1.2 "six infusions over two to
# three weeks"), Monday/Wednesday/Friday; esketamine twice weekly for four weeks (clinical.md §3.1).
IV_SESSION_DAYS = (0, 2, 4, 7, 9, 11)
ESKETAMINE_SESSION_DAYS = (0, 3, 7, 10, 14, 17, 21, 24)
MAINTENANCE_EVERY_DAYS = 28
SESSION_HOUR = 9


@dataclass(frozen=True)
class Story:
    """``induction``: the primary-scale total before each induction session (the first is the baseline), then
    ``after``: the total at the end of induction and at each monthly booster after it."""

    condition: str
    route: str
    started_days_ago: int
    induction: tuple[int, ...]
    after: tuple[int, ...] = ()
    stopped: bool = False
    item9_yesterday: bool = False


REMIT = (19, 15, 11, 8, 6, 5)
RESPOND = (22, 19, 16, 14, 12, 11)
PARTIAL = (18, 17, 16, 15, 14, 13)
NO_RESPONSE = (20, 20, 19, 21, 19, 20)
ANXIETY_RESPOND = (16, 14, 12, 10, 8, 7)
D, A, P = Condition.MAJOR_DEPRESSION, Condition.GENERALIZED_ANXIETY, Condition.PTSD
IV, ESK = Route.IV_KETAMINE, Route.ESKETAMINE

WESTSIDE = (
    Story(D, IV, 3, REMIT[:2]),  # the portal demo patient: induction under way, questionnaires due
    Story(D, IV, 150, REMIT, (4, 3, 4, 3)),
    Story(D, IV, 120, RESPOND, (10, 9, 10)),
    Story(D, IV, 130, RESPOND, (9, 8, 15, 16)),  # response lost in maintenance: booster review
    Story(D, IV, 100, PARTIAL, (13, 14)),
    Story(D, IV, 95, NO_RESPONSE, (19,)),
    Story(D, ESK, 140, (24, 22, 20, 17, 15, 13, 12, 11), (10, 9, 8)),
    Story(Condition.BIPOLAR_DEPRESSION, IV, 60, REMIT, (4,)),
    Story(A, IV, 110, ANXIETY_RESPOND, (6, 5, 6)),
    Story(D, IV, 40, (21, 20), stopped=True),  # stopped after two infusions: no end-of-induction score
    Story(P, IV, 25, RESPOND),
    Story(D, IV, 8, (23, 21, 20), item9_yesterday=True),
)
PASADENA = (
    Story(D, IV, 140, REMIT, (3, 4, 4)),
    Story(D, IV, 120, RESPOND, (11, 10)),
    Story(D, IV, 100, NO_RESPONSE, (20,)),
    Story(D, ESK, 130, (21, 20, 18, 16, 14, 12, 11, 10), (9, 9, 8)),
    Story(A, IV, 90, ANXIETY_RESPOND, (7, 6)),
    Story(D, IV, 30, PARTIAL),
)


def answers_for_total(total: int, items: int = 9, item_max: int = 3, *, item9: int = 0) -> list[int]:
    """Spread ``total`` over the items, lowest items first; item 9 (the last) held at ``item9``."""
    answers = [0] * items
    answers[-1] = item9
    remaining = total - item9
    for index in range(items - 1):
        answers[index] = min(item_max, remaining // (items - 1 - index) + (1 if remaining % (items - 1 - index) else 0))
        remaining -= answers[index]
    if remaining:
        raise ValueError(f"total: {total} does not fit {items} items of 0–{item_max}")
    return answers


def _at(day: dt.date, clinic, hour: int = SESSION_HOUR) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=clinic.tz)


def _scale_items(course) -> tuple[int, int]:
    return (7, 3) if course.primary_scale == "GAD-7" else (9, 3)


def _record(course, total: int, taken_at: dt.datetime, session_number: int, context: str, recorder, *, item9: int = 0):
    items, item_max = _scale_items(course)
    return services.record_response(
        course.patient, course.primary_scale, answers_for_total(total, items, item_max, item9=item9),
        acting_user=recorder, entered_by_patient=False, course=course, context=context, taken_at=taken_at,
        session_number=session_number,
    )


def _play(story: Story, patient, staff, today: dt.date) -> TreatmentCourse:
    clinic = patient.clinic
    started = today - dt.timedelta(days=story.started_days_ago)
    course = services.start_course(patient, route=story.route, condition=story.condition, started_on=started, acting_user=staff)
    days = IV_SESSION_DAYS if story.route == Route.IV_KETAMINE else ESKETAMINE_SESSION_DAYS
    for number, total in enumerate(story.induction):
        context = Context.INTAKE if number == 0 else Context.PRE_DOSE
        _record(course, total, _at(started + dt.timedelta(days=days[number]), clinic), number, context, staff)
    if story.stopped:
        last = started + dt.timedelta(days=days[len(story.induction) - 1])
        return services.change_course_status(course, status="stopped", on=last + dt.timedelta(days=3), acting_user=staff)
    if story.item9_yesterday:
        _record(course, story.induction[-1] + 1, _at(today - dt.timedelta(days=1), clinic, 20), len(story.induction),
                Context.INDUCTION_WEEKLY, staff, item9=1)
        return course
    if not story.after:
        return course
    ended = started + dt.timedelta(days=days[-1] + 2)
    sessions = len(days)
    for month, total in enumerate(story.after):
        day = ended + dt.timedelta(days=month * MAINTENANCE_EVERY_DAYS)
        if day >= today:
            break
        if month == 0:
            _record(course, total, _at(day, clinic), sessions, Context.INDUCTION_WEEKLY, staff)
            course = services.complete_induction(course, on=day, acting_user=staff)
        else:
            _record(course, total, _at(day, clinic), sessions + month - 1, Context.MAINTENANCE_MONTHLY, staff)
    return course


def seed(context: dict) -> None:
    users, clinics = context["users"], context["clinics"]
    today = timezone.localdate(timezone.now(), clinics["WS"].tz)
    westside = [p for p in context["patients"] if p.clinic_id == clinics["WS"].pk]
    pasadena = [p for p in context["patients"] if p.clinic_id == clinics["PA"].pk]
    for stories, patients, staff in ((WESTSIDE, westside, users["nurse.kim"]), (PASADENA, pasadena, users["nurse.garcia"])):
        for story, patient in zip(stories, patients):
            if TreatmentCourse.objects.filter(patient=patient).exists():
                continue
            course = _play(story, patient, staff, today)
            if course.is_open and hasattr(patient, "portal_account"):
                _portal_demo(course, users["dr.reyes"])


def _portal_demo(course, physician) -> None:
    """The portal demo patient finds a PHQ-9 and a GAD-7 waiting."""
    now = timezone.now()
    waiting = set(course.patient.questionnaire_assignments.filter(status="open").values_list("instrument", flat=True))
    for code in ("PHQ-9", "GAD-7"):
        if code not in waiting:
            services.assign_questionnaire(course.patient, code, due_at=now, acting_user=physician, course=course)
