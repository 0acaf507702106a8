"""The demo seed holds Westside patients at every stage and each verdict, and requests in the queue."""

from io import StringIO

from django.core.management import call_command

from ketaclinic.intake.models import (
    CandidacyDecision,
    CandidacyEvaluation,
    ConsultationRequest,
    InformedConsent,
    Intake,
)


def _counts():
    return [m.objects.count() for m in (Intake, CandidacyEvaluation, CandidacyDecision, InformedConsent, ConsultationRequest)]


def test_the_demo_has_every_stage_and_verdict(db):
    call_command("seed_demo", stdout=StringIO())
    assert set(Intake.objects.values_list("status", flat=True)) == {"in_progress", "awaiting_review", "decided"}
    signed_on = CandidacyDecision.objects.filter(amended_by__isnull=True).select_related("evaluation")
    assert {d.decision for d in signed_on} == {"iv", "esketamine", "both", "neither"}
    verdicts = {d.evaluation.iv_verdict for d in signed_on} | {d.evaluation.esketamine_verdict for d in signed_on}
    assert verdicts == {"eligible", "eligible-with-cautions", "physician-review", "not-eligible"}
    assert CandidacyDecision.objects.filter(version=2).exists()  # an amendment
    assert InformedConsent.objects.values("patient").distinct().count() >= 3
    queue = ConsultationRequest.objects.filter(clinic__name="Westside Ketamine Clinic")
    assert set(queue.values_list("status", flat=True)) == {"new", "contacted"}
    assert queue.filter(self_screen_outcome="crisis").exists()


def test_the_portal_demo_patient_has_a_decision_to_consent_to(db):
    call_command("seed_demo", stdout=StringIO())
    from ketaclinic.portal.models import PortalAccount

    patient = PortalAccount.objects.get(user__username="patient.demo").patient
    assert CandidacyDecision.objects.get(patient=patient).decision == "both"
    assert not InformedConsent.objects.filter(patient=patient).exists()


def test_a_second_run_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before


def test_submitted_demo_intakes_have_baseline_scales(db):
    from ketaclinic.outcomes.models import QuestionnaireResponse

    call_command("seed_demo", stdout=StringIO())
    submitted = Intake.objects.exclude(status="in_progress").values_list("patient_id", flat=True)
    with_phq9 = QuestionnaireResponse.objects.filter(context="intake", instrument="PHQ-9").values_list("patient_id", flat=True)
    assert set(submitted) <= set(with_phq9)
