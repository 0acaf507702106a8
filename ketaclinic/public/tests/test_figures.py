import ast
from decimal import Decimal
from pathlib import Path

import pytest

from ketaclinic.public import figures
from ketaclinic.public.figures import (
    OUTCOMES_MIN_COURSES, InductionOutcomes, percent, present_outcomes, summarize_ratings,
)


def test_outcomes_are_hidden_below_the_minimum_count_of_measured_courses():
    # 12 courses, 3 with no end-of-induction score: 9 measured, one short of 10.
    shown = present_outcomes(InductionOutcomes(courses=12, responders=6, remitters=3, no_follow_up=3))
    assert OUTCOMES_MIN_COURSES == 10
    assert not shown.shown and shown.response is None and shown.remission is None and shown.lost_to_follow_up is None


def test_outcomes_are_shown_at_the_minimum_with_their_counts_and_the_share_lost():
    # 13 courses, 3 lost: 10 measured. Response 6/10 = 60 %, remission 3/10 = 30 %, lost 3/13 = 23.08 % -> 23 %.
    shown = present_outcomes(InductionOutcomes(courses=13, responders=6, remitters=3, no_follow_up=3))
    assert shown.shown
    assert (shown.response.count, shown.response.of, shown.response.pct) == (6, 10, 60)
    assert (shown.remission.count, shown.remission.of, shown.remission.pct) == (3, 10, 30)
    assert (shown.lost_to_follow_up.count, shown.lost_to_follow_up.of, shown.lost_to_follow_up.pct) == (3, 13, 23)


def test_no_report_shows_nothing():
    assert not present_outcomes(None).shown


def test_percent_rounds_half_up_in_integers():
    assert percent(1, 8) == 13  # 12.5 -> 13
    assert percent(1, 3) == 33  # 33.3 -> 33
    assert percent(2, 3) == 67  # 66.7 -> 67
    with pytest.raises(ValueError, match="^whole"):
        percent(1, 0)


@pytest.mark.parametrize("kwargs, field", [
    (dict(courses=5, responders=1, remitters=0, no_follow_up=6), "no_follow_up"),
    (dict(courses=5, responders=5, remitters=0, no_follow_up=1), "responders"),
    (dict(courses=-1, responders=0, remitters=0, no_follow_up=0), "courses"),
])
def test_inconsistent_counts_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        InductionOutcomes(**kwargs)


def test_ratings_average_to_one_decimal_with_their_count():
    # 5 + 4 + 4 = 13 stars over 3 reviews = 4.333 -> 4.3
    assert summarize_ratings(13, 3) == figures.RatingSummary(3, Decimal("4.3"))
    # 9 / 2 = 4.5 stays 4.5; 0 reviews has no average
    assert summarize_ratings(9, 2).average == Decimal("4.5")
    assert summarize_ratings(0, 0) == figures.RatingSummary(0, None)


def test_the_figures_module_imports_no_django():
    tree = ast.parse(Path(figures.__file__).read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert not any(m.startswith("django") for m in modules)
