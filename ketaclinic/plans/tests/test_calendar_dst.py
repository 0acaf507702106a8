"""Opening hours and shifts are wall-clock times in the clinic's zone: a DST change moves nothing local.

US daylight saving in 2026 starts Sunday 8 March (02:00 → 03:00) and ends Sunday 1 November (02:00 → 01:00).
Los Angeles is UTC−8 in winter (PST) and UTC−7 in summer (PDT).
"""

import datetime as dt

from ketaclinic.plans import floor, services
from ketaclinic.plans.models import StaffShift
from ketaclinic.plans.scheduling import load_calendar, local_to_utc
from ketaclinic.plans.tests.conftest import book_proposals, open_clinic, signed_plan, staff_days

UTC = dt.UTC


def test_local_opening_time_maps_to_different_utc_across_the_change(westside):
    tz = westside.tz
    # Friday 6 March 08:00 PST = 16:00 UTC; Monday 9 March 08:00 PDT = 15:00 UTC
    assert local_to_utc(dt.date(2026, 3, 6), dt.time(8), tz) == dt.datetime(2026, 3, 6, 16, tzinfo=UTC)
    assert local_to_utc(dt.date(2026, 3, 9), dt.time(8), tz) == dt.datetime(2026, 3, 9, 15, tzinfo=UTC)


def test_a_series_across_the_spring_change_starts_at_eight_local_every_time(westside, alice, bob, admin, patient, iv_protocol):
    open_clinic(westside, admin)
    services.add_chair(clinic=westside, name="Chair 1", acting_user=admin)
    staff_days(westside, bob, [dt.date(2026, 3, 2) + dt.timedelta(days=n) for n in range(21)], acting_user=admin)
    # Wed 4 March start: 4, 6, 9, 11, 13, 16 March; the clocks change on Sunday 8 March
    plan = signed_plan(patient, iv_protocol, alice, start=dt.date(2026, 3, 4))
    booked = book_proposals(plan, alice)
    local_starts = [a.starts_at.astimezone(westside.tz) for a in booked]
    assert [d.day for d in local_starts] == [4, 6, 9, 11, 13, 16]
    assert {(d.hour, d.minute) for d in local_starts} == {(8, 0)}
    assert [a.starts_at.hour for a in booked] == [16, 16, 15, 15, 15, 15]  # UTC moves, local does not


def test_a_shift_on_the_autumn_change_day_is_its_local_hours(westside, bob, admin):
    # Sunday 1 Nov 2026: 07:30 PST (already back on standard time) = 15:30 UTC; 18:00 PST = 02:00 UTC next day
    shift = services.add_shift(clinic=westside, user=bob, day=dt.date(2026, 11, 1), starts=dt.time(7, 30),
                               ends=dt.time(18), acting_user=admin)
    assert shift.starts_at == dt.datetime(2026, 11, 1, 15, 30, tzinfo=UTC)
    assert shift.ends_at - shift.starts_at == dt.timedelta(hours=10, minutes=30)
    assert StaffShift.objects.count() == 1


def test_the_floor_board_day_is_25_hours_when_the_clocks_go_back(westside):
    start, end = floor.day_bounds(westside, dt.date(2026, 11, 1))
    assert end - start == dt.timedelta(hours=25)
    start, end = floor.day_bounds(westside, dt.date(2026, 3, 8))
    assert end - start == dt.timedelta(hours=23)


def test_the_calendar_knows_the_open_window_on_each_side(westside, admin):
    open_clinic(westside, admin, weekdays=range(7))
    calendar = load_calendar(westside, dt.date(2026, 10, 31), dt.date(2026, 11, 2))
    saturday, sunday = calendar.open_window(dt.date(2026, 10, 31)), calendar.open_window(dt.date(2026, 11, 1))
    assert saturday[0] == dt.datetime(2026, 10, 31, 15, tzinfo=UTC)  # 08:00 PDT
    assert sunday[0] == dt.datetime(2026, 11, 1, 16, tzinfo=UTC)  # 08:00 PST
    assert sunday[1] - sunday[0] == dt.timedelta(hours=10)
