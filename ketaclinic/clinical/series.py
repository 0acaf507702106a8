"""Is a booked series still valid? The date rules a rescheduled visit must keep, as plain data.

``series_problems`` takes the sessions of one treatment plan (dates as the booking layer has them) and
returns every rule the calendar breaks, each with a stable ``rule`` id, the session it concerns and a
sentence for the front desk. ``blocking`` problems must stop a booking; the rest are warnings (clinical.md
§1.2 asks for an "off-schedule" warning, never a block, when an IV induction runs past its window).

Rules (sources in ``protocols``):
- ``same-day`` / ``consecutive-days``: never two doses on one day or on consecutive calendar days
  (§1.2 practice; §3.1 twice weekly).
- ``min-gap``: IV doses at least ``min_gap_days`` apart (the protocol's setting, 2 by default).
- ``order``: doses keep their order (dose 3 is not before dose 2).
- ``label-week``: an esketamine dose stays in its label week (weeks of seven days from ``start``), so
  "twice per week in weeks 1–4, once weekly in weeks 5–8" still holds (§3.1, §3.2).
- ``induction-window`` (warning): the IV induction fits in 21 days (§1.2 [3]).
- ``preparation-first``: psychotherapy preparation comes before the first dose.
- ``integration-after-dose``: an integration session is on or after its dose's day and before the next dose.

Pure standard library; no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ketaclinic.clinical.protocols import (
    DAYS_PER_WEEK,
    IV_INDUCTION_MIN_GAP_DAYS,
    IV_INDUCTION_WINDOW_DAYS,
    Route,
    fits_window,
)

DOSE = "dose"
PREPARATION = "preparation"
INTEGRATION = "integration"
KINDS = (DOSE, PREPARATION, INTEGRATION)


@dataclass(frozen=True)
class SeriesSession:
    """One session. ``number`` orders the sessions of a kind; an integration names the dose it follows
    (``follows_dose``, the dose's ``number``); an esketamine dose carries its label ``week``."""

    number: int
    kind: str
    day: dt.date
    week: int | None = None
    follows_dose: int | None = None
    induction: bool = True


@dataclass(frozen=True)
class Problem:
    rule: str
    number: int  # the session concerned (its ``number``)
    kind: str
    message: str
    blocking: bool = True


def series_problems(
    sessions,
    *,
    route: str,
    start: dt.date,
    min_gap_days: int = IV_INDUCTION_MIN_GAP_DAYS,
    window_days: int = IV_INDUCTION_WINDOW_DAYS,
) -> list[Problem]:
    """Every rule the series breaks, blocking ones first, in session order. An empty list: valid."""
    route = Route(route)
    sessions = tuple(sessions)
    for session in sessions:
        if session.kind not in KINDS:
            raise ValueError(f"kind: {session.kind!r} is not one of {KINDS}")
    doses = sorted((s for s in sessions if s.kind == DOSE), key=lambda s: s.number)
    problems = _spacing(doses, route, min_gap_days) + _order(doses)
    if route is Route.ESKETAMINE:
        problems += _label_weeks(doses, start)
    else:
        problems += _window(doses, window_days)
    problems += _psychotherapy(sessions, doses)
    return sorted(problems, key=lambda p: (not p.blocking, p.number, p.rule))


def _spacing(doses, route, min_gap_days: int) -> list[Problem]:
    problems = []
    by_day = sorted(doses, key=lambda s: (s.day, s.number))
    for before, after in zip(by_day, by_day[1:]):
        gap = (after.day - before.day).days
        if gap == 0:
            problems.append(_p("same-day", after, f"dose {after.number} is on the same day as dose {before.number}"))
        elif gap == 1:
            problems.append(_p("consecutive-days", after, f"dose {after.number} is the day after dose {before.number}; never dose on consecutive days"))
        elif route is Route.IV and gap < min_gap_days and before.induction and after.induction:
            problems.append(_p("min-gap", after, f"dose {after.number} is {gap} days after dose {before.number}; the protocol needs at least {min_gap_days}"))
    return problems


def _order(doses) -> list[Problem]:
    return [
        _p("order", later, f"dose {later.number} would come before dose {earlier.number}")
        for earlier, later in zip(doses, doses[1:])
        if later.day < earlier.day
    ]


def _label_weeks(doses, start: dt.date) -> list[Problem]:
    problems = []
    for dose in doses:
        if dose.week is None:
            continue
        first = start + dt.timedelta(days=DAYS_PER_WEEK * (dose.week - 1))
        last = first + dt.timedelta(days=DAYS_PER_WEEK - 1)
        if not first <= dose.day <= last:
            problems.append(_p(
                "label-week", dose,
                f"dose {dose.number} belongs in label week {dose.week} ({first.isoformat()} to {last.isoformat()})",
            ))
    return problems


def _window(doses, window_days: int) -> list[Problem]:
    induction = [d for d in doses if d.induction]
    if len(induction) < 2 or fits_window([d.day for d in induction], window_days):
        return []
    last = max(induction, key=lambda d: d.day)
    return [_p("induction-window", last, f"the induction runs past {window_days} days (off-schedule)", blocking=False)]


def _psychotherapy(sessions, doses) -> list[Problem]:
    problems = []
    first_dose = min((d.day for d in doses), default=None)
    dose_day = {d.number: d.day for d in doses}
    ordered_days = sorted(dose_day.items(), key=lambda item: item[0])
    for session in sessions:
        if session.kind == PREPARATION and first_dose is not None and session.day >= first_dose:
            problems.append(_p("preparation-first", session, f"preparation {session.number} must come before the first dose ({first_dose.isoformat()})"))
        if session.kind == INTEGRATION and session.follows_dose in dose_day:
            problems += _integration(session, dose_day, ordered_days)
    return problems


def _integration(session, dose_day, ordered_days) -> list[Problem]:
    own = dose_day[session.follows_dose]
    later = [day for number, day in ordered_days if number > session.follows_dose]
    if session.day < own or (later and session.day >= later[0]):
        bound = f" and before {later[0].isoformat()}" if later else ""
        return [_p("integration-after-dose", session, f"integration {session.number} must be on or after dose {session.follows_dose} ({own.isoformat()}){bound}")]
    return []


def _p(rule: str, session: SeriesSession, message: str, *, blocking: bool = True) -> Problem:
    return Problem(rule, session.number, session.kind, message[0].upper() + message[1:] + ".", blocking)
