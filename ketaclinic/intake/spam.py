"""Spam protection for the public forms, with no third-party service:

- a honeypot field people never see (bots fill every field);
- a signed timestamp: a form sent faster than a person can read it, or older than a working day, is refused;
- a rate limit per client address, counted in Django's cache under a salted hash of the address, never the
  address itself (nothing that identifies a visitor is stored).
"""

import time

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

HONEYPOT_FIELD = "website"
STAMP_FIELD = "form_stamp"
_STAMP_SALT = "ketaclinic.intake.form-stamp"
_IP_SALT = "ketaclinic.intake.rate-limit"

# A person needs longer than this to read and fill in a form; bots post at once.
MIN_FILL_S = 3
# A form left open longer than this is refused (the person reloads it); it also bounds stamp replay.
MAX_FORM_AGE_S = 8 * 60 * 60


class RateLimit:
    """At most ``limit`` hits per ``window_s`` from one client address for one ``bucket``."""

    def __init__(self, bucket: str, *, limit: int, window_s: int):
        self.bucket, self.limit, self.window_s = bucket, limit, window_s

    def key(self, request) -> str:
        address = request.META.get("REMOTE_ADDR", "")
        return f"intake:rate:{self.bucket}:{salted_hmac(_IP_SALT, address).hexdigest()}"

    def exceeded(self, request) -> bool:
        """Count this hit; True when it is over the limit."""
        key = self.key(request)
        cache.add(key, 0, timeout=self.window_s)
        try:
            return cache.incr(key) > self.limit
        except ValueError:  # the entry expired between add and incr: this is the first hit of a new window
            cache.add(key, 1, timeout=self.window_s)
            return False


# Consultation requests: a household may send a few; a flood is a bot.
CONSULTATION_LIMIT = RateLimit("consultation", limit=5, window_s=60 * 60)
# Self-screen results: generous (people change answers), but bounded so the anonymous count stays honest.
SELF_SCREEN_LIMIT = RateLimit("self-screen", limit=60, window_s=60 * 60)


def issue_stamp() -> str:
    return signing.dumps({"t": int(time.time())}, salt=_STAMP_SALT, compress=True)


def check_stamp(value: str) -> None:
    """Raise ValidationError unless the form was opened between MIN_FILL_S and MAX_FORM_AGE_S ago."""
    try:
        opened_s = int(signing.loads(value or "", salt=_STAMP_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ValidationError(_("This form could not be checked. Please reload the page and try again.")) from None
    age_s = time.time() - opened_s
    if age_s > MAX_FORM_AGE_S:
        raise ValidationError(_("This form was open too long. Please check your answers and send it again."))
    if age_s < MIN_FILL_S:
        raise ValidationError(_("That was very fast. Please check your answers and send the form again."))


def is_honeypot_filled(data) -> bool:
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
