"""System checks for configuration mistakes that would otherwise show up at the worst time."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_password_hasher(app_configs, **kwargs):
    if not settings.DEBUG and "Argon2" not in settings.PASSWORD_HASHERS[0]:
        return [Warning("The first password hasher is not Argon2.", id="ketaclinic.W001")]
    return []


@register()
def check_time_zone(app_configs, **kwargs):
    if settings.TIME_ZONE != "UTC" or not settings.USE_TZ:
        return [Error("Store times in UTC: TIME_ZONE='UTC' and USE_TZ=True; clinics carry their own zone.", id="ketaclinic.E001")]
    return []


@register()
def check_session_idle_timeout(app_configs, **kwargs):
    if settings.SESSION_COOKIE_AGE > 15 * 60 or not settings.SESSION_SAVE_EVERY_REQUEST:
        return [Error("Staff sessions must end after 15 idle minutes.", id="ketaclinic.E002")]
    return []
