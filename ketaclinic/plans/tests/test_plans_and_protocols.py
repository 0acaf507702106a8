"""Protocols (versioned limits) and treatment plans (drafted, signed, revised; linked to a course)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.outcomes.models import TreatmentCourse
from ketaclinic.plans import services
from ketaclinic.plans.models import Appointment, Protocol, TreatmentPlan
from ketaclinic.plans.tests.conftest import ESK_PROTOCOL, IV_PROTOCOL, MONDAY, book_proposals, signed_plan


def test_a_protocol_needs_its_route_settings_and_respects_sourced_limits(westside, alice):
    with pytest.raises(ValidationError) as error:
        services.create_protocol(clinic=westside, data={**IV_PROTOCOL, "infusion_min": None, "observation_min": 20},
                                 acting_user=alice)
    assert set(error.value.message_dict) == {"infusion_min"}
    with pytest.raises(ValidationError) as error:
        services.create_protocol(clinic=westside, data={**IV_PROTOCOL, "observation_min": 20}, acting_user=alice)
    assert "at least 30 minutes" in error.value.message_dict["observation_min"][0]
    with pytest.raises(ValidationError) as error:
        services.create_protocol(clinic=westside, data={**ESK_PROTOCOL, "observation_min": 90}, acting_user=alice)
    assert "at least 120 minutes" in error.value.message_dict["observation_min"][0]
    with pytest.raises(ValidationError) as error:
        services.create_protocol(clinic=westside, data={**ESK_PROTOCOL, "dose_mg": 70}, acting_user=alice)
    assert "dose_mg" in error.value.message_dict
    with pytest.raises(ValidationError, match="physician override"):
        services.create_protocol(clinic=westside, data={**IV_PROTOCOL, "dose_mg_per_kg": Decimal("1.5")}, acting_user=alice)
    assert Protocol.objects.count() == 0


def test_only_protocol_editors_approve_protocols(westside, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.create_protocol(clinic=westside, data=IV_PROTOCOL, acting_user=bob)


def test_a_revision_is_a_new_version_and_the_old_one_stays(iv_protocol, alice):
    with pytest.raises(ValidationError, match="Say why"):
        services.revise_protocol(iv_protocol, data={"observation_min": 45}, acting_user=alice)
    v2 = services.revise_protocol(iv_protocol, data={"observation_min": 45, "change_reason": "Shorter observation"},
                                  acting_user=alice)
    assert (v2.version, v2.observation_min, v2.dose_mg_per_kg) == (2, 45, Decimal("0.50"))
    iv_protocol.refresh_from_db()
    assert iv_protocol.observation_min == 60
    assert services.current_protocols(iv_protocol.clinic) == [v2]
    event = AuditEvent.objects.filter(object_type="protocol", object_id=str(v2.pk)).get()
    assert event.changes["observation_min"] == [60, 45]


def test_a_plan_needs_intake_clearance(patient, iv_protocol, alice, gate_closed):
    with pytest.raises(ValidationError, match="No signed candidacy decision"):
        services.create_plan(patient=patient, data={"protocol": iv_protocol, "start_on": MONDAY}, acting_user=alice)
    assert TreatmentPlan.objects.count() == 0


def test_drafting_generates_sessions_and_signing_starts_a_course(patient, iv_protocol, alice, calendar, gate_open):
    plan = services.create_plan(patient=patient, data={"protocol": iv_protocol, "start_on": MONDAY}, acting_user=alice)
    assert (plan.status, plan.dose_mg_per_kg, plan.infusions) == ("draft", Decimal("0.50"), 6)
    assert [s.planned_on.day for s in plan.sessions.all()] == [5, 7, 9, 12, 14, 16]
    assert {s.chair_min for s in plan.sessions.all()} == {100}
    plan = services.sign_plan(plan, acting_user=alice)
    course = TreatmentCourse.objects.get()
    assert plan.course_id == course.pk and (course.route, course.started_on) == ("iv-ketamine", MONDAY)
    assert gate_open == [(patient.pk, "iv-ketamine"), (patient.pk, "iv-ketamine")]  # at drafting and at signing


def test_a_nurse_cannot_sign_a_plan(patient, iv_protocol, alice, bob, calendar):
    from django.core.exceptions import PermissionDenied

    plan = services.create_plan(patient=patient, data={"protocol": iv_protocol, "start_on": MONDAY}, acting_user=alice)
    with pytest.raises(PermissionDenied):
        services.sign_plan(plan, acting_user=bob)


def test_an_esketamine_plan_follows_the_label(patient, esk_protocol, alice, calendar):
    plan = signed_plan(patient, esk_protocol, alice, dose_mg=84)
    sessions = list(plan.sessions.all())
    assert len(sessions) == 8 + 4  # twice weekly weeks 1–4, weekly 5–8
    assert [s.dose_mg for s in sessions[:3]] == [56, 84, 84]  # day 1 is 56 mg by label
    assert {s.chair_min for s in sessions} == {135}  # 15-minute dosing allowance + 120 minutes observation


def test_changing_a_signed_plan_makes_a_new_version_that_takes_over_the_bookings(iv_plan, alice):
    booked = book_proposals(iv_plan, alice)
    v2 = services.revise_plan(iv_plan, data={"dose_mg_per_kg": Decimal("0.60")}, change_reason="Partial response",
                              acting_user=alice)
    assert (v2.version, v2.status, v2.supersedes_id) == (2, "draft", iv_plan.pk)
    iv_plan.refresh_from_db()
    assert iv_plan.status == "signed" and iv_plan.dose_mg_per_kg == Decimal("0.50")  # never edited in place
    v2 = services.sign_plan(v2, acting_user=alice)
    iv_plan.refresh_from_db()
    assert iv_plan.status == "superseded"
    assert set(Appointment.objects.filter(pk__in=[a.pk for a in booked]).values_list("plan_id", flat=True)) == {v2.pk}
    assert v2.course_id == iv_plan.course_id


def test_a_revision_that_drops_booked_visits_is_refused(iv_plan, alice):
    book_proposals(iv_plan, alice)
    with pytest.raises(ValidationError, match="drops booked visits"):
        services.revise_plan(iv_plan, data={"infusions": 4}, change_reason="Fewer", acting_user=alice)
    assert TreatmentPlan.objects.count() == 1


def test_stopping_a_plan_cancels_its_booked_visits(iv_plan, alice):
    book_proposals(iv_plan, alice)
    services.cancel_plan(iv_plan, reason="Moved away", acting_user=alice)
    assert set(Appointment.objects.values_list("status", flat=True)) == {"cancelled"}
