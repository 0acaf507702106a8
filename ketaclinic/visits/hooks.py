"""Let other areas act when a visit is discharged (billing creates its charges, for one).

    from ketaclinic.visits.hooks import register_on_discharge
    register_on_discharge(lambda visit: ...)

Register from your AppConfig.ready(). Each function gets the discharged ``Visit`` after the discharge has
committed (``transaction.on_commit``), so it never sees a discharge that was rolled back. A function that
raises is logged and the others still run: one area's bug must not lose another area's work.
"""

import logging
from typing import Callable

log = logging.getLogger(__name__)

_ON_DISCHARGE: list[Callable] = []


def register_on_discharge(fn: Callable) -> None:
    if fn not in _ON_DISCHARGE:
        _ON_DISCHARGE.append(fn)


def unregister_on_discharge(fn: Callable) -> None:
    """For tests that register a recording fake."""
    if fn in _ON_DISCHARGE:
        _ON_DISCHARGE.remove(fn)


def fire_discharged(visit_id: int) -> None:
    """Called on commit: reloads the visit so every hook sees the committed row."""
    from ketaclinic.visits.models import Visit

    visit = Visit.objects.select_related("patient", "clinic").get(pk=visit_id)
    for fn in list(_ON_DISCHARGE):
        try:
            fn(visit)
        except Exception:  # noqa: BLE001 — see the module docstring
            log.exception("on-discharge hook %s failed for visit %s", getattr(fn, "__qualname__", fn), visit_id)
