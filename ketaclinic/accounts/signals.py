from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from ketaclinic.accounts import audit


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    audit.record(audit.Action.SIGN_IN, actor=user, object_type="user", object_id=user.pk, summary="Signed in")
