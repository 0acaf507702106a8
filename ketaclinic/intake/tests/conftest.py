"""Intake fixtures: an intake at each stage, built through the services (as the pages do)."""

import pytest

from ketaclinic.intake import consent_texts, services
from ketaclinic.intake.models import InformedConsent, Intake


def trd_answers():
    """Treatment-resistant major depression and nothing else: the engine finds both routes eligible."""
    return {"conditions": ["major-depression"], "current_mood_state": "depressed", "no_known_allergies": True,
            "psychotherapy_tried": True}


def fill_intake(patient, user, *, answers=None, trials=2, **extra):
    intake = services.start_intake(patient, acting_user=user)
    services.update_intake(intake, data={**trd_answers(), **(answers or {}), **extra}, acting_user=user)
    drugs = ["sertraline", "bupropion", "venlafaxine"]
    for n in range(trials):
        services.add_item(intake, "trial", acting_user=user, data={
            "drug": drugs[n], "weeks": 8, "adequate_dose": "yes", "adherence": "most", "outcome": "no-response"})
    return Intake.objects.get(pk=intake.pk)


def submitted_intake(patient, user, **kwargs):
    intake = fill_intake(patient, user, **kwargs)
    return services.submit_intake(intake, acting_user=user)


def sign(patient, physician, decision="both", **kwargs):
    evaluation = services.latest_evaluation(patient)
    return services.sign_decision(
        patient, evaluation=evaluation, decision=decision, note=kwargs.pop("note", "Discussed risks and benefits."),
        acting_user=physician, supersedes=services.current_decision(patient), **kwargs)


def consent(patient, user, route, where=InformedConsent.Where.PORTAL):
    return services.sign_consent(
        patient, route=route, typed_name=f"{patient.legal_first_name} {patient.legal_last_name}", agreed=True,
        text_version=consent_texts.current(route).version, where=where, acting_user=user)


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """A Spanish request leaves Spanish active in the thread; each test starts, and leaves, as it found it."""
    from django.utils import translation

    with translation.override("en"):
        yield


def queries_for(client, path) -> int:
    """How many queries one GET of ``path`` takes (after a warm-up request for the session)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as context:
        assert client.get(path).status_code == 200
    return len(context)
