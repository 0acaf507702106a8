"""Which scores a course's outcome compares: baseline, end of induction, 3 months (clinical.course_summary)."""

import datetime as dt

import pytest

from ketaclinic.clinical.course_summary import OutcomeWindows, ScoredPoint, summarize_course
from ketaclinic.clinical.outcomes import OutcomeError

START = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def test_the_baseline_is_the_last_score_on_or_before_the_start_with_no_session_before_it():
    points = [ScoredPoint(day(-20), 24), ScoredPoint(day(0), 20, 0), ScoredPoint(day(2), 15, 1)]
    result = summarize_course("PHQ-9", points, started_on=START, induction_ended_on=None)
    assert (result.baseline_total, result.baseline_taken_on) == (20, day(0))


def test_a_course_without_a_baseline_is_not_classified():
    result = summarize_course("PHQ-9", [ScoredPoint(day(3), 8, 2)], started_on=START, induction_ended_on=day(14))
    assert not result.has_baseline and result.end_of_induction_class is None and result.latest_total is None


def test_end_of_induction_is_the_last_score_within_seven_days_of_its_end():
    # baseline 20; day 13 total 10 → 100×10 ≥ 50×20 → response; day 22 is outside [14−7, 14+7] = [7, 21].
    points = [ScoredPoint(day(0), 20), ScoredPoint(day(4), 14, 2), ScoredPoint(day(13), 10, 6), ScoredPoint(day(22), 4, 6)]
    result = summarize_course("PHQ-9", points, started_on=START, induction_ended_on=day(14))
    assert (result.end_of_induction_total, result.end_of_induction_class) == (10, "response")
    assert (result.latest_total, result.latest_class) == (4, "remission")


@pytest.mark.parametrize(("taken", "inside"), [(6, False), (7, True), (21, True), (22, False)])
def test_the_end_of_induction_window_edges_are_inclusive(taken, inside):
    points = [ScoredPoint(day(0), 20), ScoredPoint(day(taken), 12, 3)]
    result = summarize_course("PHQ-9", points, started_on=START, induction_ended_on=day(14))
    assert (result.end_of_induction_total == 12) is inside


def test_no_end_of_induction_score_while_induction_is_under_way():
    points = [ScoredPoint(day(0), 20), ScoredPoint(day(4), 9, 2)]
    assert summarize_course("PHQ-9", points, started_on=START, induction_ended_on=None).end_of_induction_total is None


@pytest.mark.parametrize(("taken", "inside"), [(75, False), (76, True), (104, True), (105, False)])
def test_the_three_month_window_is_90_plus_or_minus_14_days_inclusive(taken, inside):
    points = [ScoredPoint(day(0), 20), ScoredPoint(day(taken), 6, 8)]
    result = summarize_course("PHQ-9", points, started_on=START, induction_ended_on=day(14))
    assert (result.month3_total == 6) is inside


def test_the_three_month_score_is_the_one_nearest_day_90_and_a_tie_goes_to_the_later():
    points = [ScoredPoint(day(0), 20), ScoredPoint(day(80), 12, 8), ScoredPoint(day(88), 11, 8), ScoredPoint(day(92), 4, 9)]
    # |88−90| = |92−90| = 2: the later (day 92, total 4 < 5 → remission) wins.
    result = summarize_course("PHQ-9", points, started_on=START, induction_ended_on=day(14))
    assert (result.month3_total, result.month3_class) == (4, "remission")


def test_sessions_to_response_uses_the_lowest_score_after_each_session():
    # baseline 20; after 1 session 18 and 16 (16 > 10: not yet); after 3 sessions 10 → 100×10 ≥ 50×20 → session 3.
    points = [ScoredPoint(day(0), 20, 0), ScoredPoint(day(1), 18, 1), ScoredPoint(day(2), 16, 1),
              ScoredPoint(day(5), 10, 3), ScoredPoint(day(7), 8, 4)]
    assert summarize_course("PHQ-9", points, started_on=START, induction_ended_on=None).sessions_to_response == 3


def test_response_lost_after_two_scores_that_no_longer_meet_it():
    # baseline 22: 11 meets (100×11 ≥ 50×22), then 15 and 16 do not → lost.
    points = [ScoredPoint(day(0), 22), ScoredPoint(day(13), 11, 6), ScoredPoint(day(41), 15, 6), ScoredPoint(day(69), 16, 7)]
    assert summarize_course("PHQ-9", points, started_on=START, induction_ended_on=day(13)).response_lost is True
    assert summarize_course("PHQ-9", points[:3], started_on=START, induction_ended_on=day(13)).response_lost is False


def test_gad7_courses_use_the_gad7_rule():
    # baseline 16 → 12: rise? no; drop 4 → 100×4 = 400 ≥ 25×16 = 400 → partial-response (exact edge).
    points = [ScoredPoint(day(0), 16), ScoredPoint(day(13), 12, 6)]
    assert summarize_course("GAD-7", points, started_on=START, induction_ended_on=day(14)).end_of_induction_class == "partial-response"


def test_it_refuses_a_scale_without_an_outcome_rule_and_bad_windows():
    with pytest.raises(OutcomeError, match="code: no outcome rule for 'PCL-5'"):
        summarize_course("PCL-5", [], started_on=START, induction_ended_on=None)
    with pytest.raises(OutcomeError, match="month3_half_window_days: -1 is outside"):
        OutcomeWindows(month3_half_window_days=-1)
