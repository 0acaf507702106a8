"""/api/v1/plans/: the same services and access rules as the pages."""

import datetime as dt

import pytest
import time_machine

from conftest import make_patient
from ketaclinic.accounts.models import ApiToken
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, TreatmentPlan
from ketaclinic.plans.tests.conftest import book_proposals


def test_a_physician_drafts_signs_proposes_and_books_through_the_api(patient, iv_protocol, alice, calendar, api):
    call = api(alice)
    created = call("post", "/plans", {"patient_id": patient.pk, "protocol_id": iv_protocol.pk, "start_on": "2026-01-05"})
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    assert [s["planned_on"] for s in created.json()["sessions"]][:2] == ["2026-01-05", "2026-01-07"]
    assert call("post", f"/plans/{plan_id}/sign").json()["status"] == "signed"
    proposals = call("post", f"/plans/{plan_id}/proposals", {"weekdays": [0, 2, 4], "earliest": "09:00", "latest": "17:00"}).json()
    assert len(proposals) == 6 and proposals[0]["starts_at"] == "2026-01-05T17:00:00Z"  # 09:00 PST
    items = [{"session_id": p["session_id"], "starts_at": p["starts_at"], "chair_id": p["chair_id"]} for p in proposals]
    booked = call("post", f"/plans/{plan_id}/bookings", {"items": items})
    assert booked.status_code == 201 and len(booked.json()) == 6
    again = call("post", f"/plans/{plan_id}/bookings", {"items": items})
    assert again.status_code == 422 and "already booked" in again.json()["detail"]


def test_availability_times_with_an_offset_are_refused_naming_the_field(iv_plan, alice, api):
    # Found by the fuzzer: an offset-aware time compared with a naive one was a 500.
    response = api(alice)("post", f"/plans/{iv_plan.pk}/proposals", {"earliest": "07:30+06:00", "latest": "17:00"})
    assert response.status_code == 422
    assert "earliest" in str(response.json()["errors"]) and "without a UTC offset" in str(response.json())


def test_a_bad_booking_names_the_session_and_the_rule(iv_plan, alice, api):
    proposals = services.propose_series(iv_plan)
    items = [{"session_id": p.session.pk, "starts_at": p.place.starts_at.isoformat()} for p in proposals[:2]]
    items[1]["starts_at"] = (proposals[0].place.starts_at + dt.timedelta(days=1)).isoformat()
    response = api(alice)("post", f"/plans/{iv_plan.pk}/bookings", {"items": items})
    assert response.status_code == 422
    assert response.json()["errors"]["plan"] == [
        "Dose 2 is the day after dose 1; never dose on consecutive days (rule: consecutive-days)."
    ]


def test_charlie_gets_404_on_every_plans_endpoint(iv_plan, alice, charlie, patient, westside, api):
    appointment = book_proposals(iv_plan, alice)[0]
    call = api(charlie)
    for method, path, body in [
        ("get", f"/plans/{iv_plan.pk}", None), ("get", f"/plans/patients/{patient.pk}/plans", None),
        ("post", f"/plans/{iv_plan.pk}/sign", None), ("post", f"/plans/{iv_plan.pk}/proposals", {}),
        ("post", f"/plans/{iv_plan.pk}/bookings", {"items": []}), ("post", f"/plans/{iv_plan.pk}/boosters", {"on": "2026-03-02"}),
        ("post", f"/plans/{iv_plan.pk}/revisions", {"change_reason": "x"}),
        ("get", f"/plans/appointments/{appointment.pk}", None),
        ("post", f"/plans/appointments/{appointment.pk}/status", {"status": "checked_in"}),
        ("post", f"/plans/appointments/{appointment.pk}/reschedule", {"starts_at": "2026-01-05T18:00:00Z"}),
        ("post", f"/plans/appointments/{appointment.pk}/cancel", {"reason": "x"}),
        ("get", f"/plans/appointments?clinic_id={westside.pk}&day=2026-01-05", None),
        ("get", f"/plans/patients/{patient.pk}/appointments", None),
        ("get", f"/plans/floor?clinic_id={westside.pk}", None), ("get", f"/plans/protocols?clinic_id={westside.pk}", None),
        ("get", f"/plans/chairs?clinic_id={westside.pk}", None),
        ("post", f"/plans/protocols/{iv_plan.protocol_id}/revisions", {"change_reason": "x"}),
        ("post", "/plans", {"patient_id": patient.pk, "protocol_id": iv_plan.protocol_id, "start_on": "2026-01-05"}),
        ("post", "/plans/appointments", {"patient_id": patient.pk, "route": "iv-ketamine", "kind": "consultation",
                                         "starts_at": "2026-01-05T18:00:00Z"}),
    ]:
        assert call(method, path, body).status_code == 404, path
    assert Appointment.objects.get(pk=appointment.pk).status == "booked"


def test_a_patient_reads_only_their_own_appointments(iv_plan, alice, pat, quinn, patient, other_patient, api):
    appointment = book_proposals(iv_plan, alice)[0]
    mine = api(pat)("get", f"/plans/patients/{patient.pk}/appointments")
    assert mine.status_code == 200 and mine.json()["count"] == 6
    assert api(pat)("get", f"/plans/appointments/{appointment.pk}").status_code == 200
    assert api(quinn)("get", f"/plans/patients/{patient.pk}/appointments").status_code == 404
    assert api(quinn)("get", f"/plans/appointments/{appointment.pk}").status_code == 404
    assert api(pat)("post", f"/plans/appointments/{appointment.pk}/cancel", {"reason": "x"}).status_code == 403


def test_a_device_token_may_not_touch_plans(iv_plan, alice, api):
    assert api(alice, kind=ApiToken.Kind.DEVICE)("get", f"/plans/{iv_plan.pk}").status_code == 403


def test_phases_move_through_the_api_for_the_visits_area(iv_plan, alice, bob, api):
    appointment = book_proposals(iv_plan, alice)[0]
    call = api(bob)
    assert call("post", f"/plans/appointments/{appointment.pk}/status", {"status": "checked_in"}).json()["status"] == "checked_in"
    skipped = call("post", f"/plans/appointments/{appointment.pk}/status", {"status": "discharged"})
    assert skipped.status_code == 422 and "cannot become discharged" in skipped.json()["detail"]


@time_machine.travel(dt.datetime(2026, 1, 5, 18, tzinfo=dt.UTC), tick=False)
def test_the_floor_endpoint_lists_chairs_with_no_names(iv_plan, alice, westside, api):
    book_proposals(iv_plan, alice)
    board = api(alice)("get", f"/plans/floor?clinic_id={westside.pk}").json()
    assert board["day"] == "2026-01-05" and [c["chair"] for c in board["chairs"]][:3] == ["Chair 1", "Chair 2", "Chair 3"]
    assert board["chairs"][0]["upcoming"][0]["patient_id"] == iv_plan.patient_id
    assert "Núñez" not in str(board)


@pytest.mark.parametrize("count", [5, 50])
def test_listing_a_day_costs_the_same_queries_for_5_or_50(count, westside, alice, api, django_assert_num_queries):
    from ketaclinic.plans.models import Chair

    chair = Chair.objects.create(clinic=westside, name="C")
    patient = make_patient(westside, 9)
    for n in range(count):
        start = dt.datetime(2026, 1, 5, 16, tzinfo=dt.UTC) + dt.timedelta(minutes=15 * n)
        Appointment.objects.create(patient=patient, clinic=westside, chair=chair, starts_at=start,
                                   ends_at=start + dt.timedelta(minutes=15), route="iv-ketamine", kind="consultation")
    call = api(alice)
    with django_assert_num_queries(6):  # token, its last use, roles, the clinic, count, the page
        response = call("get", f"/plans/appointments?clinic_id={westside.pk}&day=2026-01-05&limit=100")
    assert response.json()["count"] == count


def test_protocols_are_created_and_revised_by_physicians_only(westside, alice, bob, api):
    body = {"clinic_id": westside.pk, "family": "iv-x", "name": "IV X", "route": "iv-ketamine", "dose_mg_per_kg": "0.5",
            "infusion_min": 40, "induction_infusions": 6, "observation_min": 60}
    assert api(bob)("post", "/plans/protocols", body).status_code == 403
    created = api(alice)("post", "/plans/protocols", body)
    assert created.status_code == 201 and created.json()["version"] == 1
    bad = api(alice)("post", "/plans/protocols", {**body, "family": "iv-y", "observation_min": 10})
    assert bad.status_code == 422 and "observation_min" in bad.json()["errors"]
    revised = api(alice)("post", f"/plans/protocols/{created.json()['id']}/revisions",
                         {"observation_min": 45, "change_reason": "Shorter"})
    assert revised.status_code == 201 and revised.json()["version"] == 2


def test_a_plan_revision_and_booster_through_the_api(iv_plan, alice, api):
    call = api(alice)
    revised = call("post", f"/plans/{iv_plan.pk}/revisions", {"change_reason": "Higher dose", "dose_mg_per_kg": "0.6"})
    assert revised.status_code == 201 and revised.json()["version"] == 2 and revised.json()["status"] == "draft"
    assert TreatmentPlan.objects.get(pk=iv_plan.pk).dose_mg_per_kg == iv_plan.dose_mg_per_kg
    booster = call("post", f"/plans/{iv_plan.pk}/boosters", {"on": "2026-02-02"})
    assert booster.status_code == 201 and booster.json()["kind"] == "booster"


@pytest.mark.parametrize("count", [5, 50])
def test_a_patients_appointments_and_the_protocol_list_cost_the_same_for_5_or_50(
    count, westside, alice, patient, api, django_assert_num_queries
):
    from ketaclinic.plans.models import Chair, Protocol

    chair = Chair.objects.create(clinic=westside, name="C")
    for n in range(count):
        start = dt.datetime(2026, 1, 5, 16, tzinfo=dt.UTC) + dt.timedelta(days=n)
        Appointment.objects.create(patient=patient, clinic=westside, chair=chair, starts_at=start,
                                   ends_at=start + dt.timedelta(minutes=60), route="iv-ketamine", kind="consultation")
        Protocol.objects.create(clinic=westside, family=f"f{n}", name=f"P{n}", route="esketamine", indication="TRD",
                                dose_mg=56, observation_min=120, approved_by=alice, effective_from=dt.date(2026, 1, 1))
    call = api(alice)
    with django_assert_num_queries(7):  # token, its last use, roles, the patient, its clinic's roles check, count, page
        assert call("get", f"/plans/patients/{patient.pk}/appointments?limit=100").json()["count"] == count
    with django_assert_num_queries(5):  # token (its last use was just written), roles, the clinic, count, page
        assert call("get", f"/plans/protocols?clinic_id={westside.pk}&limit=100").json()["count"] == count
