"""The candidacy rules engine: every rule, each threshold from both sides, and every rejection.

The default protocol is the issue's: adults ≥ 18; an adequate failed trial is ≥ 6 weeks at an adequate
dose ending in no or partial response; treatment-resistant = ≥ 2 of them (one per drug); screening BP
hold at ≥ 160 systolic or ≥ 100 diastolic, caution above 140/90.
"""

import dataclasses
import json

import pytest

from ketaclinic.clinical.candidacy import (
    DEFAULT_PROTOCOL,
    ESKETAMINE,
    HISTORY_KEYS,
    IV_KETAMINE,
    MEDICATION_CLASSES,
    RULES_VERSION,
    CandidacyProtocol,
    IntakeError,
    Verdict,
    evaluate,
)
from ketaclinic.clinical.candidacy.rules import HISTORY_RULES, RULES

NOT_ELIGIBLE = "not-eligible"
REVIEW = "physician-review"
CAUTION = "eligible-with-cautions"
ELIGIBLE = "eligible"


def trial(drug="sertraline", weeks=8, adequate_dose=True, outcome="no-response"):
    return {"drug": drug, "weeks": weeks, "adequate_dose": adequate_dose, "outcome": outcome}


TWO_FAILED_TRIALS = [trial("sertraline"), trial("bupropion", outcome="partial-response")]


def intake(**changes):
    """A 40-year-old with treatment-resistant major depression and nothing else: eligible for both routes."""
    base = {
        "age_years": 40,
        "conditions": ["major-depression"],
        "current_mood_state": "depressed",
        "antidepressant_trials": TWO_FAILED_TRIALS,
    }
    return base | changes


def verdicts(evaluation):
    return {route: str(result.verdict) for route, result in evaluation.routes.items()}


def both(verdict):
    return {IV_KETAMINE: verdict, ESKETAMINE: verdict}


def rule_ids(evaluation, route=IV_KETAMINE):
    return [reason.rule_id for reason in evaluation.routes[route].reasons]


def reason(evaluation, rule_id, route=IV_KETAMINE):
    (found,) = [r for r in evaluation.routes[route].reasons if r.rule_id == rule_id]
    return found


# --- the baseline ----------------------------------------------------------------------------------------


def test_it_finds_treatment_resistant_major_depression_eligible_for_both_routes():
    evaluation = evaluate(intake())

    assert verdicts(evaluation) == both(ELIGIBLE)
    assert evaluation.treatment_resistant is True
    assert evaluation.adequate_failed_trials == 2
    assert rule_ids(evaluation, IV_KETAMINE) == ["iv-trd-major-depression"]
    assert rule_ids(evaluation, ESKETAMINE) == ["esketamine-trd"]


def test_it_needs_only_age_conditions_and_mood_state():
    minimal = {"age_years": 30, "conditions": ["major-depression"], "current_mood_state": "depressed"}

    evaluation = evaluate(minimal)

    # No trials reported → 0 adequate failed trials → not treatment-resistant.
    assert evaluation.adequate_failed_trials == 0
    assert verdicts(evaluation) == {IV_KETAMINE: REVIEW, ESKETAMINE: NOT_ELIGIBLE}


# --- antidepressant trials and treatment resistance (clinical.md §4.1) -----------------------------------


@pytest.mark.parametrize(("weeks", "failed", "resistant"), [(5, 1, False), (6, 2, True)])
def test_a_trial_counts_from_six_weeks(weeks, failed, resistant):
    trials = [trial("sertraline"), trial("bupropion", weeks=weeks)]

    evaluation = evaluate(intake(antidepressant_trials=trials))

    assert evaluation.adequate_failed_trials == failed
    assert evaluation.treatment_resistant is resistant


@pytest.mark.parametrize(
    ("outcome", "counts"),
    [("no-response", True), ("partial-response", True), ("response", False), ("intolerance", False)],
)
def test_only_no_or_partial_response_is_a_failed_trial(outcome, counts):
    evaluation = evaluate(intake(antidepressant_trials=[trial("sertraline", outcome=outcome)]))

    assert evaluation.adequate_failed_trials == (1 if counts else 0)


def test_a_trial_below_an_adequate_dose_does_not_count():
    trials = [trial("sertraline"), trial("bupropion", adequate_dose=False)]

    evaluation = evaluate(intake(antidepressant_trials=trials))

    assert evaluation.adequate_failed_trials == 1
    assert evaluation.treatment_resistant is False


@pytest.mark.parametrize(("count", "resistant"), [(1, False), (2, True)])
def test_two_adequate_failed_trials_make_treatment_resistance(count, resistant):
    drugs = ["sertraline", "bupropion"][:count]

    evaluation = evaluate(intake(antidepressant_trials=[trial(drug) for drug in drugs]))

    assert evaluation.treatment_resistant is resistant
    expected = both(ELIGIBLE) if resistant else {IV_KETAMINE: REVIEW, ESKETAMINE: NOT_ELIGIBLE}
    assert verdicts(evaluation) == expected


def test_two_failed_trials_of_the_same_drug_count_once():
    # The label asks for ≥ 2 antidepressants: "Sertraline" and " sertraline" are one drug → 1 trial.
    evaluation = evaluate(intake(antidepressant_trials=[trial("Sertraline"), trial(" sertraline", weeks=12)]))

    assert evaluation.adequate_failed_trials == 1
    assert evaluation.treatment_resistant is False


def test_it_names_the_failed_drugs_and_the_count_in_the_reason():
    evaluation = evaluate(intake())

    assert reason(evaluation, "iv-trd-major-depression").text == (
        "Treatment-resistant major depression: 2 adequate failed trials (sertraline, bupropion); "
        "the protocol needs at least 2."
    )


def test_it_explains_what_counts_when_not_treatment_resistant():
    evaluation = evaluate(intake(antidepressant_trials=[trial("sertraline"), trial("bupropion", weeks=5)]))

    text = reason(evaluation, "iv-not-treatment-resistant").text
    assert text.startswith(
        "Not treatment-resistant: 1 adequate failed trial (sertraline); the protocol needs at least 2."
    )
    assert "at least 6 weeks" in text


@pytest.mark.parametrize(("weeks", "failed"), [(7, 1), (8, 2)])
def test_a_clinic_can_require_longer_trials(weeks, failed):
    trials = [trial("sertraline", weeks=8), trial("bupropion", weeks=weeks)]

    evaluation = evaluate(intake(antidepressant_trials=trials), protocol=CandidacyProtocol(min_trial_weeks=8))

    assert evaluation.adequate_failed_trials == failed


@pytest.mark.parametrize(("count", "resistant"), [(2, False), (3, True)])
def test_a_clinic_can_require_more_failed_trials(count, resistant):
    trials = [trial(drug) for drug in ["sertraline", "bupropion", "venlafaxine"][:count]]

    protocol = CandidacyProtocol(min_failed_trials=3)

    evaluation = evaluate(intake(antidepressant_trials=trials), protocol=protocol)

    assert evaluation.treatment_resistant is resistant


# --- exclusions for both routes ------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "expected"), [(17, NOT_ELIGIBLE), (18, ELIGIBLE)])
def test_adults_only_from_eighteen(age, expected):
    evaluation = evaluate(intake(age_years=age))

    assert verdicts(evaluation) == both(expected)
    assert ("age-below-minimum" in rule_ids(evaluation)) is (age == 17)


@pytest.mark.parametrize(("age", "expected"), [(20, NOT_ELIGIBLE), (21, ELIGIBLE)])
def test_a_clinic_can_raise_the_minimum_age(age, expected):
    evaluation = evaluate(intake(age_years=age), protocol=CandidacyProtocol(min_age_years=21))

    assert verdicts(evaluation) == both(expected)


def test_the_age_reason_names_the_age_and_the_minimum():
    evaluation = evaluate(intake(age_years=17))

    assert reason(evaluation, "age-below-minimum", ESKETAMINE).text == (
        "Age 17 is below the protocol minimum of 18 years."
    )


@pytest.mark.parametrize("mood", ["manic", "hypomanic", "mixed"])
def test_a_manic_hypomanic_or_mixed_state_now_excludes_both_routes(mood):
    evaluation = evaluate(intake(current_mood_state=mood, conditions=["bipolar-depression"]))

    assert verdicts(evaluation) == both(NOT_ELIGIBLE)
    assert mood in reason(evaluation, "mood-manic-or-mixed").text


@pytest.mark.parametrize("mood", ["depressed", "euthymic"])
def test_a_depressed_or_euthymic_state_is_no_finding(mood):
    evaluation = evaluate(intake(current_mood_state=mood))

    assert verdicts(evaluation) == both(ELIGIBLE)


@pytest.mark.parametrize(("pregnant", "expected"), [(True, NOT_ELIGIBLE), (False, ELIGIBLE)])
def test_pregnancy_excludes_both_routes(pregnant, expected):
    evaluation = evaluate(intake(pregnant=pregnant, sex="female"))

    assert verdicts(evaluation) == both(expected)


EXCLUDING_HISTORY = [
    "psychosis", "substance_use_disorder_active", "aneurysmal_vascular_disease", "arteriovenous_malformation",
    "intracerebral_hemorrhage", "ketamine_hypersensitivity", "unstable_cardiovascular_disease",
    "uncontrolled_hypertension",
]


@pytest.mark.parametrize("key", EXCLUDING_HISTORY)
def test_these_histories_exclude_both_routes(key):
    evaluation = evaluate(intake(history={key: True}))

    assert verdicts(evaluation) == both(NOT_ELIGIBLE)
    assert rule_ids(evaluation)[0] == "history-" + key.replace("_", "-")


@pytest.mark.parametrize("key", ["brain_injury", "raised_intracranial_pressure"])
def test_brain_injury_and_raised_intracranial_pressure_need_physician_review(key):
    evaluation = evaluate(intake(history={key: True}))

    assert verdicts(evaluation) == both(REVIEW)


@pytest.mark.parametrize("key", ["hepatic_impairment", "interstitial_cystitis"])
def test_hepatic_impairment_and_interstitial_cystitis_are_cautions(key):
    evaluation = evaluate(intake(history={key: True}))

    assert verdicts(evaluation) == both(CAUTION)


def test_a_history_answered_false_is_no_finding():
    evaluation = evaluate(intake(history={key: False for key in HISTORY_KEYS}))

    assert verdicts(evaluation) == both(ELIGIBLE)


def test_every_history_key_has_exactly_one_rule():
    assert set(HISTORY_RULES) == HISTORY_KEYS


# --- screening blood pressure ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reading", "expected", "rule_id"),
    [
        ((120, 80), ELIGIBLE, None),
        ((140, 90), ELIGIBLE, None),  # at 140/90 exactly: not above → no caution
        ((141, 90), CAUTION, "bp-elevated"),
        ((140, 91), CAUTION, "bp-elevated"),
        ((159, 99), CAUTION, "bp-elevated"),  # just below both hold limits
        ((160, 99), NOT_ELIGIBLE, "bp-uncontrolled"),  # systolic reaches 160
        ((159, 100), NOT_ELIGIBLE, "bp-uncontrolled"),  # diastolic reaches 100
        ((160, 100), NOT_ELIGIBLE, "bp-uncontrolled"),
        ((130, 100), NOT_ELIGIBLE, "bp-uncontrolled"),  # either number alone is enough
    ],
)
def test_screening_blood_pressure_bands(reading, expected, rule_id):
    evaluation = evaluate(intake(blood_pressure_mmhg=list(reading)))

    assert verdicts(evaluation) == both(expected)
    assert [r for r in rule_ids(evaluation) if r.startswith("bp-")] == ([rule_id] if rule_id else [])


def test_no_reading_is_no_blood_pressure_finding():
    evaluation = evaluate(intake(blood_pressure_mmhg=None))

    assert verdicts(evaluation) == both(ELIGIBLE)


def test_the_blood_pressure_reason_quotes_the_reading():
    evaluation = evaluate(intake(blood_pressure_mmhg=[161, 95]))

    bp = reason(evaluation, "bp-uncontrolled")
    assert "161/95 mmHg" in bp.text
    assert "160/100" in bp.text
    assert "161/95" in bp.plain_text


@pytest.mark.parametrize(("reading", "expected"), [((149, 80), CAUTION), ((150, 80), NOT_ELIGIBLE)])
def test_a_clinic_can_lower_the_hold_limit(reading, expected):
    protocol = CandidacyProtocol(bp_hold_systolic_mmhg=150, bp_hold_diastolic_mmhg=95)

    evaluation = evaluate(intake(blood_pressure_mmhg=list(reading)), protocol=protocol)

    assert verdicts(evaluation) == both(expected)


@pytest.mark.parametrize(("reading", "expected"), [((130, 85), ELIGIBLE), ((131, 85), CAUTION)])
def test_a_clinic_can_lower_the_caution_limit(reading, expected):
    protocol = CandidacyProtocol(bp_caution_systolic_mmhg=130, bp_caution_diastolic_mmhg=85)

    evaluation = evaluate(intake(blood_pressure_mmhg=list(reading)), protocol=protocol)

    assert verdicts(evaluation) == both(expected)


# --- concomitant medications (clinical.md §2.4) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("medication", "rule_id"),
    [
        ("alprazolam", "med-benzodiazepine"),
        ("lorazepam", "med-benzodiazepine"),
        ("clonazepam", "med-benzodiazepine"),
        ("diazepam", "med-benzodiazepine"),
        ("temazepam", "med-benzodiazepine"),
        ("lamotrigine", "med-lamotrigine"),
        ("phenelzine", "med-maoi"),
        ("tranylcypromine", "med-maoi"),
        ("isocarboxazid", "med-maoi"),
        ("selegiline", "med-maoi"),
        ("amphetamine", "med-psychostimulant"),
        ("dextroamphetamine", "med-psychostimulant"),
        ("lisdexamfetamine", "med-psychostimulant"),
        ("methylphenidate", "med-psychostimulant"),
        ("dexmethylphenidate", "med-psychostimulant"),
        ("modafinil", "med-psychostimulant"),
        ("armodafinil", "med-psychostimulant"),
        ("oxycodone", "med-opioid"),
        ("hydrocodone", "med-opioid"),
        ("morphine", "med-opioid"),
        ("methadone", "med-opioid"),
        ("buprenorphine", "med-opioid"),
        ("fentanyl", "med-opioid"),
        ("tramadol", "med-opioid"),
        ("zolpidem", "med-sedative"),
        ("eszopiclone", "med-sedative"),
        ("zaleplon", "med-sedative"),
        ("gabapentin", "med-sedative"),
        ("pregabalin", "med-sedative"),
        ("phenobarbital", "med-sedative"),
        ("butalbital", "med-sedative"),
    ],
)
def test_it_recognises_the_common_generics_of_each_class(medication, rule_id):
    evaluation = evaluate(intake(medications=["sertraline", medication]))

    assert verdicts(evaluation) == both(CAUTION)
    assert rule_ids(evaluation) == [rule_id, "iv-trd-major-depression"]
    assert f"({medication})" in reason(evaluation, rule_id).text


def test_every_listed_generic_triggers_its_class():
    for medication_class in MEDICATION_CLASSES:
        for generic in medication_class.generics:
            evaluation = evaluate(intake(medications=[generic]))
            assert rule_ids(evaluation)[0] == medication_class.rule_id, generic


@pytest.mark.parametrize(
    ("written", "rule_id"),
    [
        ("CLONAZEPAM", "med-benzodiazepine"),
        ("Clonazepam 0.5 mg", "med-benzodiazepine"),
        ("oxycodone/acetaminophen", "med-opioid"),
        ("buprenorphine-naloxone", "med-opioid"),
        ("Dextroamphetamine-Amphetamine ER", "med-psychostimulant"),
        ("sodium oxybate", "med-sedative"),
    ],
)
def test_it_matches_case_insensitively_within_a_written_name(written, rule_id):
    evaluation = evaluate(intake(medications=[written]))

    assert f"({written})" in reason(evaluation, rule_id).text


def test_two_drugs_of_one_class_make_one_reason_naming_both():
    evaluation = evaluate(intake(medications=["alprazolam", "sertraline", "clonazepam"]))

    assert rule_ids(evaluation).count("med-benzodiazepine") == 1
    benzodiazepine = reason(evaluation, "med-benzodiazepine")
    assert benzodiazepine.text.startswith("Benzodiazepine (alprazolam, clonazepam): ")
    assert benzodiazepine.plain_text.startswith("alprazolam, clonazepam: ")


@pytest.mark.parametrize(
    "medication", ["sertraline", "trazodone", "quetiapine", "lithium", "Xanax", "clonazepamine"]
)
def test_other_medications_and_brand_names_are_not_flagged(medication):
    evaluation = evaluate(intake(medications=[medication]))

    assert verdicts(evaluation) == both(ELIGIBLE)


def test_the_benzodiazepine_caution_says_it_may_blunt_the_response():
    evaluation = evaluate(intake(medications=["lorazepam"]))

    assert "blunt the antidepressant response" in reason(evaluation, "med-benzodiazepine").text


@pytest.mark.parametrize(
    ("medication", "rule_id"), [("phenelzine", "med-maoi"), ("modafinil", "med-psychostimulant")]
)
def test_maois_and_psychostimulants_warn_of_blood_pressure(medication, rule_id):
    evaluation = evaluate(intake(medications=[medication]))

    assert "blood pressure" in reason(evaluation, rule_id).text


# --- IV ketamine indications ---------------------------------------------------------------------------


def test_treatment_resistant_bipolar_depression_is_eligible_for_iv_with_cautions_only():
    evaluation = evaluate(intake(conditions=["bipolar-depression"]))

    assert verdicts(evaluation) == {IV_KETAMINE: CAUTION, ESKETAMINE: NOT_ELIGIBLE}
    assert "mood stabiliser" in reason(evaluation, "iv-trd-bipolar-depression").text
    assert rule_ids(evaluation, ESKETAMINE) == ["esketamine-outside-label"]


@pytest.mark.parametrize(
    ("condition", "name"),
    [
        ("generalized-anxiety", "generalized anxiety"),
        ("panic-disorder", "panic disorder"),
        ("ptsd", "PTSD"),
        ("ocd", "OCD"),
        ("chronic-pain", "chronic pain"),
        ("suicidal-ideation", "suicidal ideation"),
    ],
)
def test_another_treatment_resistant_condition_is_off_label_for_iv(condition, name):
    evaluation = evaluate(intake(conditions=[condition]))

    assert verdicts(evaluation) == {IV_KETAMINE: CAUTION, ESKETAMINE: NOT_ELIGIBLE}
    off_label = reason(evaluation, "iv-trd-other-condition")
    assert off_label.text.startswith(f"Treatment-resistant {name}: ")
    assert "Off-label" in off_label.text


def test_a_comorbid_condition_does_not_make_major_depression_off_label():
    evaluation = evaluate(intake(conditions=["major-depression", "generalized-anxiety", "ptsd"]))

    assert verdicts(evaluation) == both(ELIGIBLE)
    assert rule_ids(evaluation) == ["iv-trd-major-depression"]


@pytest.mark.parametrize("condition", ["major-depression", "bipolar-depression", "ptsd"])
def test_without_treatment_resistance_iv_needs_physician_review(condition):
    evaluation = evaluate(intake(conditions=[condition], antidepressant_trials=[trial()]))

    assert evaluation.routes[IV_KETAMINE].verdict == REVIEW
    assert rule_ids(evaluation) == ["iv-not-treatment-resistant"]


def test_no_listed_condition_needs_physician_review_for_iv_and_is_outside_the_esketamine_label():
    evaluation = evaluate(intake(conditions=[]))

    assert verdicts(evaluation) == {IV_KETAMINE: REVIEW, ESKETAMINE: NOT_ELIGIBLE}
    assert rule_ids(evaluation) == ["iv-no-listed-condition"]


# --- esketamine label (clinical.md §3, §3.1, §3.2) -----------------------------------------------------


def test_major_depression_with_suicidal_ideation_is_on_label_without_treatment_resistance():
    mdsi = intake(conditions=["major-depression", "suicidal-ideation"], antidepressant_trials=[])

    evaluation = evaluate(mdsi)

    assert verdicts(evaluation) == {IV_KETAMINE: REVIEW, ESKETAMINE: ELIGIBLE}
    assert rule_ids(evaluation, ESKETAMINE) == ["esketamine-mdd-suicidal-ideation"]


def test_treatment_resistant_major_depression_with_suicidal_ideation_gives_both_label_reasons():
    evaluation = evaluate(intake(conditions=["major-depression", "suicidal-ideation"]))

    assert rule_ids(evaluation, ESKETAMINE) == ["esketamine-trd", "esketamine-mdd-suicidal-ideation"]


def test_suicidal_ideation_without_major_depression_is_outside_the_esketamine_label():
    evaluation = evaluate(intake(conditions=["suicidal-ideation", "ptsd"]))

    assert reason(evaluation, "esketamine-outside-label", ESKETAMINE).text.endswith(
        "(major depression is not listed)."
    )


def test_major_depression_without_resistance_or_suicidal_ideation_is_outside_the_esketamine_label():
    evaluation = evaluate(intake(antidepressant_trials=[trial()]))

    assert evaluation.routes[ESKETAMINE].verdict == NOT_ELIGIBLE
    assert "not treatment-resistant: 1 adequate failed trial" in reason(
        evaluation, "esketamine-outside-label", ESKETAMINE
    ).text


def test_bipolar_depression_listed_beside_major_depression_needs_review_for_esketamine():
    evaluation = evaluate(intake(conditions=["major-depression", "bipolar-depression"]))

    assert verdicts(evaluation) == {IV_KETAMINE: CAUTION, ESKETAMINE: REVIEW}
    assert rule_ids(evaluation, ESKETAMINE) == ["esketamine-bipolar-listed", "esketamine-trd"]


# --- the verdict: the most severe reason wins ------------------------------------------------------------


def test_the_verdict_order_runs_from_eligible_to_not_eligible():
    assert [verdict.severity for verdict in Verdict] == [0, 1, 2, 3]
    assert list(Verdict) == [ELIGIBLE, CAUTION, REVIEW, NOT_ELIGIBLE]


@pytest.mark.parametrize(
    ("history", "medications", "expected"),
    [
        ({"hepatic_impairment": True}, ["lorazepam"], CAUTION),
        ({"brain_injury": True}, ["lorazepam"], REVIEW),
        ({"brain_injury": True, "psychosis": True}, ["lorazepam"], NOT_ELIGIBLE),
    ],
)
def test_the_most_severe_reason_wins(history, medications, expected):
    evaluation = evaluate(intake(history=history, medications=medications))

    assert verdicts(evaluation) == both(expected)


def test_reasons_come_most_severe_first():
    history = {"brain_injury": True, "psychosis": True}

    evaluation = evaluate(intake(history=history, medications=["lorazepam"]))

    levels = [str(r.level) for r in evaluation.routes[IV_KETAMINE].reasons]
    assert levels == [NOT_ELIGIBLE, REVIEW, CAUTION, ELIGIBLE]


def test_psychotherapy_history_is_recorded_but_changes_no_verdict():
    assert verdicts(evaluate(intake(psychotherapy_tried=False))) == both(ELIGIBLE)
    assert verdicts(evaluate(intake(psychotherapy_tried=True))) == both(ELIGIBLE)


# --- reasons carry sources and stable ids -------------------------------------------------------------


def everything_flagged():
    return intake(
        age_years=16, pregnant=True, current_mood_state="mixed", blood_pressure_mmhg=[170, 105],
        conditions=["major-depression", "bipolar-depression", "suicidal-ideation"],
        history={key: True for key in HISTORY_KEYS},
        medications=["alprazolam", "lamotrigine", "phenelzine", "methylphenidate", "oxycodone", "zolpidem"],
    )


def test_every_reason_cites_clinical_md_and_has_plain_text():
    evaluation = evaluate(everything_flagged())

    # Shared: age, mood, pregnancy, 12 history keys, BP, 6 medication classes = 22.
    # IV adds major + bipolar depression (24); esketamine adds TRD, suicidal ideation, bipolar listed (25).
    assert len(evaluation.routes[IV_KETAMINE].reasons) == 24
    assert len(evaluation.routes[ESKETAMINE].reasons) == 25
    for route in evaluation.routes.values():
        for found in route.reasons:
            assert found.source.startswith("clinical.md §"), found.rule_id
            assert found.text and found.plain_text, found.rule_id


def test_rule_ids_are_unique():
    all_ids = [rule.rule_id for rule in RULES] + [c.rule_id for c in MEDICATION_CLASSES]

    assert len(all_ids) == len(set(all_ids))
    assert {"age-below-minimum", "bp-uncontrolled", "bp-elevated", "med-benzodiazepine"} <= set(all_ids)


def test_every_rule_cites_clinical_md():
    for rule in (*RULES, *MEDICATION_CLASSES):
        assert rule.source.startswith("clinical.md §"), rule.rule_id


# --- the result object ---------------------------------------------------------------------------------


def test_to_dict_is_plain_json_with_the_rule_version_and_protocol():
    evaluation = evaluate(intake(blood_pressure_mmhg=[145, 85]))

    data = json.loads(json.dumps(evaluation.to_dict()))

    assert data["rules_version"] == RULES_VERSION
    assert data["protocol"]["bp_hold_systolic_mmhg"] == 160
    assert data["treatment_resistant"] is True
    assert data["adequate_failed_trials"] == 2
    assert data["routes"]["esketamine"]["verdict"] == CAUTION
    assert data["routes"]["esketamine"]["reasons"][0] == {
        "rule_id": "bp-elevated",
        "level": CAUTION,
        "text": "Screening blood pressure 145/85 mmHg is above 140/90: weigh the risk of a short-term rise "
                "against the benefit.",
        "source": "clinical.md §3.4 [20], §1.6 [20]",
        "plain_text": "Your blood pressure (145/85) is a little high; it will be checked closely.",
    }


def test_the_evaluation_cannot_be_changed():
    evaluation = evaluate(intake())

    with pytest.raises(dataclasses.FrozenInstanceError):
        evaluation.treatment_resistant = False  # type: ignore[misc]
    with pytest.raises(TypeError):
        evaluation.routes[IV_KETAMINE] = evaluation.routes[ESKETAMINE]  # type: ignore[index]


def test_a_tuple_is_accepted_wherever_a_list_is():
    evaluation = evaluate(
        intake(conditions=("major-depression",), antidepressant_trials=tuple(TWO_FAILED_TRIALS),
               blood_pressure_mmhg=(120, 80), medications=("lorazepam",))
    )

    assert verdicts(evaluation) == both(CAUTION)


# --- the protocol ------------------------------------------------------------------------------------


def test_the_default_protocol_is_the_issue_s():
    assert DEFAULT_PROTOCOL == CandidacyProtocol(
        min_age_years=18, min_trial_weeks=6, min_failed_trials=2, bp_hold_systolic_mmhg=160,
        bp_hold_diastolic_mmhg=100, bp_caution_systolic_mmhg=140, bp_caution_diastolic_mmhg=90,
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_age_years": 17}, r"^min_age_years: 17 is below the default 18"),
        ({"min_trial_weeks": 4}, r"^min_trial_weeks: 4 is below the default 6"),
        ({"min_failed_trials": 1}, r"^min_failed_trials: 1 is below the default 2"),
        ({"bp_hold_systolic_mmhg": 180}, r"^bp_hold_systolic_mmhg: 180 is above the default 160"),
        ({"bp_hold_diastolic_mmhg": 110}, r"^bp_hold_diastolic_mmhg: 110 is above the default 100"),
        ({"bp_caution_systolic_mmhg": 150}, r"^bp_caution_systolic_mmhg: 150 is above the default 140"),
        ({"bp_caution_diastolic_mmhg": 95}, r"^bp_caution_diastolic_mmhg: 95 is above the default 90"),
        ({"bp_hold_systolic_mmhg": 140}, r"^bp_caution_systolic_mmhg: 140 must be below bp_hold_systolic"),
        ({"bp_hold_diastolic_mmhg": 90}, r"^bp_caution_diastolic_mmhg: 90 must be below bp_hold_diastolic"),
        ({"min_trial_weeks": 6.5}, r"^min_trial_weeks: 6\.5 must be a positive whole number"),
        ({"bp_caution_systolic_mmhg": 0}, r"^bp_caution_systolic_mmhg: 0 must be a positive whole number"),
        ({"min_age_years": True}, r"^min_age_years: True must be a positive whole number"),
    ],
)
def test_a_protocol_may_tighten_but_never_loosen(changes, message):
    with pytest.raises(ValueError, match=message):
        CandidacyProtocol(**changes)


def test_evaluate_rejects_something_that_is_not_a_protocol():
    with pytest.raises(ValueError, match=r"^protocol: must be a CandidacyProtocol"):
        evaluate(intake(), protocol={"min_age_years": 21})  # type: ignore[arg-type]


# --- input checking: every rejection names its field ---------------------------------------------------


SYSTOLIC = r"blood_pressure_mmhg\[0\] \(systolic\)"
DIASTOLIC = r"blood_pressure_mmhg\[1\] \(diastolic\)"


def with_trial(index, **changes):
    trials = [trial("sertraline"), trial("bupropion")]
    trials[index] = trials[index] | changes
    return {"antidepressant_trials": trials}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"age_years": -1}, r"^age_years: -1 must not be negative"),
        ({"age_years": 131}, r"^age_years: 131 is above 130"),
        ({"age_years": "40"}, r"^age_years: '40' must be a whole number"),
        ({"age_years": 40.0}, r"^age_years: 40\.0 must be a whole number"),
        ({"age_years": True}, r"^age_years: True must be a whole number"),
        ({"pregnent": True}, r"^pregnent: unknown intake field"),
        ({"pregnant": "no"}, r"^pregnant: 'no' must be true or false"),
        ({"psychotherapy_tried": 1}, r"^psychotherapy_tried: 1 must be true or false"),
        ({"sex": 2}, r"^sex: 2 must be a non-empty string"),
        ({"conditions": "ocd"}, r"^conditions: must be a list, not str"),
        ({"conditions": ["major-depression", "depression"]}, r"^conditions\[1\]: unknown value 'depression'"),
        ({"conditions": [["ocd"]]}, r"^conditions\[0\]: unknown value \['ocd'\]"),
        ({"current_mood_state": "sad"}, r"^current_mood_state: unknown value 'sad'"),
        ({"current_mood_state": None}, r"^current_mood_state: unknown value None"),
        ({"antidepressant_trials": {"drug": "x"}}, r"^antidepressant_trials: must be a list, not dict"),
        ({"antidepressant_trials": ["sertraline"]}, r"^antidepressant_trials\[0\]: must be a dict"),
        (with_trial(1, weeks=-1), r"^antidepressant_trials\[1\]\.weeks: must not be negative"),
        (with_trial(0, weeks=6.5), r"^antidepressant_trials\[0\]\.weeks: 6\.5 must be a whole number"),
        (with_trial(0, weeks="6"), r"^antidepressant_trials\[0\]\.weeks: '6' must be a whole number"),
        (with_trial(1, outcome="meh"), r"^antidepressant_trials\[1\]\.outcome: unknown value 'meh'"),
        (with_trial(0, adequate_dose="yes"), r"^antidepressant_trials\[0\]\.adequate_dose: 'yes' must be"),
        (with_trial(1, drug=""), r"^antidepressant_trials\[1\]\.drug: '' must be a non-empty string"),
        (with_trial(0, dose_mg=50), r"^antidepressant_trials\[0\]\.dose_mg: unknown trial field"),
        ({"history": {"psychosis": "no"}}, r"^history\.psychosis: 'no' must be true or false"),
        ({"history": {"seizures": True}}, r"^history\.seizures: unknown history key"),
        ({"history": ["psychosis"]}, r"^history: must be a dict of true/false, not list"),
        ({"blood_pressure_mmhg": [39, 30]}, rf"^{SYSTOLIC}: 39 is outside 40–300 mmHg"),
        ({"blood_pressure_mmhg": [301, 80]}, rf"^{SYSTOLIC}: 301 is outside 40–300 mmHg"),
        ({"blood_pressure_mmhg": [120, 19]}, rf"^{DIASTOLIC}: 19 is outside 20–200 mmHg"),
        ({"blood_pressure_mmhg": [260, 201]}, rf"^{DIASTOLIC}: 201 is outside 20–200 mmHg"),
        ({"blood_pressure_mmhg": [120.5, 80]}, rf"^{SYSTOLIC}: 120\.5 must be a whole number"),
        ({"blood_pressure_mmhg": "120/80"}, r"^blood_pressure_mmhg: must be \[systolic, diastolic\]"),
        ({"blood_pressure_mmhg": [120, 80, 70]}, r"^blood_pressure_mmhg: must be \[systolic, diastolic\]"),
        ({"blood_pressure_mmhg": [80, 120]}, r"^blood_pressure_mmhg: diastolic 120 must be below systolic"),
        ({"medications": "lorazepam"}, r"^medications: must be a list, not str"),
        ({"medications": ["lorazepam", None]}, r"^medications\[1\]: None must be a non-empty string"),
    ],
)
def test_it_rejects_bad_input_naming_the_field(changes, message):
    with pytest.raises(IntakeError, match=message):
        evaluate(intake(**changes))


@pytest.mark.parametrize("key", ["age_years", "conditions", "current_mood_state"])
def test_it_rejects_a_missing_required_field(key):
    incomplete = intake()
    del incomplete[key]

    with pytest.raises(ValueError, match=rf"^{key}: required"):
        evaluate(incomplete)


def test_it_rejects_a_trial_with_a_missing_field():
    no_weeks = {"drug": "sertraline", "adequate_dose": True, "outcome": "response"}

    with pytest.raises(ValueError, match=r"^antidepressant_trials\[0\]\.weeks: required"):
        evaluate(intake(antidepressant_trials=[no_weeks]))


def test_it_rejects_an_intake_that_is_not_a_dict():
    with pytest.raises(ValueError, match=r"^intake: must be a dict, not list"):
        evaluate([("age_years", 40)])  # type: ignore[arg-type]


def test_an_intake_error_is_a_value_error():
    assert issubclass(IntakeError, ValueError)


@pytest.mark.parametrize(
    "changes",
    [
        {"age_years": 0},
        {"age_years": 130},
        {"blood_pressure_mmhg": [40, 20]},
        {"blood_pressure_mmhg": [300, 200]},
        with_trial(0, weeks=0),
    ],
)
def test_it_accepts_the_edges_of_each_range(changes):
    evaluation = evaluate(intake(**changes))

    assert set(evaluation.routes) == {IV_KETAMINE, ESKETAMINE}
