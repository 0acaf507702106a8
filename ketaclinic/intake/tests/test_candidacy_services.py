"""The engine's evaluation kept explainable, the clinic's thresholds, and signing and amending decisions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent
from ketaclinic.accounts.roles import Role
from ketaclinic.clinical import candidacy
from ketaclinic.intake import services
from ketaclinic.intake.models import CandidacyDecision, Intake
from ketaclinic.intake.tests.conftest import sign, submitted_intake


def errors(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_an_evaluation_keeps_input_output_rule_version_and_verdicts_apart(patient, bob):
    submitted_intake(patient, bob)
    evaluation = services.latest_evaluation(patient)
    assert evaluation.rules_version == candidacy.RULES_VERSION
    assert evaluation.result == candidacy.evaluate(evaluation.engine_input).to_dict()
    assert evaluation.result["routes"]["iv-ketamine"]["reasons"][0]["source"].startswith("clinical.md")
    assert (evaluation.treatment_resistant, evaluation.adequate_failed_trials) == (True, 2)


def test_an_evaluation_is_never_changed(patient, bob):
    submitted_intake(patient, bob)
    evaluation = services.latest_evaluation(patient)
    evaluation.iv_verdict = "not-eligible"
    with pytest.raises(PermissionError):
        evaluation.save()


def test_the_clinics_stricter_threshold_is_used_and_recorded(patient, alice, bob, westside):
    services.set_protocol(westside, data={"bp_hold_systolic_mmhg": 150}, reason="Medical director, 11/2026",
                          acting_user=alice)
    submitted_intake(patient, bob)
    services.update_intake(Intake.objects.get(), acting_user=bob,
                           data={"screening_bp_systolic_mmhg": 150, "screening_bp_diastolic_mmhg": 80})
    evaluation = services.latest_evaluation(patient)
    assert evaluation.iv_verdict == "not-eligible" and evaluation.protocol_setting is not None
    assert evaluation.result["protocol"]["bp_hold_systolic_mmhg"] == 150


@pytest.mark.parametrize("data, field", [
    ({"bp_hold_systolic_mmhg": 170}, "bp_hold_systolic_mmhg"), ({"min_age_years": 17}, "min_age_years"),
    ({"bp_caution_systolic_mmhg": 160}, "bp_caution_systolic_mmhg"), ({"min_failed_trials": 1}, "min_failed_trials"),
])
def test_a_clinic_may_not_loosen_a_threshold(alice, westside, data, field):
    assert field in errors(lambda: services.set_protocol(westside, data=data, reason="x", acting_user=alice))


def test_only_a_protocol_editor_of_the_clinic_sets_thresholds(bob, charlie, westside):
    with pytest.raises(PermissionDenied):
        services.set_protocol(westside, data={"min_age_years": 21}, reason="x", acting_user=bob)
    from django.http import Http404

    with pytest.raises(Http404):
        services.set_protocol(westside, data={"min_age_years": 21}, reason="x", acting_user=charlie)


def test_a_physician_signs_a_decision_with_an_audit_row(patient, bob, alice):
    submitted_intake(patient, bob)
    decision = sign(patient, alice, "both")
    assert (decision.version, decision.supersedes, decision.signed_by, decision.overridden_routes) == (1, None, alice, [])
    assert decision.approved_routes == {"iv-ketamine", "esketamine"}
    assert Intake.objects.get().status == "decided"
    event = AuditEvent.objects.get(object_type="candidacy_decision")
    assert event.actor == alice and event.patient_id == patient.pk and "v1" in event.summary


def test_a_nurse_cannot_sign(patient, bob):
    submitted_intake(patient, bob)
    with pytest.raises(PermissionDenied):
        sign(patient, bob, "both")


def test_a_physician_of_another_clinic_cannot_sign(patient, bob, charlie):
    submitted_intake(patient, bob)
    with pytest.raises(PermissionDenied):
        sign(patient, charlie, "both")


def test_a_note_is_required(patient, bob, alice):
    submitted_intake(patient, bob)
    assert "note" in errors(lambda: sign(patient, alice, "both", note="  "))


def test_approving_a_route_the_engine_finds_not_eligible_needs_a_written_reason(patient, bob, alice):
    submitted_intake(patient, bob, answers={"conditions": ["ptsd"]})  # esketamine: outside the label
    found = errors(lambda: sign(patient, alice, "both"))
    assert found["override_reason"] == ["This decision overrides the engine for esketamine (not eligible): write the reason."]
    decision = sign(patient, alice, "both", override_reason="Comorbid MDD confirmed at interview.")
    assert decision.overridden_routes == ["esketamine"]


def test_declining_both_when_the_engine_finds_a_route_eligible_needs_a_written_reason(patient, bob, alice):
    submitted_intake(patient, bob)
    assert "override_reason" in errors(lambda: sign(patient, alice, "neither"))
    assert sign(patient, alice, "neither", override_reason="Wants to try TMS first.").overridden_routes == [
        "iv-ketamine", "esketamine"]


def test_choosing_one_of_two_eligible_routes_is_not_an_override(patient, bob, alice):
    submitted_intake(patient, bob)
    assert sign(patient, alice, "iv").overridden_routes == []


def test_physician_review_verdicts_are_the_physicians_call_without_an_override(patient, bob, alice):
    submitted_intake(patient, bob, answers={"history": {"brain_injury": True}})
    assert services.latest_evaluation(patient).iv_verdict == "physician-review"
    assert sign(patient, alice, "iv").overridden_routes == []


def test_a_signed_decision_is_amended_by_a_new_version_never_edited(patient, bob, alice):
    submitted_intake(patient, bob)
    first = sign(patient, alice, "both")
    assert "amendment_reason" in errors(lambda: sign(patient, alice, "iv"))
    second = sign(patient, alice, "iv", amendment_reason="Insurance declined the spray.")
    assert (second.version, second.supersedes) == (2, first)
    assert services.current_decision(patient) == second
    first.refresh_from_db()
    assert first.decision == "both" and not first.is_current
    first.note = "changed"
    with pytest.raises(PermissionError):
        first.save()
    with pytest.raises(PermissionError):
        first.delete()


def test_signing_on_a_stale_evaluation_or_over_a_newer_decision_is_refused(patient, bob, alice):
    submitted_intake(patient, bob)
    seen = services.latest_evaluation(patient)
    services.update_intake(Intake.objects.get(), data={"pregnant": True}, acting_user=bob)
    found = errors(lambda: services.sign_decision(patient, evaluation=seen, decision="both", note="n", acting_user=alice))
    assert "The intake changed since you opened this page" in found["evaluation"][0]
    sign(patient, alice, "neither")
    found = errors(lambda: services.sign_decision(
        patient, evaluation=services.latest_evaluation(patient), decision="both", note="n", acting_user=alice,
        amendment_reason="x", supersedes=None))
    assert "Another decision was signed meanwhile" in found["supersedes"][0]
    assert CandidacyDecision.objects.count() == 1


def test_an_unknown_decision_is_named(patient, bob, alice):
    submitted_intake(patient, bob)
    assert "decision" in errors(lambda: sign(patient, alice, "oral"))


def test_the_database_refuses_a_second_first_version(patient, bob, alice):
    from django.db import IntegrityError, transaction

    submitted_intake(patient, bob)
    first = sign(patient, alice, "both")
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidacyDecision.objects.create(patient=patient, evaluation=first.evaluation, decision="iv", note="fork",
                                         version=2, signed_by=alice, signed_by_label="x")


def test_a_front_desk_user_cannot_sign(patient, bob, westside):
    submitted_intake(patient, bob)
    with pytest.raises(PermissionDenied):
        sign(patient, make_staff("fd", westside, Role.FRONT_DESK), "both")
