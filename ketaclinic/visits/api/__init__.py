"""The session-day API, mounted at /api/v1/visits/ (see ketaclinic/api/api.py).

Every endpoint starts with ``personal_only`` except posting a reading, which a monitor's device token may do.
"""

from ketaclinic.visits.api import flowsheet, records, visits  # noqa: F401  (they add their endpoints)
from ketaclinic.visits.api.base import router

__all__ = ["router"]
