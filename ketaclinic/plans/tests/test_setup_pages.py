"""The clinic set-up pages: chairs, hours, closed days, limits, shifts, protocols — each through its service."""

import datetime as dt

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.plans.models import Chair, ClinicScheduling, OpeningHours, Protocol, StaffShift


def test_an_admin_adds_a_chair_and_sets_the_hours(admin, westside, client_for):
    client = client_for(admin)
    client.post("/plans/clinic/chairs/", {"name": "Chair 9", "kind": "chair"})
    assert Chair.objects.filter(clinic=westside, name="Chair 9").exists()
    duplicate = client.post("/plans/clinic/chairs/", {"name": "chair 9", "kind": "chair"}, follow=True)
    assert "chair 9 already exists here." in duplicate.content.decode()
    hours = {f"opens_{d}": "08:00" for d in range(5)} | {f"closes_{d}": "17:30" for d in range(5)}
    client.post("/plans/clinic/hours/", hours)
    assert OpeningHours.objects.filter(clinic=westside).count() == 5
    bad = client.post("/plans/clinic/hours/", {"opens_0": "08:00"}, follow=True)
    assert "Give both times for Mon, or neither (closed)." in bad.content.decode()
    assert AuditEvent.objects.filter(object_type="opening_hours").count() == 1


def test_limits_are_set_by_protocol_editors_with_who_approved(admin, bob, westside, client_for):
    assert client_for(bob).post("/plans/clinic/limits/", {"nurse_ratio": 4}).status_code == 403
    client_for(admin).post("/plans/clinic/limits/", {"nurse_ratio": 4, "iv_fasting_food_h": 6, "iv_fasting_liquids_h": 2})
    limits = ClinicScheduling.objects.get(clinic=westside)
    assert (limits.nurse_ratio, limits.iv_fasting_food_h, limits.approved_by) == (4, 6, admin)
    client_for(admin).post("/plans/clinic/limits/", {"nurse_ratio": 40, "iv_fasting_food_h": 6, "iv_fasting_liquids_h": 2})
    assert ClinicScheduling.objects.get(clinic=westside).nurse_ratio == 4


def test_the_front_desk_adds_nurse_shifts_and_closes_a_day(westside, bob, client_for):
    desk = make_staff("fran", westside, Role.FRONT_DESK)
    client = client_for(desk)
    client.post("/plans/clinic/shifts/", {"user": bob.pk, "day": "2026-03-09", "starts": "07:30", "ends": "16:00"})
    shift = StaffShift.objects.get()
    assert shift.starts_at == dt.datetime(2026, 3, 9, 14, 30, tzinfo=dt.UTC)  # 07:30 PDT
    not_a_nurse = client.post("/plans/clinic/shifts/", {"user": desk.pk, "day": "2026-03-10", "starts": "07:30", "ends": "16:00"})
    assert StaffShift.objects.count() == 1 and not_a_nurse.status_code == 302
    assert client.post("/plans/clinic/closed-days/", {"date": "2026-07-03", "reason": "Holiday"}).status_code == 403


def test_charlie_cannot_touch_westside_chairs(admin, westside, charlie, client_for):
    chair = Chair.objects.create(clinic=westside, name="Chair 1")
    assert client_for(charlie).post(f"/plans/clinic/chairs/{chair.pk}/toggle/").status_code == 404
    assert Chair.objects.get(pk=chair.pk).is_active


def test_a_physician_approves_a_protocol_and_a_new_version_from_the_pages(alice, westside, client_for):
    client = client_for(alice)
    form = {"name": "IV standard", "family": "iv-standard", "route": "iv-ketamine", "effective_from": "2026-01-01",
            "dose_mg_per_kg": "0.50", "weight_basis": "actual", "infusion_min": "40", "induction_infusions": "6",
            "min_gap_days": "2", "observation_min": "60", "kap_preparation_sessions": "0", "kap_session_min": "60"}
    response = client.post("/plans/protocols/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    v1 = Protocol.objects.get()
    bad = client.post(f"/plans/protocols/{v1.pk}/revise/", {**form, "observation_min": "20", "change_reason": "Shorter"})
    assert bad.status_code == 422 and "at least 30 minutes" in bad.content.decode()
    client.post(f"/plans/protocols/{v1.pk}/revise/", {**form, "observation_min": "45", "change_reason": "Shorter"})
    assert list(Protocol.objects.order_by("version").values_list("version", "observation_min")) == [(1, 60), (2, 45)]
    page = client.get("/plans/protocols/").content.decode()
    assert "IV standard" in page and "v2" in page
