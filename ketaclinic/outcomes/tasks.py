"""Background work: the urgent-task email to the clinic's clinicians. It names no patient (ids in the link only)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from ketaclinic.accounts.models import Membership
from ketaclinic.accounts.roles import ROLE_PERMISSIONS, Perm

ACKNOWLEDGING_ROLES = sorted(role for role, perms in ROLE_PERMISSIONS.items() if Perm.SAFETY_ACKNOWLEDGE in perms)


@task()
def notify_safety_task(task_id: int) -> int:
    from ketaclinic.outcomes.models import SafetyTask

    safety_task = SafetyTask.objects.select_related("clinic").get(pk=task_id)
    emails = sorted(set(
        Membership.objects.filter(clinic=safety_task.clinic, role__in=ACKNOWLEDGING_ROLES, user__is_active=True)
        .exclude(user__email="").values_list("user__email", flat=True)
    ))
    if not emails:
        return 0
    link = settings.SITE_URL.rstrip("/") + reverse("outcomes:safety_task", args=[safety_task.pk])
    send_mail(
        subject=f"URGENT: safety task at {safety_task.clinic.name}",
        message=(
            "A patient's questionnaire answer signals a risk of self-harm and needs a clinician now.\n"
            f"Open the task (sign-in required): {link}\n"
            "Acknowledge it in KetaClinic with what was done."
        ),
        from_email=None,
        recipient_list=emails,
    )
    return len(emails)
