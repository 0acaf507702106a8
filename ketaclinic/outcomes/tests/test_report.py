"""The clinic outcomes page: response and remission at the end of induction and at 3 months, by condition and
route, with denominators and the share without follow-up; median sessions to response; CSV; booster review."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_patient, make_staff
from ketaclinic.accounts.models import AuditEvent, Membership
from ketaclinic.accounts.roles import Role
from ketaclinic.outcomes import reports, services
from ketaclinic.outcomes.tests.conftest import at, phq9_for_total


def _course(clinic, n, user, *, baseline, end=None, month3=None, later=(), route="iv-ketamine", condition="major-depression",
            induction_done=True, started_days_ago=120, sessions=6):
    """A course with a baseline on its first day, an end-of-induction score on day 14, a 3-month score on day 90."""
    patient = make_patient(clinic, n)
    today = timezone.localdate(timezone.now(), clinic.tz)
    start = today - dt.timedelta(days=started_days_ago)
    course = services.start_course(patient, route=route, condition=condition, started_on=start, acting_user=user)

    def score(total, day, session):
        services.record_response(patient, "PHQ-9", phq9_for_total(total), acting_user=user, entered_by_patient=False,
                                 taken_at=at(start + dt.timedelta(days=day), clinic), session_number=session, course=course)

    if baseline is not None:
        score(baseline, 0, 0)
    if end is not None:
        score(end, 13, sessions)
    if induction_done:
        course = services.complete_induction(course, on=start + dt.timedelta(days=14), acting_user=user)
    if month3 is not None:
        score(month3, 90, sessions + 2)
    for index, total in enumerate(later):
        score(total, 100 + 7 * index, sessions + 3 + index)
    return course


@pytest.fixture
def clinic_courses(westside, alice):
    """Hand-worked: five IV depression courses and one esketamine course.
    1: 20 → 4 (remission), month3 3 (remission)       3: 20 → 15 (25 % partial), month3 none
    2: 22 → 11 (response: 100×11 ≥ 50×22), month3 12  4: 20, no end score (no follow-up)
    5: no baseline at all (no follow-up)                6 (esketamine): 24 → 12 (response), still in induction? no: done
    """
    return [
        _course(westside, 1, alice, baseline=20, end=4, month3=3, sessions=3),
        _course(westside, 2, alice, baseline=22, end=11, month3=12, sessions=5),
        _course(westside, 3, alice, baseline=20, end=15),
        _course(westside, 4, alice, baseline=20),
        _course(westside, 5, alice, baseline=None, end=9),
        _course(westside, 6, alice, baseline=24, end=12, route="esketamine", sessions=8),
    ]


def test_the_end_of_induction_figures_the_directory_reads(clinic_courses, westside):
    result = reports.clinic_induction_outcomes([westside.pk], route="iv-ketamine")
    # 5 IV courses ended induction; 2 without follow-up (4: no end score, 5: no baseline); measured 3;
    # responders 2 (remission counts as response) → 2/3 = 66.7 %; remitters 1 → 33.3 %.
    assert result == {"courses": 5, "responders": 2, "remitters": 1, "no_follow_up": 2, "measured": 3,
                      "response_rate": Decimal("66.7"), "remission_rate": Decimal("33.3"), "no_follow_up_share": Decimal("40.0")}
    assert reports.clinic_induction_outcomes([westside.pk], condition="ptsd")["response_rate"] is None


def test_the_table_by_condition_and_route_with_3_months_and_sessions_to_response(clinic_courses, westside):
    rows = reports.outcome_table([westside.pk], today=timezone.localdate(timezone.now(), westside.tz))
    esk, iv, total = rows
    assert (iv.condition, iv.route, iv.started, iv.no_baseline) == ("major-depression", "iv-ketamine", 5, 1)
    assert iv.baseline == {"severe": 4}  # 20, 22, 20, 20 are all ≥ 20
    # 3 months (all started 120 days ago, window closed): 5 courses; with a month-3 score: 1 (3) and 2 (12 vs 22:
    # 100×10 < 50×22 → partial); measured 2, responders 1, remitters 1, no follow-up 3.
    assert (iv.month3.courses, iv.month3.measured, iv.month3.responders, iv.month3.remitters) == (5, 2, 1, 1)
    # Sessions to response: course 1 after 3 sessions, course 2 after 5 → median 4.
    assert iv.sessions == [3, 5] or sorted(iv.sessions) == [3, 5]
    assert iv.median_sessions_to_response == Decimal(4)
    assert (esk.route, esk.induction.responders, esk.median_sessions_to_response) == ("esketamine", 1, Decimal(8))
    assert (total.started, total.induction.courses, total.induction.responders) == (6, 6, 3)


def test_courses_still_in_induction_or_too_recent_are_not_in_the_denominators(westside, alice):
    _course(westside, 1, alice, baseline=20, end=8, induction_done=False, started_days_ago=16)
    (row, total) = reports.outcome_table([westside.pk], today=timezone.localdate(timezone.now(), westside.tz))
    assert (row.started, row.induction.courses, row.month3.courses) == (1, 0, 0)


def test_a_stopped_course_counts_in_the_end_of_induction_denominator(westside, alice):
    course = _course(westside, 1, alice, baseline=20, induction_done=False)
    services.change_course_status(course, status="stopped", on=course.started_on + dt.timedelta(days=5), acting_user=alice)
    assert reports.clinic_induction_outcomes([westside.pk])["courses"] == 1
    assert reports.clinic_induction_outcomes([westside.pk])["no_follow_up"] == 1


def test_the_booster_review_lists_lost_responses(westside, alice, client_for):
    lost = _course(westside, 1, alice, baseline=22, end=10, month3=9, later=(15, 16))  # met, then two misses
    _course(westside, 2, alice, baseline=22, end=10, month3=9, later=(15,))  # one miss only
    assert [o.course_id for o in reports.booster_review([westside.pk])] == [lost.pk]
    page = client_for(alice).get(reverse("outcomes:report")).text
    assert "Booster review" in page and lost.patient.display_name in page


def test_the_page_shows_denominators_and_the_no_follow_up_share(clinic_courses, client_for, alice):
    text = client_for(alice).get(reverse("outcomes:report")).text
    assert "66.7 %" in text and "2 of 3" in text and "2 no follow-up (40.0 %)" in text
    assert AuditEvent.objects.filter(object_type="outcomes_report", action="view", actor=alice).exists()


def test_the_csv_export(clinic_courses, client_for, alice):
    response = client_for(alice).get(reverse("outcomes:report_csv"))
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    iv = next(r for r in rows if r["route"] == "iv-ketamine")
    assert (iv["induction_courses"], iv["induction_no_follow_up"], iv["induction_response_pct"], iv["median_sessions_to_response"]) == (
        "5", "2", "66.7", "4")
    assert rows[-1]["condition"] == "all"
    assert AuditEvent.objects.filter(object_type="outcomes_report", action="export").exists()


def test_the_network_scope_adds_the_networks_other_clinics_only(westside, network, alice, pasadena, charlie):
    from conftest import make_clinic

    eastside = make_clinic(network, "Eastside", "ES")
    Membership.objects.create(user=alice, clinic=eastside, role=Role.PHYSICIAN)
    _course(westside, 1, alice, baseline=20, end=8)
    _course(eastside, 1, alice, baseline=20, end=8)
    _course(pasadena, 1, charlie, baseline=20, end=8)  # another network: never counted for alice
    from django.test import Client

    client = Client()
    client.force_login(alice)
    clinic_rows = client.get(reverse("outcomes:report")).context["rows"]
    network_rows = client.get(reverse("outcomes:report") + "?scope=network").context["rows"]
    assert clinic_rows[-1].started == 1 and network_rows[-1].started == 2


def test_charlie_never_sees_westside_outcomes(clinic_courses, client_for, charlie):
    rows = client_for(charlie).get(reverse("outcomes:report")).context["rows"]
    assert rows == []
    assert client_for(charlie).get(reverse("outcomes:report") + "?scope=network").context["rows"] == []


def test_roles_without_outcomes_view_get_403_and_patients_404(client_for, westside, pat):
    desk = make_staff("desk", westside, Role.FRONT_DESK)
    for url in (reverse("outcomes:report"), reverse("outcomes:report_csv"), reverse("outcomes:booster_review")):
        assert client_for(desk).get(url).status_code == 403
        assert client_for(pat).get(url).status_code == 404


def _count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_outcomes_page_and_its_lists_run_a_constant_number_of_queries(westside, alice, client_for):
    client = client_for(alice)
    urls = [reverse("outcomes:report"), reverse("outcomes:report") + "?scope=network", reverse("outcomes:booster_review"),
            reverse("outcomes:report_csv")]
    counts = []
    n = 0
    conditions = ["major-depression", "generalized-anxiety", "ptsd"]
    for added in (5, 45):  # 5 courses, then 50
        for _ in range(added):
            n += 1
            _course(westside, n, alice, baseline=22, end=10, month3=9, later=(15, 16) if n % 2 else (),
                    condition=conditions[n % 3] if n > 3 else "major-depression", route="esketamine" if n % 4 == 0 else "iv-ketamine")
        counts.append([_count_queries(client, url) for url in urls])
    assert counts[0] == counts[1]
