from ninja import NinjaAPI

from ketaclinic.api import errors
from ketaclinic.api.auth import AUTH

api = NinjaAPI(
    title="KetaClinic API",
    version="1",
    description=(
        "The clinic's data, under the same access rules as the pages. Authenticate with "
        "`Authorization: Bearer <token>` (`manage.py create_api_token USERNAME`). Errors are "
        '`{"detail": "..."}` with 400, 401, 403, 404 or 422.'
    ),
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

from ketaclinic.api import clinics, patients  # noqa: E402  (routers need `api` above)

api.add_router("/clinics", clinics.router)
api.add_router("/patients", patients.router)
