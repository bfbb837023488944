"""One error shape for the whole API: ``{"error": {"code", "message", "fields"}}``.

Every exception an endpoint, ninja's parsing or an action may raise is turned into that shape
here, with a stable ``code`` a client can branch on, a translated ``message`` for people and,
for invalid input, ``fields`` mapping a field path (``name``, ``capabilities.0.quantity``) to
its messages. Nothing a client sends may end in a bare 500: unexpected exceptions are logged
and answered with the same shape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

logger = logging.getLogger("noturiba.api")

# Ninja prefixes each error location with where the value came from.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form", "file"})


class ErrorDetail(Schema):
    code: str = Field(
        description="Stable machine-readable reason, e.g. `invalid`, `not_found`, `forbidden`."
    )
    message: str = Field(description="Human-readable explanation in the interface language.")
    fields: dict[str, list[str]] = Field(
        default_factory=dict,
        description="For invalid input: messages per field path (`name`, `capabilities.0.code`).",
    )


class ErrorOut(Schema):
    """The body of every error response."""

    error: ErrorDetail


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Mapping[str, Sequence[str]] | None = None,
) -> HttpResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "fields": {key: [str(text) for text in texts] for key, texts in (fields or {}).items()},
        }
    }
    return JsonResponse(body, status=status)


def not_found() -> HttpResponse:
    """404 that never says whether the object exists but is hidden."""
    return error_response(404, "not_found", _("Not found."))


def method_not_allowed(allowed: str) -> HttpResponse:
    response = error_response(405, "method_not_allowed", _("This method is not allowed here."))
    if allowed:
        response["Allow"] = allowed
    return response


def _field_path(location: Sequence[Any], param_names: frozenset[str]) -> str:
    """``("body", "payload", "capabilities", 0, "quantity")`` → ``capabilities.0.quantity``."""
    parts = [str(part) for part in location]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
        # A body schema parameter adds its own name (``payload``) before the field path.
        if len(parts) > 1 and parts[0] in param_names:
            parts = parts[1:]
    return ".".join(parts) or NON_FIELD_ERRORS


def validation_fields(
    errors: Sequence[Mapping[str, Any]], param_names: frozenset[str] = frozenset({"payload"})
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        path = _field_path(error.get("loc", ()), param_names)
        fields.setdefault(path, []).append(str(error.get("msg", _("Invalid value."))))
    return fields


def on_ninja_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    # An unparseable id in the path is an address that leads nowhere: 404, not 422.
    if any(tuple(error.get("loc", ()))[:1] == ("path",) for error in exc.errors):
        return not_found()
    return error_response(
        422, "invalid", _("The request is not valid."), validation_fields(exc.errors)
    )


def django_validation_fields(exc: DjangoValidationError) -> tuple[str, dict[str, list[str]]]:
    """The general message and the per-field messages of a Django ``ValidationError``."""
    if hasattr(exc, "error_dict"):
        fields = {key: list(messages) for key, messages in exc.message_dict.items()}
    else:
        fields = {NON_FIELD_ERRORS: list(exc.messages)}
    general = fields.pop(NON_FIELD_ERRORS, [])
    message = " ".join(general) if general else _("The request is not valid.")
    return message, fields


def on_django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    message, fields = django_validation_fields(exc)
    return error_response(422, "invalid", message, fields)


def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(403, "forbidden", _("You may not do this."))


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return not_found()


def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        401,
        "unauthenticated",
        _("Sign in, or send a personal API token as “Authorization: Bearer <token>”."),
    )
    response["WWW-Authenticate"] = 'Bearer realm="noturiba"'
    return response


_HTTP_ERROR_CODES = {
    400: ("bad_request", gettext_lazy("The request body is not valid JSON.")),
    403: ("csrf_failed", gettext_lazy("The CSRF check failed; send the CSRF token.")),
    429: ("throttled", gettext_lazy("Too many requests; try again later.")),
}


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERROR_CODES.get(exc.status_code, ("error", exc.message))
    return error_response(exc.status_code, code, str(message))


def on_request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(413, "too_large", _("The request body is too large."))


def on_suspicious_operation(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    return error_response(400, "bad_request", _("The request could not be understood."))


def on_integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # A race another request won (e.g. the same registration number at the same moment).
    logger.warning("Integrity error on %s %s: %s", request.method, request.path, exc)
    return error_response(
        409, "conflict", _("The change conflicts with another one; reload and try again.")
    )


def on_unexpected_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.error("Unexpected error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500, "server_error", _("Something went wrong on our side."))


_HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (NinjaValidationError, on_ninja_validation_error),
    (DjangoValidationError, on_django_validation_error),
    (PermissionDenied, on_permission_denied),
    (Http404, on_not_found),
    (ObjectDoesNotExist, on_not_found),
    (AuthenticationError, on_authentication_error),
    (HttpError, on_http_error),
    (RequestDataTooBig, on_request_too_big),
    (SuspiciousOperation, on_suspicious_operation),
    (IntegrityError, on_integrity_error),
    (Exception, on_unexpected_error),
]


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (the most specific class wins: ninja walks the MRO)."""
    for exc_class, handler in _HANDLERS:
        api.add_exception_handler(exc_class, handler)


def json_errors_for_views(view: Any) -> Any:
    """Wrap a ninja URL view so that its plain-text 405 answer gets the error shape too."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return method_not_allowed(response.get("Allow", ""))
        return response

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped
