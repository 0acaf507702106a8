"""The router every endpoint module of this area adds to (mounted at /api/v1/visits/)."""

from ninja import Router

router = Router(tags=["visits"])
