"""The floor board's registries: other areas add what is due next and clinic-wide warnings."""

import datetime as dt

import pytest
import time_machine

from ketaclinic.plans import floor, services
from ketaclinic.plans.tests.conftest import book_proposals

MONDAY_NOON = dt.datetime(2026, 1, 5, 20, tzinfo=dt.UTC)


@pytest.fixture
def registered():
    added = []

    def add(kind, fn):
        (floor.register_floor_annotation if kind == "annotation" else floor.register_floor_warning)(fn)
        added.append(fn)
        return fn

    yield add
    for fn in added:
        floor.unregister(fn)


@time_machine.travel(MONDAY_NOON, tick=False)
def test_annotations_and_warnings_appear_on_the_board(iv_plan, alice, bob, westside, registered, client_for):
    first = book_proposals(iv_plan, alice)[0]
    services.set_appointment_status(first, "checked_in", acting_user=bob)
    calls = []

    def vitals_due(appointments):
        calls.append(len(appointments))
        return {a.pk: ["vitals due 10:40"] for a in appointments}

    registered("annotation", vitals_due)
    registered("warning", lambda clinic: [f"Ketamine 50 mg/mL: 2 vials left at {clinic.name}"])
    board = floor.build_board(westside)
    row = next(r for r in board.rows if r.current)
    assert row.due == ["pre-dose checks", "vitals due 10:40"]
    assert board.warnings == ["Ketamine 50 mg/mL: 2 vials left at Westside"]
    assert calls == [1]  # one call with the whole day, not one per appointment
    page = client_for(bob).get("/plans/floor/").content.decode()
    assert "vitals due 10:40" in page and "2 vials left" in page


@time_machine.travel(MONDAY_NOON, tick=False)
def test_a_failing_annotation_does_not_blank_the_board(iv_plan, alice, westside, registered):
    book_proposals(iv_plan, alice)

    def broken(appointments):
        raise RuntimeError("visits area bug")

    registered("annotation", broken)
    registered("warning", lambda clinic: 1 / 0)
    board = floor.build_board(westside)
    assert sum(len(r.upcoming) for r in board.rows) == 1 and board.warnings == []


def test_an_empty_clinic_says_what_to_do(alice, client_for):
    page = client_for(alice).get("/plans/floor/").content.decode()
    assert "No chairs set up yet" in page
