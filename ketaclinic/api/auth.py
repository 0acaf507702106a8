from django.utils import timezone
from ninja.security import HttpBearer, django_auth

from ketaclinic.accounts.models import ApiToken

# Write the last-used time at most this often, so reading a token is not a write on every request.
LAST_USED_RESOLUTION_S = 60


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kc_…`. Personal tokens act as their user; device tokens only write readings."""

    openapi_description = "A personal token from `manage.py create_api_token USERNAME`."

    def authenticate(self, request, token):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > LAST_USED_RESOLUTION_S:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.api_token = row
        request.user = row.user
        return row.user


def personal_only(request) -> None:
    """Device tokens may not read or change records; call at the top of every non-reading endpoint."""
    token = getattr(request, "api_token", None)
    if token is not None and token.kind != ApiToken.Kind.PERSONAL:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("A device token may only write readings.")


AUTH = [TokenAuth(), django_auth]
