"""The intake area's JSON API, mounted at /api/v1/intake/. Same access rules and services as the pages."""

from ninja import Router

router = Router(tags=["intake"])

from ketaclinic.intake.api import candidacy, consultations, intakes  # noqa: E402,F401  (they add to router)
