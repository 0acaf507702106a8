"""Every page: who may open it (charlie from Pasadena gets 404, a patient 404, a wrong role 403), what it shows."""

import datetime as dt

import pytest
import time_machine

from conftest import make_patient, make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, TreatmentPlan
from ketaclinic.plans.tests.conftest import MONDAY, book_proposals, signed_plan

ON_MONDAY = dt.datetime(2026, 1, 5, 18, 30, tzinfo=dt.UTC)  # 10:30 in Los Angeles


@pytest.fixture
def booked(iv_plan, alice):
    return book_proposals(iv_plan, alice)


@pytest.fixture
def frontdesk(westside):
    return make_staff("fran", westside, Role.FRONT_DESK)


def pages(plan, appointment, patient):
    return [
        f"/plans/{plan.pk}/", f"/plans/{plan.pk}/book/", f"/plans/appointments/{appointment.pk}/",
        f"/plans/patients/{patient.pk}/", f"/plans/patients/{patient.pk}/new/", f"/plans/{plan.pk}/revise/",
    ]


def test_charlie_from_another_clinic_gets_404_everywhere(iv_plan, booked, patient, charlie, client_for):
    client = client_for(charlie)
    for url in pages(iv_plan, booked[0], patient):
        assert client.get(url).status_code == 404, url
    for url in (f"/plans/{iv_plan.pk}/sign/", f"/plans/{iv_plan.pk}/booster/", f"/plans/appointments/{booked[0].pk}/cancel/",
                f"/plans/floor/appointments/{booked[0].pk}/phase/"):
        assert client.post(url, {"status": "checked_in", "reason": "x", "on": "2026-02-02"}).status_code == 404, url
    assert booked[0].status == "booked"


def test_a_patient_gets_404_on_staff_pages(iv_plan, booked, patient, pat, client_for):
    client = client_for(pat)
    for url in pages(iv_plan, booked[0], patient) + ["/plans/floor/", "/plans/protocols/", "/plans/clinic/"]:
        assert client.get(url).status_code == 404, url


def test_the_front_desk_books_but_cannot_plan(iv_plan, patient, frontdesk, client_for):
    client = client_for(frontdesk)
    assert client.get(f"/plans/{iv_plan.pk}/book/").status_code == 200
    assert client.get(f"/plans/patients/{patient.pk}/new/").status_code == 403
    assert client.post(f"/plans/{iv_plan.pk}/sign/").status_code == 403


def test_the_book_series_page_proposes_and_books_in_one_post(iv_plan, frontdesk, client_for):
    client = client_for(frontdesk)
    page = client.get(f"/plans/{iv_plan.pk}/book/")
    assert page.content.count(b'name="include_') == 6
    form = {"weekdays": ["0", "1", "2", "3", "4", "5", "6"], "earliest": "07:00", "latest": "20:00", "book": "1"}
    for session in iv_plan.sessions.all():
        form.update({f"include_{session.pk}": "1", f"day_{session.pk}": session.planned_on.isoformat(),
                     f"time_{session.pk}": "09:15", f"chair_{session.pk}": ""})
    response = client.post(f"/plans/{iv_plan.pk}/book/", form)
    assert response.status_code == 302
    local = [a.starts_at.astimezone(iv_plan.clinic.tz) for a in Appointment.objects.all()]
    assert len(local) == 6 and {(t.hour, t.minute) for t in local} == {(9, 15)}


def test_a_bad_row_is_shown_next_to_its_session_and_nothing_is_booked(iv_plan, frontdesk, client_for):
    first, second = list(iv_plan.sessions.all())[:2]
    form = {"weekdays": ["0", "1", "2", "3", "4"], "earliest": "07:00", "latest": "20:00", "book": "1",
            f"include_{first.pk}": "1", f"day_{first.pk}": "2026-01-05", f"time_{first.pk}": "09:00",
            f"include_{second.pk}": "1", f"day_{second.pk}": "2026-01-06", f"time_{second.pk}": "09:00"}
    response = client_for(frontdesk).post(f"/plans/{iv_plan.pk}/book/", form)
    assert response.status_code == 422
    assert "Dose 2 is the day after dose 1; never dose on consecutive days (rule: consecutive-days)." in response.content.decode()
    assert Appointment.objects.count() == 0


def test_a_physician_drafts_and_signs_from_the_pages(patient, iv_protocol, alice, calendar, client_for):
    client = client_for(alice)
    assert client.get(f"/plans/patients/{patient.pk}/new/").status_code == 200
    bad = client.post(f"/plans/patients/{patient.pk}/new/", {"protocol": iv_protocol.pk, "start_on": "", "dose_mg_per_kg": "3"})
    assert bad.status_code == 422 and b"First dose on" in bad.content
    response = client.post(f"/plans/patients/{patient.pk}/new/", {"protocol": iv_protocol.pk, "start_on": "2026-01-05"})
    plan = TreatmentPlan.objects.get()
    assert response["Location"] == f"/plans/{plan.pk}/"
    client.post(f"/plans/{plan.pk}/sign/")
    plan.refresh_from_db()
    assert plan.status == "signed" and plan.signed_by == alice


def test_opening_a_plan_or_a_visit_is_audited(iv_plan, booked, alice, client_for):
    client = client_for(alice)
    client.get(f"/plans/{iv_plan.pk}/")
    client.get(f"/plans/appointments/{booked[0].pk}/")
    assert AuditEvent.objects.filter(action="view", object_type="treatment_plan", object_id=str(iv_plan.pk)).exists()
    assert AuditEvent.objects.filter(action="view", object_type="appointment", object_id=str(booked[0].pk)).exists()


@time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False)
def test_moving_a_visit_from_its_page_names_the_broken_rule(iv_plan, booked, frontdesk, client_for):
    response = client_for(frontdesk).post(f"/plans/appointments/{booked[1].pk}/", {"day": "2026-01-06", "time": "09:00"})
    assert response.status_code == 422
    assert "rule: consecutive-days" in response.content.decode()


@time_machine.travel(ON_MONDAY, tick=False)
def test_the_floor_board_shows_each_chair_and_polls_without_reloading(iv_plan, booked, bob, client_for):
    services.set_appointment_status(booked[0], "checked_in", acting_user=bob)
    services.set_appointment_status(booked[0], "dosing", acting_user=bob)
    client = client_for(bob)
    page = client.get("/plans/floor/").content.decode()
    assert 'hx-trigger="every 15s"' in page and "Pat Núñez" in page and "Dosing" in page and "monitor the dose" in page
    partial = client.get("/plans/floor/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Chair 1" in partial
    response = client.post(f"/plans/floor/appointments/{booked[0].pk}/phase/", {"status": "observation"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Observation" in response.content.decode()


@time_machine.travel(ON_MONDAY, tick=False)
def test_the_floor_board_costs_the_same_queries_for_5_or_50_patients(westside, alice, bob, admin, iv_protocol, client_for,
                                                                     django_assert_num_queries):
    from ketaclinic.plans.tests.conftest import open_clinic, staff_days

    open_clinic(westside, admin, opens=dt.time(6), closes=dt.time(22))
    for n in range(10):
        services.add_chair(clinic=westside, name=f"Chair {n}", acting_user=admin)
    nurses = [make_staff(f"nurse{n}", westside, Role.NURSE_RN) for n in range(9)]
    for nurse in [bob, *nurses]:
        staff_days(westside, nurse, [MONDAY], starts=dt.time(6), ends=dt.time(22), acting_user=admin)
    client = client_for(bob)

    def book(count, start):
        for n in range(start, start + count):
            plan = signed_plan(make_patient(westside, n + 10), iv_protocol, alice, infusions=1)
            book_proposals(plan, alice)

    book(5, 0)
    client.get("/plans/floor/", HTTP_HX_REQUEST="true")
    with django_assert_num_queries(_count(client)) as five:
        client.get("/plans/floor/", HTTP_HX_REQUEST="true")
    book(45, 5)
    assert Appointment.objects.count() == 50
    with django_assert_num_queries(len(five.captured_queries)):
        client.get("/plans/floor/", HTTP_HX_REQUEST="true")


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get("/plans/floor/", HTTP_HX_REQUEST="true")
    return len(ctx.captured_queries)


def test_the_patient_plans_page_costs_the_same_queries_for_5_or_50_visits(patient, westside, admin, alice, client_for,
                                                                         django_assert_num_queries):
    from ketaclinic.plans.models import Chair

    chair = Chair.objects.create(clinic=westside, name="C")
    client = client_for(alice)

    def visits(count, offset):
        for n in range(count):
            start = dt.datetime(2026, 2, 1, 16, tzinfo=dt.UTC) + dt.timedelta(days=offset + n)
            Appointment.objects.create(patient=patient, clinic=westside, chair=chair, starts_at=start,
                                       ends_at=start + dt.timedelta(hours=1), route="iv-ketamine", kind="consultation")

    visits(5, 0)
    client.get(f"/plans/patients/{patient.pk}/")
    before = _count_url(client, f"/plans/patients/{patient.pk}/")
    visits(45, 5)
    with django_assert_num_queries(before):
        client.get(f"/plans/patients/{patient.pk}/")


def _count_url(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)


def test_setup_pages_open_for_their_roles(alice, admin, bob, client_for, calendar, iv_protocol):
    assert client_for(admin).get("/plans/clinic/").status_code == 200
    assert client_for(alice).get("/plans/protocols/").status_code == 200
    assert client_for(alice).get(f"/plans/protocols/{iv_protocol.pk}/revise/").status_code == 200
    assert client_for(bob).get(f"/plans/protocols/{iv_protocol.pk}/revise/").status_code == 403


def test_charlie_cannot_revise_westside_protocols_or_remove_its_shifts(charlie, client_for, calendar, iv_protocol):
    from ketaclinic.plans.models import StaffShift

    client = client_for(charlie)
    assert client.get(f"/plans/protocols/{iv_protocol.pk}/revise/").status_code == 404
    shift = StaffShift.objects.first()
    assert client.post(f"/plans/clinic/shifts/{shift.pk}/remove/").status_code == 404
    assert StaffShift.objects.filter(pk=shift.pk).exists()


def test_the_chart_and_the_portal_show_upcoming_visits(iv_plan, booked, alice, pat, client_for):
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC), tick=False):
        chart = client_for(alice).get(f"/patients/{iv_plan.patient_id}/").content.decode()
        assert "Treatment plan" in chart and "Mon 01/05 08:00" in chart
        portal = client_for(pat).get("/portal/").content.decode()
    assert "Your upcoming visits" in portal and "Do not eat for 4 hours before your infusion." in portal
