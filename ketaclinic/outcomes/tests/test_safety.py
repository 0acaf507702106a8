"""The safety path: PHQ-9 item 9 or a high C-SSRS opens an urgent task, emailed on commit, shown on every staff
page for the clinic's clinicians until one acknowledges it with what was done."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import make_staff
from ketaclinic.accounts.models import AuditEvent, Membership
from ketaclinic.accounts.roles import Role
from ketaclinic.outcomes import services
from ketaclinic.outcomes.models import SafetyTask
from ketaclinic.outcomes.tests.conftest import PHQ9_ITEM9, PHQ9_MILD_7


@pytest.fixture
def item9(patient, pat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)


def test_item_9_opens_an_urgent_task_in_the_same_transaction(item9, patient):
    task = SafetyTask.objects.get()
    assert (task.patient, task.clinic, task.response, task.reason) == (patient, patient.clinic, item9, "phq9-item9")
    assert task.is_open and "item 9 answered 1 (Several days)" in task.detail
    assert AuditEvent.objects.filter(object_type="safety_task", action="create").count() == 1


def test_the_clinicians_are_emailed_on_commit_without_patient_data(alice, bob, admin, charlie, patient, pat,
                                                                   django_capture_on_commit_callbacks):
    for user in (alice, bob, admin, charlie):
        user.email = f"{user.username}@clinic.example"
        user.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)
    assert mail.outbox == [] and len(callbacks) == 1  # nothing leaves before the commit
    callbacks[0]()
    (message,) = mail.outbox
    assert sorted(message.to) == ["alice@clinic.example", "bob@clinic.example"]  # clinicians of Westside only
    assert "URGENT" in message.subject and f"/outcomes/safety/{SafetyTask.objects.get().pk}/" in message.body
    assert patient.legal_last_name not in message.body + message.subject and patient.mrn not in message.body


@pytest.mark.parametrize(("answers", "opened"), [
    ([1, 1, 0, 1, 0, 0, 0], True),   # intent (4) → high
    ([1, 1, 0, 0, 0, 1, 1], True),   # behaviour in the past 3 months (7) → high
    ([1, 1, 1, 0, 0, 1, 0], False),  # method (3), lifetime behaviour (6) → moderate
    ([1, 0, 0, 0, 0, 0, 0], False),  # wish to be dead only → low
])
def test_a_high_cssrs_triage_opens_a_task_and_lower_ones_do_not(patient, alice, answers, opened):
    response = services.record_response(patient, "C-SSRS", answers, acting_user=alice, entered_by_patient=False)
    assert SafetyTask.objects.filter(response=response, reason="cssrs-high").exists() is opened


def test_no_task_without_item_9(patient, pat):
    services.record_response(patient, "PHQ-9", PHQ9_MILD_7, acting_user=pat, entered_by_patient=True)
    assert not SafetyTask.objects.exists()


def test_the_banner_is_on_every_staff_page_for_the_clinics_clinicians(item9, client_for, alice, patient):
    client = client_for(alice)
    for url in (reverse("patients:list"), reverse("patients:chart", args=[patient.pk]), reverse("outcomes:report")):
        text = client.get(url).text
        assert "Urgent: 1 safety task open" in text and reverse("outcomes:safety_task", args=[SafetyTask.objects.get().pk]) in text


def test_other_clinics_and_roles_that_cannot_acknowledge_see_no_banner(item9, client_for, charlie, westside):
    billing = make_staff("billy", westside, Role.BILLING)
    assert "safety task" not in client_for(charlie).get(reverse("patients:list")).text
    assert "safety task" not in client_for(billing).get(reverse("patients:list")).text


def test_a_physician_of_two_clinics_sees_tasks_of_both(item9, client_for, charlie, westside):
    Membership.objects.create(user=charlie, clinic=westside, role=Role.PHYSICIAN)
    assert "Urgent: 1 safety task open" in client_for(charlie).get(reverse("patients:list")).text


def test_acknowledging_needs_what_was_done_and_then_clears_the_banner(item9, client_for, alice):
    task = SafetyTask.objects.get()
    client = client_for(alice)
    url = reverse("outcomes:safety_task", args=[task.pk])
    response = client.post(url, {"action_taken": "ok"})
    assert response.status_code == 422 and "What was done: Say what was done" in response.text
    response = client.post(url, {"action_taken": "Called the patient at 10:05; C-SSRS low; safety plan reviewed."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.acknowledged_by == alice and task.action_taken.startswith("Called") and not task.is_open
    assert "safety task open" not in client.get(reverse("patients:list")).text
    event = AuditEvent.objects.get(object_type="safety_task", action="update")
    assert event.actor == alice and event.changes["action_taken"][1].startswith("Called")


def test_a_task_is_acknowledged_once(item9, alice, bob):
    task = SafetyTask.objects.get()
    services.acknowledge_safety_task(task, action_taken="Called the patient; safe at home.", acting_user=alice)
    with pytest.raises(ValidationError, match="Already acknowledged by Alice"):
        services.acknowledge_safety_task(task, action_taken="Called again, all fine.", acting_user=bob)


def test_the_database_refuses_an_acknowledgement_without_an_action(item9):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyTask.objects.filter(pk=SafetyTask.objects.get().pk).update(acknowledged_at=timezone.now())


def test_charlie_and_patients_get_404_and_a_front_desk_403(item9, client_for, charlie, pat, westside):
    url = reverse("outcomes:safety_task", args=[SafetyTask.objects.get().pk])
    assert client_for(charlie).get(url).status_code == 404
    assert client_for(pat).get(url).status_code == 404
    desk = make_staff("desk", westside, Role.FRONT_DESK)
    assert client_for(desk).get(url).status_code == 403
    assert client_for(desk).get(reverse("outcomes:safety_list")).status_code == 403


def test_the_task_page_is_audited_as_a_chart_opening(item9, client_for, alice, patient):
    client_for(alice).get(reverse("outcomes:safety_task", args=[SafetyTask.objects.get().pk]))
    assert AuditEvent.objects.filter(action="view", patient_id=patient.pk, actor=alice, summary__contains="safety task").exists()


def _tasks(patient, pat, n):
    """n responses with item 9; every other task acknowledged, so both lists of the page fill up."""
    for index in range(n):
        services.record_response(patient, "PHQ-9", PHQ9_ITEM9, acting_user=pat, entered_by_patient=True)
        if index % 2:
            task = SafetyTask.objects.filter(acknowledged_at__isnull=True).latest("pk")
            services.acknowledge_safety_task(task, action_taken="Called the patient; safe at home.", acting_user=None)


def test_the_safety_list_and_the_banner_run_a_constant_number_of_queries(patient, pat, client_for, alice):
    client = client_for(alice)
    url = reverse("outcomes:safety_list")
    counts = []
    for added in (5, 45):  # 5 rows, then 50
        _tasks(patient, pat, added)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
