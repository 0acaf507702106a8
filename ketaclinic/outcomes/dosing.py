"""Dosing-session times for a course, from whichever areas record doses (visits, for one).

The outcomes area needs them for the trend chart's time axis, for the pre-dose schedule and to number the
sessions before a score ("sessions to response"), but does not own dose records. An area that does registers
a provider from its AppConfig.ready():

    from ketaclinic.outcomes import dosing
    dosing.register_dosing_dates_provider(lambda course: [visit.dosed_at for visit in ...])

A provider takes a TreatmentCourse and returns aware datetimes (given or booked sessions). ``dosing_dates``
merges every provider's answer, sorted, without duplicates. When dose records change, call
``ketaclinic.outcomes.services.dosing_changed(course)`` so the course's schedule and outcome follow.
"""

from collections.abc import Callable
import datetime as dt

Provider = Callable[[object], list[dt.datetime]]
_PROVIDERS: list[Provider] = []


def register_dosing_dates_provider(fn: Provider) -> None:
    if fn not in _PROVIDERS:
        _PROVIDERS.append(fn)


def unregister_dosing_dates_provider(fn: Provider) -> None:
    """For tests that register a fake provider."""
    if fn in _PROVIDERS:
        _PROVIDERS.remove(fn)


def dosing_dates(course) -> list[dt.datetime]:
    found: set[dt.datetime] = set()
    for provider in _PROVIDERS:
        for moment in provider(course) or ():
            if moment.tzinfo is None:
                raise ValueError(f"{provider!r}: dosing times must be aware datetimes, got {moment!r}")
            found.add(moment)
    return sorted(found)
