"""The front desk books a whole six-infusion series for a patient; on the first day the floor board shows it,
the front desk checks the patient in without reloading, and the board picks up the nurse's next step by itself.

Time is fixed (time_machine, ticking) to Monday 5 January 2026, 07:00 in Los Angeles, so "the day" is known.
"""

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from conftest import make_staff
from ketaclinic.accounts.roles import Role
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment
from ketaclinic.plans.tests.conftest import IV_PROTOCOL, MONDAY, open_clinic, staff_days
from ketaclinic.plans.views import floor as floor_views
from tests.browser.conftest import screenshot, sign_in

MONDAY_7AM_LA = dt.datetime(2026, 1, 5, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen_monday():
    with time_machine.travel(MONDAY_7AM_LA, tick=True):
        yield


@pytest.fixture
def signed_series(frozen_monday, westside, alice, bob, admin, patient, monkeypatch):
    monkeypatch.setattr("ketaclinic.intake.services.require_plan_allowed", lambda patient, route: None)
    open_clinic(westside, admin)
    for n in (1, 2, 3):
        services.add_chair(clinic=westside, name=f"Chair {n}", acting_user=admin)
    staff_days(westside, bob, [MONDAY + dt.timedelta(days=n) for n in range(21)], acting_user=admin)
    protocol = services.create_protocol(clinic=westside, data={**IV_PROTOCOL, "effective_from": dt.date(2025, 1, 1)},
                                        acting_user=alice)
    plan = services.create_plan(patient=patient, data={"protocol": protocol, "start_on": MONDAY}, acting_user=alice)
    make_staff("fran", westside, Role.FRONT_DESK)
    return services.sign_plan(plan, acting_user=alice)


def test_front_desk_books_six_infusions_and_the_floor_board_shows_them_on_the_day(page, signed_series, bob, monkeypatch):
    monkeypatch.setattr(floor_views, "POLL_SECONDS", 1)  # the board polls every second here, every 15 s in the clinic
    sign_in(page, "fran")
    page.goto(f"/plans/{signed_series.pk}/")
    page.get_by_role("link", name="Book the series").click()
    expect(page.get_by_role("heading", name="When can the patient come?")).to_be_visible()
    for day in ("Tue", "Thu", "Sat", "Sun"):
        page.get_by_label(day).uncheck()
    page.get_by_label("Not before").fill("09:00")
    page.get_by_role("button", name="Propose times").click()
    rows = page.locator("table.booking tbody tr")
    expect(rows).to_have_count(6)
    expect(page.get_by_label("Start of session 1")).to_have_value("09:00")
    expect(page.get_by_label("Date of session 6")).to_have_value("2026-01-16")
    screenshot(page, "plans-book-series")
    page.get_by_role("button", name="Book these visits").click()
    expect(page.get_by_text("Booked 6 visit(s).")).to_be_visible()
    screenshot(page, "plans-plan-booked")
    assert Appointment.objects.filter(plan=signed_series, status="booked").count() == 6

    page.get_by_role("link", name="Floor").click()
    chair = page.get_by_role("region", name="Chair 1")
    expect(chair.get_by_text("Pat Núñez")).to_be_visible()
    expect(chair.get_by_text("09:00")).to_be_visible()
    screenshot(page, "plans-floor-board-morning")
    chair.get_by_role("button", name="Check in").click()  # htmx swaps the board in place
    expect(chair.get_by_text("Checked in", exact=True)).to_be_visible()
    expect(chair.get_by_text("pre-dose checks")).to_be_visible()

    first = Appointment.objects.filter(plan=signed_series).order_by("starts_at").first()
    page.evaluate("window.__not_reloaded = true")
    services.set_appointment_status(first, "dosing", acting_user=bob)  # the nurse starts the infusion elsewhere
    expect(chair.get_by_text("Dosing", exact=True)).to_be_visible()
    expect(chair.get_by_text("monitor the dose")).to_be_visible()
    assert page.evaluate("window.__not_reloaded") is True  # refreshed by polling, not by reloading the page
    screenshot(page, "plans-floor-board-dosing")


def test_the_patient_sees_the_visits_and_how_to_prepare_on_a_phone_in_spanish(phone_page, signed_series, alice, pat, patient):
    patient.preferred_language = "es"
    patient.save()
    proposals = services.propose_series(signed_series)
    services.book_series(signed_series, items=[services.BookingItem(p.session.pk, p.place.starts_at, p.place.chair_id)
                                               for p in proposals], acting_user=alice)
    sign_in(phone_page, "pat", url="/portal/sign-in/")
    card = phone_page.get_by_role("region", name="Sus próximas citas")
    expect(card.get_by_role("heading", name="lunes 5 de enero, a las 08:00")).to_be_visible()
    expect(card.get_by_text("No maneje ni use maquinaria hasta el día siguiente").first).to_be_visible()
    screenshot(phone_page, "plans-portal-visits-phone")
