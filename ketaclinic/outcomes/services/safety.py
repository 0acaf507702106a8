"""The safety path: a response that signals suicide risk opens an urgent task for the clinic's clinicians.

PHQ-9 item 9 ≥ 1 → "route to clinician review and C-SSRS" (clinical.md §5.2); a high C-SSRS screener triage →
"immediate safety evaluation" (clinical.md §5.8 [50]). The task stays on every staff page of the clinic until a
clinician acknowledges it with what was done. Emails go out on commit and carry no patient data.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketaclinic.accounts import access, audit
from ketaclinic.accounts.roles import Perm
from ketaclinic.clinical.instruments import phq9
from ketaclinic.outcomes import scales
from ketaclinic.outcomes.models import SafetyTask

ACTION_TAKEN_MIN_CHARS = 10  # long enough to say something real ("Called; safe") rather than "ok"


def _detail(response, reason: str) -> str:
    if reason == SafetyTask.Reason.PHQ9_ITEM9:
        value = response.answers[phq9.PHQ9_SUICIDE_ITEM_NUMBER - 1]
        label = phq9.FREQUENCY_OPTIONS[value].label
        return f"PHQ-9 item 9 answered {value} ({label}); total {response.total}"
    return f"C-SSRS screener triage: {response.severity}"


def open_tasks_for_response(response, *, acting_user) -> list[SafetyTask]:
    """Call inside the response's transaction. One task per safety flag the response carries."""
    from ketaclinic.outcomes import tasks  # the task module imports models; keep start-up import order simple

    opened = []
    for flag in response.flags or ():
        reason = scales.SAFETY_FLAGS.get(flag)
        if reason is None:
            continue
        task = SafetyTask.objects.create(
            patient_id=response.patient_id, clinic_id=response.clinic_id, response=response, reason=reason,
            detail=_detail(response, reason)[:200],
        )
        audit.record(
            audit.Action.CREATE, actor=acting_user, object_type="safety_task", object_id=task.pk,
            clinic=task.clinic_id, patient=task.patient_id, summary=f"Opened urgent safety task: {task.get_reason_display()}",
        )
        transaction.on_commit(lambda task_id=task.pk: tasks.notify_safety_task.enqueue(task_id))
        opened.append(task)
    return opened


@transaction.atomic
def acknowledge_safety_task(task: SafetyTask, *, action_taken: str, acting_user) -> SafetyTask:
    task = SafetyTask.objects.select_for_update().get(pk=task.pk)
    if task.acknowledged_at is not None:
        raise ValidationError({"action_taken": (
            f"Already acknowledged by {task.acknowledged_by} at {timezone.localtime(task.acknowledged_at):%m/%d/%Y %H:%M}."
        )})
    action_taken = (action_taken or "").strip()
    if len(action_taken) < ACTION_TAKEN_MIN_CHARS:
        raise ValidationError({"action_taken": "Say what was done, e.g. who called the patient and what was agreed."})
    task.action_taken, task.acknowledged_by, task.acknowledged_at = action_taken, acting_user, timezone.now()
    task.save(update_fields=["action_taken", "acknowledged_by", "acknowledged_at"])
    audit.record(
        audit.Action.UPDATE, actor=acting_user, object_type="safety_task", object_id=task.pk, clinic=task.clinic_id,
        patient=task.patient_id, summary="Acknowledged urgent safety task",
        changes={"acknowledged_at": [None, task.acknowledged_at.isoformat()], "action_taken": ["", action_taken]},
    )
    return task


def open_safety_tasks_for(user):
    """Open tasks at every clinic where ``user`` may acknowledge them, oldest first (the banner's query)."""
    clinic_ids = access.clinic_ids(user, Perm.SAFETY_ACKNOWLEDGE)
    return (
        SafetyTask.objects.filter(clinic_id__in=clinic_ids, acknowledged_at__isnull=True)
        .select_related("patient", "clinic")
        .order_by("opened_at", "pk")
    )
