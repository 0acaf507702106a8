"""Fixtures for measurement-based care: a course, a fake dosing-dates provider, the API caller, scale answers."""

import datetime as dt

import pytest
from django.utils import timezone

from ketaclinic.outcomes import dosing, services

# PHQ-9 answers with hand-worked totals (9 items, 0–3 each).
PHQ9_MILD_7 = [1, 1, 1, 1, 1, 1, 1, 0, 0]  # 7 → mild, item 9 = 0
PHQ9_SEVERE_21 = [3, 3, 3, 3, 3, 2, 2, 2, 0]  # 3×5 + 2×3 = 21 → severe
PHQ9_ITEM9 = [2, 2, 2, 2, 2, 0, 0, 0, 1]  # 11 → moderate, item 9 = 1 → suicidal-ideation


def phq9_for_total(total: int) -> list[int]:
    """Item 9 kept at 0: totals 0–24 spread over items 1–8."""
    answers = [0] * 9
    for i in range(8):
        answers[i] = min(3, total - sum(answers))
    assert sum(answers) == total
    return answers


@pytest.fixture
def today(westside):
    return timezone.localdate(timezone.now(), westside.tz)


@pytest.fixture
def course(patient, alice, today):
    return services.start_course(
        patient, route="iv-ketamine", condition="major-depression", started_on=today - dt.timedelta(days=20), acting_user=alice
    )


@pytest.fixture
def pasadena_course(pasadena_patient, charlie, pasadena):
    day = timezone.localdate(timezone.now(), pasadena.tz)
    return services.start_course(pasadena_patient, route="iv-ketamine", condition="major-depression",
                                 started_on=day - dt.timedelta(days=20), acting_user=charlie)


class FakeDosing:
    """A dosing-dates provider that records what it was asked, standing in for the visits area."""

    def __init__(self):
        self.by_course: dict[int, list[dt.datetime]] = {}
        self.asked: list[int] = []

    def __call__(self, course):
        self.asked.append(course.pk)
        return self.by_course.get(course.pk, [])


@pytest.fixture
def fake_dosing():
    provider = FakeDosing()
    dosing.register_dosing_dates_provider(provider)
    yield provider
    dosing.unregister_dosing_dates_provider(provider)


def at(day: dt.date, clinic, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clinic.tz)
