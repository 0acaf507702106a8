"""When measurement-based care shows a lost response, the plan offers a booster visit."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ketaclinic.outcomes.models import QuestionnaireResponse
from ketaclinic.plans import courses, services
from ketaclinic.plans.models import PlannedSession


def score(plan, totals, instrument="PHQ-9"):
    for n, total in enumerate(totals):
        taken = dt.datetime(2026, 1, 5, 17, tzinfo=dt.UTC) + dt.timedelta(days=7 * n)
        QuestionnaireResponse.objects.create(
            patient=plan.patient, clinic=plan.clinic, course_id=plan.course_id, instrument=instrument,
            answers=[0] * 9, total=total, taken_at=taken, taken_on=taken.date(),
        )


def test_no_offer_while_the_response_holds(iv_plan):
    # baseline 22; 11 is a response (50 %); the last two (10, 9) still meet it
    score(iv_plan, [22, 16, 11, 10, 9])
    assert courses.booster_offer(iv_plan) is None


def test_an_offer_when_the_last_two_scores_lost_the_response(iv_plan):
    # baseline 22, response at 11 and 9, then 15 and 16: neither is a ≥50 % drop → response lost (clinical.md §6)
    score(iv_plan, [22, 14, 11, 9, 15, 16])
    offer = courses.booster_offer(iv_plan)
    assert (offer.scale, offer.baseline_total, offer.recent_totals) == ("PHQ-9", 22, (15, 16))


def test_the_plan_page_shows_the_offer_and_the_button_adds_a_booster(iv_plan, alice, client_for):
    score(iv_plan, [22, 14, 11, 9, 15, 16])
    client = client_for(alice)
    page = client.get(f"/plans/{iv_plan.pk}/")
    assert b"Booster offered" in page.content and b"Add a booster visit" in page.content
    response = client.post(f"/plans/{iv_plan.pk}/booster/", {"on": "2026-02-02"})
    assert response.status_code == 302 and response["Location"] == f"/plans/{iv_plan.pk}/book/"
    booster = PlannedSession.objects.get(plan=iv_plan, kind="booster")
    assert (booster.planned_on, booster.chair_min, booster.phase) == (dt.date(2026, 2, 2), 100, "maintenance")


def test_a_booster_too_soon_after_the_last_dose_is_refused(iv_plan, alice):
    # last induction dose Fri 16 Jan; the protocol asks ≥14 days → not before Fri 30 Jan
    with pytest.raises(ValidationError, match="at least 14 days after the last dose"):
        services.add_booster(iv_plan, on=dt.date(2026, 1, 29), acting_user=alice)
    services.add_booster(iv_plan, on=dt.date(2026, 1, 30), acting_user=alice)


def test_no_offer_button_for_a_plan_without_lost_response(iv_plan, alice, client_for):
    score(iv_plan, [22, 11, 10, 9])
    assert b"Booster offered" not in client_for(alice).get(f"/plans/{iv_plan.pk}/").content
