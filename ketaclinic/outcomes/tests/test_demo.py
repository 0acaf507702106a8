"""The demo seed step: realistic courses in both clinics; one open item-9 task; one lost response; idempotent.
Run on its own (the other areas' steps are theirs to test), on top of the foundation's clinics and patients."""

import pytest

from ketaclinic.core import demo
from ketaclinic.outcomes import demo as outcomes_demo
from ketaclinic.outcomes.models import CourseOutcome, QuestionnaireResponse, SafetyTask, TreatmentCourse


@pytest.fixture
def seed(monkeypatch, db):
    monkeypatch.setattr(demo, "STEPS", [outcomes_demo.seed])
    return demo.seed


def test_the_step_is_registered_at_order_30():
    assert (30, "ketaclinic.outcomes.demo.seed", outcomes_demo.seed) in demo._ORDERED


def test_the_demo_has_courses_that_remit_respond_and_do_not(seed):
    seed()
    assert sorted(TreatmentCourse.objects.order_by().values_list("clinic__name", flat=True).distinct()) == [
        "Pasadena Ketamine Clinic", "Westside Ketamine Clinic"]
    assert TreatmentCourse.objects.filter(clinic__name="Westside Ketamine Clinic").count() == 12
    assert TreatmentCourse.objects.filter(clinic__name="Pasadena Ketamine Clinic").count() == 6
    classes = set(CourseOutcome.objects.values_list("latest_class", flat=True))
    assert {"remission", "response", "no-response", "partial-response"} <= classes
    assert SafetyTask.objects.filter(acknowledged_at__isnull=True, reason="phq9-item9", patient__mrn="WS000012").count() == 1
    assert CourseOutcome.objects.filter(response_lost=True, course__patient__mrn="WS000004").count() == 1
    assert CourseOutcome.objects.exclude(end_of_induction_class="").exists()
    assert QuestionnaireResponse.objects.filter(patient__portal_account__isnull=False).exists()


def test_a_second_run_adds_nothing(seed):
    seed()
    before = (TreatmentCourse.objects.count(), QuestionnaireResponse.objects.count(), SafetyTask.objects.count())
    seed()
    assert (TreatmentCourse.objects.count(), QuestionnaireResponse.objects.count(), SafetyTask.objects.count()) == before
