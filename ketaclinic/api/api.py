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

from ketaclinic.api import clinics, fhir_api, patients  # noqa: E402  (routers need `api` above)
from ketaclinic.billing import api as billing_api  # noqa: E402
from ketaclinic.intake import api as intake_api  # noqa: E402
from ketaclinic.ledger import api as ledger_api  # noqa: E402
from ketaclinic.outcomes import api as outcomes_api  # noqa: E402
from ketaclinic.plans import api as plans_api  # noqa: E402
from ketaclinic.public import api as public_api  # noqa: E402
from ketaclinic.visits import api as visits_api  # noqa: E402

api.add_router("/clinics", clinics.router)
api.add_router("/patients", patients.router)
api.add_router("/fhir", fhir_api.router)
# Each area of the clinic owns its router and chooses its own paths under /api/v1/<area>/.
api.add_router("/outcomes", outcomes_api.router)
api.add_router("/intake", intake_api.router)
api.add_router("/plans", plans_api.router)
api.add_router("/visits", visits_api.router)
api.add_router("/ledger", ledger_api.router)
api.add_router("/billing", billing_api.router)
api.add_router("/public", public_api.router)
