"""record_response / save_draft / amend_response: scored by the library, stored item by item, never half-saved."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ketaclinic.accounts.models import AuditEvent
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import CourseOutcome, QuestionnaireResponse, SafetyTask
from ketaclinic.outcomes.tests.conftest import PHQ9_ITEM9, PHQ9_MILD_7, at, phq9_for_total


def test_it_stores_every_item_the_score_the_rule_version_the_codes_and_who_entered_it(patient, alice, course):
    response = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False,
                                        context="in-clinic")
    response.refresh_from_db()
    assert response.answers == PHQ9_MILD_7 and response.total == 7 and response.severity == "mild"
    assert response.flags == [] and response.rule_version == "phq9-2001.1" and response.status == "final"
    assert (response.loinc_panel, response.loinc_total) == ("44249-1", "44261-6")
    assert response.entered_by == alice and response.entered_by_patient is False
    assert response.course == course  # the patient's one open course
    assert response.taken_on == timezone.localdate(response.taken_at, patient.clinic.tz)
    event = AuditEvent.objects.get(object_type="questionnaire_response", object_id=str(response.pk))
    assert event.actor == alice and event.changes["answers"] == [None, PHQ9_MILD_7]


def test_a_patient_enters_their_own_answers(patient, pat):
    response = services.record_response(patient, "GAD-7", [1, 1, 1, 1, 1, 0, 0], acting_user=pat, entered_by_patient=True)
    assert response.entered_by_patient and response.entered_by == pat and response.severity == "mild"


def test_no_valid_loinc_code_is_invented_where_none_is_known(patient, alice):
    pcl5 = services.record_response(patient, "PCL-5", [1] * 20, acting_user=alice, entered_by_patient=False)
    assert (pcl5.loinc_panel, pcl5.loinc_total) == ("", "")
    cssrs = services.record_response(patient, "C-SSRS", [0] * 7, acting_user=alice, entered_by_patient=False)
    assert (cssrs.loinc_panel, cssrs.loinc_total) == ("93373-9", "")


@pytest.mark.parametrize(("code", "answers", "loinc"), [
    ("GAD-7", [0] * 7, ("69737-5", "70274-6")), ("AUDIT-C", [0] * 3, ("72109-2", "75626-2")),
    ("DAST-10", [0, 0, 1, 0, 0, 0, 0, 0, 0, 0], ("82666-9", "82667-7")),
])
def test_it_stores_the_loinc_codes_of_the_issue(patient, alice, code, answers, loinc):
    response = services.record_response(patient, code, answers, acting_user=alice, entered_by_patient=False)
    assert (response.loinc_panel, response.loinc_total) == loinc


@pytest.mark.parametrize(("total", "severity"), [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (24, "severe"),
])
def test_the_stored_phq9_severity_follows_the_band_edges(patient, alice, total, severity):
    response = services.record_response(patient, "PHQ-9", phq9_for_total(total), acting_user=alice, entered_by_patient=False)
    assert (response.total, response.severity) == (total, severity)


@pytest.mark.parametrize(("sex", "answers", "severity"), [
    ("male", [1, 1, 1], "negative screen"), ("male", [2, 1, 1], "positive screen"),  # men: ≥ 4 positive
    ("female", [1, 1, 0], "negative screen"), ("female", [1, 1, 1], "positive screen"),  # women: ≥ 3
])
def test_audit_c_is_scored_for_the_patients_sex(patient, alice, sex, answers, severity):
    patient.sex_at_birth = sex
    response = services.record_response(patient, "AUDIT-C", answers, acting_user=alice, entered_by_patient=False)
    assert response.severity == severity and response.sex == sex


@pytest.mark.parametrize(("answers", "field", "message"), [
    ([1, 1, 1, 1, 1, 1, 1, 1, 4], "item_9", "PHQ-9 item 9: 4 is outside 0–3"),
    ([1, 1, 1, 1, 1, 1, 1, 1], "item_9", "PHQ-9 item 9: missing"),
    ([1, 1, None, 1, 1, 1, 1, 1, 1], "item_3", "PHQ-9 item 3: missing answer"),
    ([1, 1, 1, True, 1, 1, 1, 1, 1], "item_4", "PHQ-9 item 4: expected an int"),
    ("111111111", "answers", "PHQ-9 answers: expected a list"),
])
def test_bad_answers_are_rejected_naming_the_item_and_nothing_is_saved(patient, alice, answers, field, message):
    with pytest.raises(ValidationError) as error:
        services.record_response(patient, "PHQ-9", answers, acting_user=alice, entered_by_patient=False)
    assert message in error.value.message_dict[field][0]
    assert not QuestionnaireResponse.objects.exists() and not AuditEvent.objects.filter(object_type="questionnaire_response").exists()


def test_an_unknown_scale_or_context_names_the_field(patient, alice):
    with pytest.raises(ValidationError, match="unknown instrument 'PHQ9'") as error:
        services.record_response(patient, "PHQ9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    assert "instrument" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False, context="whenever")
    assert "context" in error.value.message_dict


def test_a_patient_cannot_answer_for_someone_else_nor_a_clinician_scale(patient, other_patient, pat):
    with pytest.raises(ValidationError, match="Only the patient"):
        services.record_response(other_patient, "PHQ-9", PHQ9_MILD_7, acting_user=pat, entered_by_patient=True)
    with pytest.raises(ValidationError, match="asked by a clinician"):
        services.record_response(patient, "C-SSRS", [0] * 7, acting_user=pat, entered_by_patient=True)


def test_a_course_of_another_patient_is_refused(other_patient, alice, course):
    with pytest.raises(ValidationError, match="another patient"):
        services.record_response(other_patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False, course=course)


def test_a_time_in_the_future_is_refused(patient, alice):
    with pytest.raises(ValidationError) as error:
        services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False,
                                 taken_at=timezone.now() + dt.timedelta(hours=1))
    assert "taken_at" in error.value.message_dict


def test_a_draft_is_never_scored_and_resumes_into_the_final_response(patient, pat):
    draft = services.save_draft(patient, "PHQ-9", [1, 2, None, 0], acting_user=pat, entered_by_patient=True)
    assert draft.status == "draft" and draft.total is None and draft.severity == "" and draft.answered_count == 3
    assert draft.answers == [1, 2, None, 0, None, None, None, None, None]
    again = services.save_draft(patient, "PHQ-9", [1, 2, 1, 0, 1], acting_user=pat, entered_by_patient=True)
    assert again.pk == draft.pk and again.answered_count == 5
    final = services.record_response(patient, "PHQ-9", [1, 2, 1, 0, 1, 0, 0, 0, 0], acting_user=pat, entered_by_patient=True)
    assert final.pk == draft.pk and final.status == "final" and final.total == 5
    assert QuestionnaireResponse.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="questionnaire_draft").count() == 2


def test_a_draft_rejects_an_out_of_range_answer_naming_the_item(patient, pat):
    with pytest.raises(ValidationError) as error:
        services.save_draft(patient, "PHQ-9", [1, 7], acting_user=pat, entered_by_patient=True)
    assert error.value.message_dict["item_2"] == ["PHQ-9 item 2: 7 is outside 0–3"]


def test_a_draft_cannot_hold_a_score(patient, alice):
    """The database itself refuses a scored draft (CheckConstraint), whatever the code does."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionnaireResponse.objects.create(patient=patient, clinic=patient.clinic, instrument="PHQ-9", status="draft",
                                             answers=[0] * 9, total=0, taken_on=dt.date(2026, 1, 1))


def test_an_amendment_is_a_new_response_and_the_original_stays(patient, alice, course):
    original = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    corrected = services.amend_response(original, [1, 1, 1, 1, 1, 1, 1, 1, 0], reason="Item 8 was misread", acting_user=alice)
    original.refresh_from_db()
    assert original.status == "amended" and original.answers == PHQ9_MILD_7 and original.total == 7
    assert corrected.amends == original and corrected.total == 8 and corrected.taken_at == original.taken_at
    with pytest.raises(ValidationError, match="Only a final response"):
        services.amend_response(original, PHQ9_MILD_7, reason="again please", acting_user=alice)
    with pytest.raises(ValidationError) as error:
        services.amend_response(corrected, PHQ9_MILD_7, reason="", acting_user=alice)
    assert "reason" in error.value.message_dict


def test_an_amendment_that_adds_item_9_opens_a_safety_task(patient, alice):
    original = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    services.amend_response(original, [1, 1, 1, 1, 1, 1, 1, 0, 1], reason="Item 9 was 1 on paper", acting_user=alice)
    assert SafetyTask.objects.filter(patient=patient).count() == 1


def test_the_session_number_comes_from_the_dosing_provider(patient, alice, course, fake_dosing, today, westside):
    fake_dosing.by_course[course.pk] = [at(course.started_on, westside), at(course.started_on + dt.timedelta(days=2), westside)]
    response = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False,
                                        taken_at=at(course.started_on + dt.timedelta(days=1), westside))
    assert response.session_number == 1 and course.pk in fake_dosing.asked


def test_a_given_session_number_is_kept(patient, alice, course):
    response = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False, session_number=4)
    assert response.session_number == 4


def test_each_primary_scale_response_refreshes_the_course_outcome(patient, alice, course, westside):
    baseline = at(course.started_on, westside, 8)
    services.record_response(patient, "PHQ-9", phq9_for_total(20), acting_user=alice, entered_by_patient=False, taken_at=baseline)
    services.record_response(patient, "PHQ-9", phq9_for_total(9), acting_user=alice, entered_by_patient=False,
                             taken_at=baseline + dt.timedelta(days=5), session_number=3)
    outcome = CourseOutcome.objects.get(course=course)
    # baseline 20 → 9: 100×11 ≥ 50×20 → response, first met after 3 sessions.
    assert (outcome.baseline_total, outcome.baseline_severity, outcome.latest_class, outcome.sessions_to_response) == (
        20, "severe", "response", 3)


def test_nothing_is_saved_when_the_safety_task_cannot_be_opened(patient, pat):
    with mock.patch("ketaclinic.outcomes.services.safety.SafetyTask.objects.create", side_effect=RuntimeError("disk full")):
        with pytest.raises(RuntimeError):
            services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)
    assert not QuestionnaireResponse.objects.exists()
