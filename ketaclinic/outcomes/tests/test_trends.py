"""Trend charts: matplotlib SVG with the instrument's severity bands, the dosing sessions, the baseline and the class."""

import datetime as dt
import xml.etree.ElementTree as ET

from django.utils import timezone

from ketaclinic.outcomes import services, trends
from ketaclinic.outcomes.tests.conftest import PHQ9_MILD_7, PHQ9_SEVERE_21, at


def _svg_text(svg: str) -> str:
    root = ET.fromstring(svg)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def test_the_chart_has_the_bands_the_baseline_and_the_change(patient, alice, course, westside):
    start = course.started_on
    services.record_response(patient, "PHQ-9", PHQ9_SEVERE_21, acting_user=alice, entered_by_patient=False, taken_at=at(start, westside, 8))
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False,
                             taken_at=at(start + dt.timedelta(days=6), westside), session_number=3)
    trend = trends.build_trend(patient, "PHQ-9")
    assert (trend.baseline_total, trend.latest_total, trend.change_points, trend.change_class) == (21, 7, -14, "response")
    text = _svg_text(trends.render_svg(trend, tz=westside.tz))
    for label in ("minimal", "mild", "moderate", "moderately severe", "severe", "baseline 21", "total score"):
        assert label in text
    assert "change -14 points (66.7 % lower): response" in text  # (21 − 7) / 21 = 66.67 % → 66.7


def test_dosing_sessions_from_the_provider_are_marked(patient, alice, course, westside, fake_dosing):
    fake_dosing.by_course[course.pk] = [at(course.started_on + dt.timedelta(days=d), westside, 10) for d in (0, 2, 4)]
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    trend = trends.build_trend(patient, "PHQ-9")
    assert len(trend.dose_times) == 3 and not trend.doses_inferred
    assert "dosing session" in _svg_text(trends.render_svg(trend, tz=westside.tz))


def test_without_dose_records_the_pre_dose_questionnaires_mark_the_days(patient, alice, course, westside):
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False, context="pre-dose")
    trend = trends.build_trend(patient, "PHQ-9")
    assert trend.doses_inferred and len(trend.dose_times) == 1
    assert "dosing day (pre-dose scale)" in _svg_text(trends.render_svg(trend, tz=westside.tz))


def test_the_bands_follow_the_instruments_own_table(patient, alice, westside):
    services.record_response(patient, "PCL-5", [2] * 20, acting_user=alice, entered_by_patient=False)
    text = _svg_text(trends.render_svg(trends.build_trend(patient, "PCL-5"), tz=westside.tz))
    assert "probable PTSD" in text and "below threshold" in text and "moderately severe" not in text


def test_an_empty_chart_says_so(patient, westside):
    trend = trends.build_trend(patient, "GAD-7")
    assert trends.describe(trend) == "No GAD-7 scores yet."
    assert "<svg" in trends.render_svg(trend, tz=westside.tz)


def test_a_single_score_gets_a_time_axis_of_days_not_years(patient, alice, westside):
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    svg = trends.render_svg(trends.build_trend(patient, "PHQ-9"), tz=westside.tz)
    today = timezone.localdate(timezone.now(), westside.tz)
    assert today.strftime("%m/%d") in _svg_text(svg) and "01/01" not in _svg_text(svg).replace(today.strftime("%m/%d"), "")
