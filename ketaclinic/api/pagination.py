"""The API's one pagination: `limit` (1–100, default 25) and `offset` (0–10,000,000), answered with
`{"items": [...], "count": N}`. Bounded so a huge number is a 422 naming the parameter, not a database error."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
DEFAULT_LIMIT = 25
MAX_OFFSET = 10_000_000
MAX_ID = 2**63 - 1  # the largest id a 64-bit database integer holds; larger is a 422, not a database error


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page, at most {MAX_LIMIT}.")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
