"""One error shape for the whole API: {"detail": "..."} with 400, 401, 403, 404 or 422, never a 500 for bad input."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


def _location(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "data")]
    return ".".join(parts) or "request"


def describe_django_error(error: ValidationError) -> tuple[str, dict]:
    if hasattr(error, "error_dict"):
        fields = {name: msgs for name, msgs in error.message_dict.items()}
        detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return detail, fields
    return " ".join(error.messages), {}


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def request_invalid(request, exc):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_location(err.get("loc", ())), []).append(err.get("msg", "is invalid"))
        detail = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return api.create_response(request, {"detail": detail, "errors": fields}, status=422)

    @api.exception_handler(ValidationError)
    def service_invalid(request, exc):
        detail, fields = describe_django_error(exc)
        return api.create_response(request, {"detail": detail, "errors": fields}, status=422)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, {"detail": str(exc) or "Forbidden."}, status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request, exc):
        return api.create_response(request, {"detail": "Sign in or send a valid API token."}, status=401)

    @api.exception_handler(OverflowError)
    def out_of_range(request, exc):
        # An id or number beyond the database's 64-bit integers cannot name a record.
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
