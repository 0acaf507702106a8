"""The public self-screen's pure logic (ketaclinic.clinical.selfscreen): lay answers → engine → outcome."""

import pytest

from ketaclinic.clinical.instruments import InstrumentError
from ketaclinic.clinical.selfscreen import (
    CRISIS,
    TALK_TO_DOCTOR,
    WORTH_CONSULTATION,
    SelfScreenAnswers,
    SelfScreenError,
    self_screen,
    to_intake,
)

LOW_MOOD = (2, 2, 2, 2, 1, 1, 1, 0, 0)  # total 11, item 9 = 0


def answers(**changes):
    base = dict(adult=True, phq9=LOW_MOOD, conditions=frozenset({"major-depression"}), failed_antidepressants=2,
                psychotherapy_tried=True, flags=frozenset())
    return SelfScreenAnswers(**(base | changes))


def rule_ids(reasons):
    return [r.rule_id for r in reasons]


def test_treatment_resistant_depression_is_worth_a_consultation():
    result = self_screen(answers())
    assert result.outcome == WORTH_CONSULTATION and result.worth_consultation and not result.crisis
    assert (result.phq9.total, result.phq9.severity) == (11, "moderate")  # 2+2+2+2+1+1+1+0+0
    assert result.concerns == () and result.cautions == ()


def test_one_failed_antidepressant_means_talk_to_your_doctor_first():
    result = self_screen(answers(failed_antidepressants=1))
    assert result.outcome == TALK_TO_DOCTOR
    assert rule_ids(result.concerns) == ["esketamine-outside-label", "iv-not-treatment-resistant"]


@pytest.mark.parametrize("flag, rule_id", [
    ("pregnant", "pregnancy"), ("mood-high-now", "mood-manic-or-mixed"), ("psychosis", "history-psychosis"),
    ("substance-use", "history-substance-use-disorder-active"), ("aneurysm", "history-aneurysmal-vascular-disease"),
    ("avm", "history-arteriovenous-malformation"), ("brain-bleed", "history-intracerebral-hemorrhage"),
    ("ketamine-allergy", "history-ketamine-hypersensitivity"),
    ("heart-unstable", "history-unstable-cardiovascular-disease"),
    ("blood-pressure-uncontrolled", "history-uncontrolled-hypertension"),
])
def test_each_exclusion_in_lay_words_turns_the_result_to_talk_to_your_doctor(flag, rule_id):
    result = self_screen(answers(flags=frozenset({flag})))
    assert result.outcome == TALK_TO_DOCTOR
    assert rule_ids(result.concerns)[0] == rule_id


def test_a_brain_injury_needs_review_and_so_talk_to_your_doctor():
    result = self_screen(answers(flags=frozenset({"brain-injury"})))
    assert result.outcome == TALK_TO_DOCTOR and rule_ids(result.concerns) == ["history-brain-injury"]


def test_under_18_is_not_a_candidate():
    result = self_screen(answers(adult=False))
    assert result.outcome == TALK_TO_DOCTOR and rule_ids(result.concerns)[0] == "age-below-minimum"


def test_item_9_above_zero_shows_crisis_resources_and_keeps_the_rest_of_the_result():
    result = self_screen(answers(phq9=LOW_MOOD[:8] + (1,), failed_antidepressants=0))
    assert result.outcome == CRISIS and result.crisis
    # Depression with suicidal thoughts is on the esketamine label, so a consultation is still worth it.
    assert result.worth_consultation
    assert str(result.evaluation.routes["esketamine"].verdict) == "eligible"


def test_item_9_at_zero_is_no_crisis():
    assert not self_screen(answers(phq9=LOW_MOOD)).crisis


def test_ptsd_that_resisted_treatment_is_worth_a_consultation_with_a_caution():
    result = self_screen(answers(conditions=frozenset({"ptsd"})))
    assert result.outcome == WORTH_CONSULTATION
    assert rule_ids(result.cautions) == ["iv-trd-other-condition"]


def test_the_lay_answers_become_an_engine_intake():
    intake = to_intake(answers(failed_antidepressants=3, flags=frozenset({"brain-injury", "pregnant"})), crisis=False)
    assert intake["age_years"] == 18 and intake["pregnant"] is True
    assert intake["history"] == {"brain_injury": True}
    assert [t["weeks"] for t in intake["antidepressant_trials"]] == [6, 6, 6]
    assert len({t["drug"] for t in intake["antidepressant_trials"]}) == 3  # distinct drugs: one count per drug


def test_an_incomplete_phq9_is_not_scored():
    with pytest.raises(InstrumentError, match="item 9"):
        self_screen(answers(phq9=LOW_MOOD[:8]))


@pytest.mark.parametrize("change, field", [
    ({"conditions": frozenset({"insomnia"})}, "conditions"), ({"flags": frozenset({"diabetes"})}, "flags"),
    ({"failed_antidepressants": 4}, "failed_antidepressants"), ({"failed_antidepressants": -1}, "failed_antidepressants"),
])
def test_unknown_answers_are_refused_naming_the_field(change, field):
    with pytest.raises(SelfScreenError, match=field):
        self_screen(answers(**change))
