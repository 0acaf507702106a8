from decimal import Decimal

import pytest

from ketaclinic.clinical.outcomes import (
    OUTCOME_RULES,
    OutcomeError,
    OutcomeRule,
    ResponseSummary,
    classify_change,
    median_sessions_to_response,
    meets_response,
    reduction_pct,
    response_lost,
    sessions_to_response,
    summarize_response,
)

# --- classify_change: PHQ-9 (remission < 5, worsening ≥ +5) -----------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "outcome"),
    [
        # remission edge
        (20, 4, "remission"),  # 4 < 5
        (20, 5, "response"),  # 5 is not < 5; drop 15, 2×15 = 30 ≥ 20
        (10, 5, "response"),  # drop 5, 2×5 = 10 ≥ 10
        # remission wins over worsening
        (0, 4, "remission"),  # +4, but 4 < 5 comes first
        (0, 5, "worsening"),  # +5 ≥ 5
        # worsening edge
        (10, 14, "no-response"),  # +4 < 5; a rise is no reduction
        (10, 15, "worsening"),  # +5
        (22, 27, "worsening"),  # +5
        # response edge, even baseline: 50 % of 20 is a 10-point drop
        (20, 10, "response"),  # drop 10, 2×10 = 20 ≥ 20
        (20, 11, "partial-response"),  # drop 9, 2×9 = 18 < 20; 4×9 = 36 ≥ 20
        # response edge, odd baseline: 50 % of 27 is 13.5 points
        (27, 13, "response"),  # drop 14, 2×14 = 28 ≥ 27
        (27, 14, "partial-response"),  # drop 13, 2×13 = 26 < 27; 4×13 = 52 ≥ 27
        # partial-response edge, even baseline: 25 % of 20 is 5 points
        (20, 15, "partial-response"),  # drop 5, 4×5 = 20 ≥ 20
        (20, 16, "no-response"),  # drop 4, 4×4 = 16 < 20
        # partial-response edge, odd baseline: 25 % of 27 is 6.75 points
        (27, 20, "partial-response"),  # drop 7, 4×7 = 28 ≥ 27
        (27, 21, "no-response"),  # drop 6, 4×6 = 24 < 27
        (15, 15, "no-response"),  # no change
    ],
)
def test_it_classifies_phq9_change_at_every_boundary(baseline, current, outcome):
    assert classify_change("PHQ-9", baseline, current) == outcome


# --- classify_change: GAD-7 (remission < 5, worsening ≥ +4) -----------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "outcome"),
    [
        (15, 4, "remission"),  # 4 < 5
        (15, 5, "response"),  # drop 10, 2×10 = 20 ≥ 15
        (0, 4, "remission"),  # +4 would be worsening, but 4 < 5 comes first
        (0, 5, "worsening"),  # +5 ≥ 4
        (10, 13, "no-response"),  # +3 < 4
        (10, 14, "worsening"),  # +4
        (21, 10, "response"),  # drop 11, 2×11 = 22 ≥ 21
        (21, 11, "partial-response"),  # drop 10, 2×10 = 20 < 21; 4×10 = 40 ≥ 21
        (21, 15, "partial-response"),  # drop 6, 4×6 = 24 ≥ 21
        (21, 16, "no-response"),  # drop 5, 4×5 = 20 < 21
        (16, 8, "response"),  # drop 8, 2×8 = 16 ≥ 16
        (16, 9, "partial-response"),  # drop 7, 14 < 16; 28 ≥ 16
        (16, 12, "partial-response"),  # drop 4, 4×4 = 16 ≥ 16
        (16, 13, "no-response"),  # drop 3, 12 < 16
    ],
)
def test_it_classifies_gad7_change_at_every_boundary(baseline, current, outcome):
    assert classify_change("GAD-7", baseline, current) == outcome


@pytest.mark.parametrize("current", [0, 1, 2, 3, 4])
def test_it_calls_a_baseline_of_zero_remission_while_under_five(current):
    assert classify_change("PHQ-9", 0, current) == "remission"


def test_it_never_divides_by_a_zero_baseline_under_a_clinic_rule():
    # Remission below 3, worsening at +5: a baseline of 0 rising to 4 is neither, and has no percentage.
    rule = OutcomeRule("PHQ-9", 27, remission_below_total=3, worsening_min_increase_points=5)
    assert classify_change("PHQ-9", 0, 4, rule=rule) == "no-response"


def test_it_applies_a_clinic_rule():
    rule = OutcomeRule(
        "PHQ-9", 27, remission_below_total=5, worsening_min_increase_points=5, response_min_reduction_pct=60
    )
    # drop 11 of 20: 100×11 = 1100 < 60×20 = 1200, so no longer response; 1100 ≥ 25×20 = 500
    assert classify_change("PHQ-9", 20, 9) == "response"
    assert classify_change("PHQ-9", 20, 9, rule=rule) == "partial-response"


@pytest.mark.parametrize(
    ("code", "baseline", "current", "field"),
    [
        ("PHQ-9", 28, 10, "baseline_total: 28 is outside 0–27"),
        ("PHQ-9", 10, 28, "current_total: 28 is outside 0–27"),
        ("PHQ-9", -1, 10, "baseline_total: -1 is outside 0–27"),
        ("GAD-7", 22, 10, "baseline_total: 22 is outside 0–21"),
        ("GAD-7", 10, 22, "current_total: 22 is outside 0–21"),
        ("PHQ-9", True, 10, "baseline_total: expected an int, got bool"),
        ("PHQ-9", 10, 5.0, "current_total: expected an int, got float"),
        ("PHQ-9", 10, None, "current_total: expected an int, got NoneType"),
    ],
)
def test_it_rejects_totals_outside_the_scale(code, baseline, current, field):
    with pytest.raises(ValueError, match=field):
        classify_change(code, baseline, current)


@pytest.mark.parametrize("code", ["MADRS", "PHQ9", "", None])
def test_it_rejects_a_code_without_an_outcome_rule(code):
    with pytest.raises(ValueError, match="code: no outcome rule"):
        classify_change(code, 10, 5)


def test_it_rejects_a_rule_for_another_instrument():
    with pytest.raises(OutcomeError, match="rule: expected an OutcomeRule for 'GAD-7'"):
        classify_change("GAD-7", 10, 5, rule=OUTCOME_RULES["PHQ-9"])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"remission_below_total": 0}, "remission_below_total"),
        ({"remission_below_total": 28}, "remission_below_total"),
        ({"worsening_min_increase_points": 0}, "worsening_min_increase_points"),
        ({"response_min_reduction_pct": 101}, "response_min_reduction_pct"),
        ({"partial_response_min_reduction_pct": 51}, "partial_response_min_reduction_pct"),
    ],
)
def test_it_rejects_an_outcome_rule_that_makes_no_sense(kwargs, field):
    values = {"remission_below_total": 5, "worsening_min_increase_points": 5} | kwargs
    with pytest.raises(OutcomeError, match=field):
        OutcomeRule("PHQ-9", 27, **values)


def test_outcome_error_is_a_value_error():
    assert issubclass(OutcomeError, ValueError)


@pytest.mark.parametrize(("current", "met"), [(4, True), (10, True), (11, False), (25, False)])
def test_it_counts_remission_and_response_as_meeting_response(current, met):
    assert meets_response("PHQ-9", 20, current) is met  # 4 remission, 10 response, 11 partial, 25 worsening


# --- response_lost -----------------------------------------------------------------------------------

# Baseline PHQ-9 20: a score of 10 or less meets response (drop ≥ 10), 4 or less is remission.


@pytest.mark.parametrize(
    ("totals", "lost"),
    [
        ([8, 12, 14], True),  # response, then two scores above 10
        ([4, 12, 14], True),  # remission, then lost
        ([8, 12, 8, 12, 14], True),  # regained, then lost again
        ([8, 12], False),  # no score meets response before the last two
        ([8, 12, 9], False),  # the latest score meets response again
        ([8, 9, 11], False),  # only one non-responding score so far
        ([12, 14, 15], False),  # never met response
        ([8, 10, 10], False),  # 10 is exactly 50 %: still response
        ([8, 11, 11], True),  # 11 is 45 %: not response
        ([], False),
        ([8], False),
    ],
)
def test_it_detects_response_lost_on_two_consecutive_scores(totals, lost):
    assert response_lost(totals, 20, "PHQ-9") is lost


def test_it_names_the_bad_score_in_response_lost():
    with pytest.raises(OutcomeError, match=r"totals_in_order\[1\]: 28 is outside 0–27"):
        response_lost([8, 28, 14], 20, "PHQ-9")


def test_it_rejects_totals_that_are_not_a_list():
    with pytest.raises(OutcomeError, match="totals_in_order: expected a list of ints"):
        response_lost("81214", 20, "PHQ-9")


# --- sessions to response ----------------------------------------------------------------------------


def test_it_finds_the_session_of_first_response_even_when_a_session_had_no_score():
    # baseline 20; session 1: 18, session 2: 15, session 3 unscored, session 4: 10 (drop 10 = 50 %)
    assert sessions_to_response([(1, 18), (2, 15), (4, 10)], 20, "PHQ-9") == 4


def test_it_counts_remission_as_response_for_sessions_to_response():
    assert sessions_to_response([(1, 4)], 6, "PHQ-9") == 1  # 4 < 5; a drop of 2 of 6 alone would not do


def test_it_returns_none_when_response_never_came():
    assert sessions_to_response([(1, 18), (2, 15), (3, 11)], 20, "PHQ-9") is None
    assert sessions_to_response([], 20, "PHQ-9") is None


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ([(2, 15), (2, 10)], r"scored_sessions\[1\] session_number: 2 is not after 2"),
        ([(0, 10)], r"scored_sessions\[0\] session_number: 0 is outside"),
        ([(1, 28)], r"scored_sessions\[0\] total: 28 is outside 0–27"),
        ([(1, 15, 3)], r"scored_sessions\[0\]: expected \(session_number, total\)"),
        ([[1, 15]], r"scored_sessions\[0\]: expected \(session_number, total\)"),
    ],
)
def test_it_rejects_bad_scored_sessions_naming_the_entry(sessions, message):
    with pytest.raises(OutcomeError, match=message):
        sessions_to_response(sessions, 20, "PHQ-9")


@pytest.mark.parametrize(
    ("sessions", "median"),
    [
        ([3, None, 5, 4], Decimal(4)),  # responders 3, 4, 5 → middle 4
        ([6, 3], Decimal("4.5")),  # (3 + 6) / 2
        ([2], Decimal(2)),
        ([None, None], None),
        ([], None),
    ],
)
def test_it_takes_the_median_sessions_to_response_over_responders(sessions, median):
    assert median_sessions_to_response(sessions) == median


@pytest.mark.parametrize("bad", [0, True, 2.5])
def test_it_rejects_a_session_count_that_is_not_a_positive_int(bad):
    with pytest.raises(OutcomeError, match=r"sessions\[1\]"):
        median_sessions_to_response([3, bad])


def test_it_summarises_response_for_the_outcomes_page():
    assert summarize_response([3, None, 5, 4]) == ResponseSummary(
        courses=4, responders=3, median_sessions_to_response=Decimal(4)
    )


# --- percent change for display ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "current", "pct"),
    [
        (20, 10, Decimal("50.0")),  # 10/20
        (27, 14, Decimal("48.1")),  # 1300/27 = 48.148…
        (16, 15, Decimal("6.3")),  # 100/16 = 6.25 → half up 6.3
        (10, 15, Decimal("-50.0")),  # worse by 5 of 10
        (0, 3, None),  # no percentage from a zero baseline
    ],
)
def test_it_gives_the_reduction_in_percent(baseline, current, pct):
    assert reduction_pct("PHQ-9", baseline, current) == pct
