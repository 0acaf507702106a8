"""/api/v1/outcomes/: the same services and access rules as the pages. Charlie gets 404; a patient sees and
answers only their own questionnaires; bad answers answer 422 naming the item."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ketaclinic.accounts.models import ApiToken
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import QuestionnaireAssignment, QuestionnaireResponse, SafetyTask
from ketaclinic.outcomes.tests.conftest import PHQ9_ITEM9, PHQ9_MILD_7


def test_a_clinician_starts_a_course_and_completes_its_induction(api, alice, patient, today):
    call = api(alice)
    response = call("post", "/outcomes/courses", {"patient_id": patient.pk, "route": "iv-ketamine",
                                                  "condition": "major-depression", "started_on": str(today - dt.timedelta(days=14))})
    assert response.status_code == 201 and response.json()["primary_scale"] == "PHQ-9"
    course_id = response.json()["id"]
    done = call("post", f"/outcomes/courses/{course_id}/induction-complete", {"on": str(today)})
    assert done.status_code == 200 and done.json()["status"] == "maintenance"


def test_a_bad_course_answers_422_naming_the_field(api, alice, patient, today):
    response = api(alice)("post", "/outcomes/courses", {"patient_id": patient.pk, "route": "oral",
                                                        "condition": "major-depression", "started_on": str(today)})
    assert response.status_code == 422 and "route" in response.json()["errors"]


def test_a_patient_submits_their_own_answers_and_learns_a_task_was_opened(api, pat, patient):
    response = api(pat)("post", "/outcomes/responses", {"patient_id": patient.pk, "instrument": "PHQ-9", "answers": PHQ9_ITEM9})
    body = response.json()
    assert response.status_code == 201 and body["total"] == 11 and body["flags"] == ["suicidal-ideation"]
    assert body["safety_task_opened"] is True and body["loinc_panel"] == "44249-1" and body["entered_by_patient"] is True
    assert SafetyTask.objects.filter(patient=patient).count() == 1


def test_bad_answers_answer_422_naming_the_item(api, alice, patient):
    response = api(alice)("post", "/outcomes/responses", {"patient_id": patient.pk, "instrument": "PHQ-9",
                                                          "answers": [1, 1, 1, 1, 1, 1, 1, 1, 4]})
    assert response.status_code == 422
    assert response.json()["errors"] == {"item_9": ["PHQ-9 item 9: 4 is outside 0–3"]}
    assert not QuestionnaireResponse.objects.exists()


def test_a_draft_through_the_api_is_not_scored(api, pat, patient):
    response = api(pat)("post", "/outcomes/responses", {"patient_id": patient.pk, "instrument": "PHQ-9",
                                                        "answers": [1, None, 2], "draft": True})
    assert response.status_code == 201 and response.json()["status"] == "draft" and response.json()["total"] is None


def test_a_patient_cannot_answer_for_another_patient_or_read_their_responses(api, pat, quinn, patient, other_patient, alice):
    theirs = services.record_response(other_patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    call = api(pat)
    assert call("post", "/outcomes/responses", {"patient_id": other_patient.pk, "instrument": "PHQ-9",
                                                "answers": PHQ9_MILD_7}).status_code == 404
    assert call("get", f"/outcomes/responses/{theirs.pk}").status_code == 404
    assert call("get", f"/outcomes/responses?patient_id={other_patient.pk}").status_code == 404
    assert call("get", "/outcomes/responses").json()["count"] == 0  # only their own, and they have none


def test_a_patient_reads_their_own_responses(api, pat, patient, alice):
    mine = services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=alice, entered_by_patient=False)
    call = api(pat)
    assert [r["id"] for r in call("get", "/outcomes/responses").json()["items"]] == [mine.pk]
    assert call("get", f"/outcomes/responses/{mine.pk}").json()["answers"] == PHQ9_MILD_7


def test_charlie_gets_404_on_every_westside_record(api, charlie, alice, patient, course, pat, today):
    response = services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)
    task = SafetyTask.objects.get()
    call = api(charlie)
    for method, path, body in [
        ("get", f"/outcomes/courses/{course.pk}", None),
        ("get", f"/outcomes/courses?patient_id={patient.pk}", None),
        ("post", f"/outcomes/courses/{course.pk}/induction-complete", {"on": str(today)}),
        ("post", "/outcomes/courses", {"patient_id": patient.pk, "route": "iv-ketamine", "condition": "ocd", "started_on": str(today)}),
        ("get", f"/outcomes/responses/{response.pk}", None),
        ("get", f"/outcomes/responses?patient_id={patient.pk}", None),
        ("post", "/outcomes/responses", {"patient_id": patient.pk, "instrument": "PHQ-9", "answers": PHQ9_MILD_7}),
        ("get", f"/outcomes/assignments?patient_id={patient.pk}", None),
        ("post", "/outcomes/assignments", {"patient_id": patient.pk, "instrument": "PHQ-9", "due_at": timezone.now().isoformat()}),
        ("post", f"/outcomes/safety-tasks/{task.pk}/acknowledge", {"action_taken": "Called the patient, all fine."}),
        ("get", f"/outcomes/reports/induction?clinic_id={patient.clinic_id}", None),
    ]:
        assert call(method, path, body).status_code == 404, path
    assert call("get", "/outcomes/responses").json()["count"] == 0
    assert call("get", "/outcomes/safety-tasks").json()["count"] == 0


def test_a_clinician_assigns_and_the_patient_sees_it(api, alice, pat, patient):
    response = api(alice)("post", "/outcomes/assignments", {"patient_id": patient.pk, "instrument": "GAD-7",
                                                            "due_at": timezone.now().isoformat()})
    assert response.status_code == 201
    mine = api(pat)("get", "/outcomes/assignments?status=open").json()
    assert [a["instrument"] for a in mine["items"]] == ["GAD-7"]
    answered = api(pat)("post", "/outcomes/responses", {"patient_id": patient.pk, "instrument": "GAD-7",
                                                        "answers": [0] * 7, "assignment_id": response.json()["id"]})
    assert answered.status_code == 201 and answered.json()["assignment_id"] == response.json()["id"]


def test_a_patient_cannot_assign_or_start_courses(api, pat, patient, today):
    call = api(pat)
    assert call("post", "/outcomes/assignments", {"patient_id": patient.pk, "instrument": "PHQ-9",
                                                  "due_at": timezone.now().isoformat()}).status_code == 403
    assert call("post", "/outcomes/courses", {"patient_id": patient.pk, "route": "iv-ketamine", "condition": "ocd",
                                              "started_on": str(today)}).status_code == 403


def test_safety_tasks_are_listed_and_acknowledged(api, alice, pat, patient):
    services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)
    call = api(alice)
    (task,) = call("get", "/outcomes/safety-tasks").json()["items"]
    assert call("post", f"/outcomes/safety-tasks/{task['id']}/acknowledge", {"action_taken": "x"}).status_code == 422
    done = call("post", f"/outcomes/safety-tasks/{task['id']}/acknowledge", {"action_taken": "Called; safety plan reviewed."})
    assert done.status_code == 200 and done.json()["acknowledged_by_id"] == alice.pk
    assert call("get", "/outcomes/safety-tasks").json()["count"] == 0


def test_a_device_token_may_not_read_questionnaires(api, alice):
    assert api(alice, kind=ApiToken.Kind.DEVICE)("get", "/outcomes/responses").status_code == 403


def test_the_instruments_are_described_without_licensed_wording(api, alice):
    scales = {s["code"]: s for s in api(alice)("get", "/outcomes/instruments").json()}
    assert scales["PHQ-9"]["self_report"] and scales["PHQ-9"]["items"][8]["loinc"] == "44260-8"
    assert scales["C-SSRS"]["items"][0]["wording"] is None and not scales["C-SSRS"]["self_report"]
    assert [b["label"] for b in scales["GAD-7"]["bands"]] == ["minimal", "mild", "moderate", "severe"]


def test_the_induction_report_for_a_clinic(api, alice, westside):
    body = api(alice)("get", f"/outcomes/reports/induction?clinic_id={westside.pk}").json()
    assert body == {"courses": 0, "responders": 0, "remitters": 0, "no_follow_up": 0, "measured": 0,
                    "response_rate": None, "remission_rate": None, "no_follow_up_share": None}


@pytest.mark.parametrize("path", ["/outcomes/responses", "/outcomes/assignments", "/outcomes/courses", "/outcomes/safety-tasks"])
def test_the_lists_run_a_constant_number_of_queries(api, alice, patient, pat, path, westside):
    call = api(alice)
    counts = []
    for added in (5, 45):
        for _ in range(added):
            services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)
            QuestionnaireAssignment.objects.create(patient=patient, clinic=patient.clinic, instrument="PHQ-9", due_at=timezone.now())
            services.start_course(patient, route="iv-ketamine", condition="ocd",
                                  started_on=timezone.localdate(timezone.now(), westside.tz), acting_user=alice)
        call("get", path)
        with CaptureQueriesContext(connection) as queries:
            assert call("get", path + "?limit=100").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
