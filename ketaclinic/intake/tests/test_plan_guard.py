"""A patient without a signed decision and consent cannot be given a treatment plan (issue 4, "Done when").

The plans area calls ``require_plan_allowed`` inside its create-plan service; these tests pin its answers.
"""

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.intake import services
from ketaclinic.intake.tests.conftest import consent, sign, submitted_intake

IV, ESK = "iv-ketamine", "esketamine"


def refusal(patient, route):
    with pytest.raises(ValidationError) as caught:
        services.require_plan_allowed(patient, route)
    return caught.value.message_dict["route"][0]


def test_a_patient_with_no_intake_at_all_gets_no_plan(patient):
    assert services.approved_routes(patient) == set()
    assert refusal(patient, IV) == "No signed candidacy decision for IV ketamine."
    assert refusal(patient, ESK) == "No signed candidacy decision for esketamine."


def test_an_intake_awaiting_review_is_not_a_decision(patient, bob):
    submitted_intake(patient, bob)
    assert refusal(patient, IV) == "No signed candidacy decision for IV ketamine."


def test_a_signed_decision_without_consent_is_not_enough(patient, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "both")
    assert services.approved_routes(patient) == set()
    assert refusal(patient, ESK) == "Consent for esketamine not signed."


def test_decision_and_consent_for_a_route_allow_that_route_only(patient, pat, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "both")
    consent(patient, pat, IV)
    assert services.approved_routes(patient) == {IV}
    services.require_plan_allowed(patient, IV)  # no exception
    assert refusal(patient, ESK) == "Consent for esketamine not signed."


def test_a_route_the_decision_does_not_approve_is_refused_even_with_old_consent(patient, pat, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "both")
    consent(patient, pat, ESK)
    sign(patient, alice, "iv", amendment_reason="Patient prefers IV; insurance declined the spray.")
    assert services.approved_routes(patient) == set()
    assert refusal(patient, ESK).startswith("No signed candidacy decision for esketamine: the current decision (version 2)")


def test_a_withdrawn_consent_no_longer_allows_a_plan(patient, pat, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    signed = consent(patient, pat, IV)
    services.withdraw_consent(signed, reason="Changed my mind.", acting_user=pat)
    assert services.approved_routes(patient) == set()
    assert refusal(patient, IV) == "Consent for IV ketamine not signed."


def test_a_decision_of_neither_allows_nothing(patient, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "neither", override_reason="Prefers to continue psychotherapy first.")
    assert refusal(patient, IV).startswith("No signed candidacy decision for IV ketamine")


def test_an_unknown_route_is_named(patient):
    assert "Unknown route 'oral'" in refusal(patient, "oral")


def test_another_patients_decision_and_consent_do_not_count(patient, other_patient, pat, bob, alice):
    submitted_intake(patient, bob)
    sign(patient, alice, "both")
    consent(patient, pat, IV)
    assert services.approved_routes(other_patient) == set()
    assert refusal(other_patient, IV) == "No signed candidacy decision for IV ketamine."



def test_the_plan_service_refuses_until_decision_and_consent_are_signed(patient, pat, bob, alice):
    """The plans service itself, with the real gate (the plans area's own tests stub it)."""
    import datetime as dt

    from ketaclinic.plans import services as plans
    from ketaclinic.plans.models import TreatmentPlan
    from ketaclinic.plans.tests.conftest import IV_PROTOCOL

    protocol = plans.create_protocol(clinic=patient.clinic, data={**IV_PROTOCOL, "effective_from": dt.date(2025, 1, 1)},
                                     acting_user=alice)

    def draft():
        return plans.create_plan(patient=patient, data={"protocol": protocol, "start_on": dt.date(2026, 12, 7)},
                                 acting_user=alice)

    with pytest.raises(ValidationError, match="No signed candidacy decision for IV ketamine"):
        draft()
    submitted_intake(patient, bob)
    sign(patient, alice, "iv")
    with pytest.raises(ValidationError, match="Consent for IV ketamine not signed"):
        draft()
    assert not TreatmentPlan.objects.exists()
    consent(patient, pat, IV)
    assert draft().status == "draft"
