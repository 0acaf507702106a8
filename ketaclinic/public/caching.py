"""Whole-page caching for the public site, keyed by language, path and a generation number.

Public pages hold no patient data and look the same to every visitor, so one rendering serves everyone who
reads the same page in the same language. A change that the public can see (a listing, a published review, a
reply) moves the generation on when its transaction commits, so the next visitor sees it at once; figures owned
by other areas (prices, measured outcomes) are at most ``PAGE_TTL_S`` old.

Because the same HTML goes to every visitor it cannot carry a per-visitor CSRF token: public pages therefore hold
only read-only forms (the ZIP search) and the language switch, whose views are exempt (see views/guide.py).
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

GENERATION_KEY = "public:generation"
PAGE_TTL_S = 10 * 60
# Browsers may reuse a page for a minute; the server-side cache does the rest.
BROWSER_MAX_AGE_S = 60


def generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key was evicted or never set
        cache.set(GENERATION_KEY, 2, timeout=None)


def invalidate_on_commit() -> None:
    """Call inside the transaction of a change the public can see."""
    transaction.on_commit(_bump)


def page_key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"public:page:{generation()}:{get_language()}:{path}"


def _headers(response) -> HttpResponse:
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    patch_cache_control(response, max_age=BROWSER_MAX_AGE_S)
    return response


def public_page(view):
    """Serve GET and HEAD from the cache; render and store on a miss (200 responses only)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        key = page_key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["X-Public-Cache"] = "hit"
            return _headers(response)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), PAGE_TTL_S)
            response["X-Public-Cache"] = "miss"
        return _headers(response)

    return wrapper
