"""The SMS gateway's callbacks: inbound replies (answers) and delivery reports.

Both are ``POST`` only, CSRF-exempt (the gateway has no session) and authenticated by the shared
``SMS_CALLBACK_TOKEN``, sent as ``Authorization: Bearer <token>`` or ``?token=<token>`` and
compared in constant time; without a configured token every callback is refused (403). Bodies
may be JSON or a form. A malformed body gets 400 with the API's error shape and a specific code;
an unknown sender or message id is not an error (200, nothing recorded), so the gateway does not
retry it forever.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from noturiba.alerts import actions
from noturiba.alerts.channels.sms import MalformedCallback, parse_delivery_report
from noturiba.alerts.replies import parse_inbound_sms
from noturiba.api.errors import error_response

MAX_BODY_BYTES = 64 * 1024


class BadCallback(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def authorised(request: HttpRequest) -> bool:
    """Whether the request carries the configured callback token (never, when none is set)."""
    expected = str(getattr(settings, "SMS_CALLBACK_TOKEN", "") or "")
    if not expected:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _space, credentials = header.partition(" ")
    given = credentials.strip() if scheme.lower() == "bearer" else request.GET.get("token", "")
    return hmac.compare_digest(given.encode(), expected.encode())


def payload(request: HttpRequest) -> dict[str, Any]:
    """The callback's fields, from a JSON object or a form body."""
    length = request.headers.get("Content-Length", "0")
    if length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise BadCallback("too_large", _("The callback body is too large."))
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body[: MAX_BODY_BYTES + 1] or b"null")
        except (ValueError, UnicodeDecodeError):
            raise BadCallback("invalid_json", _("The body is not valid JSON.")) from None
        if not isinstance(document, dict):
            raise BadCallback("not_an_object", _("The JSON body must be an object."))
        return document
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        try:
            return {key: request.POST.get(key, "") for key in request.POST}
        except MultiPartParserError:
            raise BadCallback("invalid_form", _("The form body cannot be read.")) from None
    raise BadCallback(
        "unsupported_media_type", _("Send the callback as JSON or as a form (URL-encoded).")
    )


def _guarded(handler: Any) -> Any:
    """Token check, then the body; a malformed body answers 400 with its reason."""

    @csrf_exempt
    @never_cache
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        if not authorised(request):
            return error_response(403, "forbidden", _("The callback token is missing or wrong."))
        try:
            fields = payload(request)
            response: HttpResponse = handler(fields)
        except BadCallback as error:
            return error_response(400, error.code, error.message)
        except MalformedCallback as error:
            return error_response(400, "malformed_callback", str(error))
        return response

    view.__name__ = handler.__name__
    view.__doc__ = handler.__doc__
    return view


def _inbound(fields: dict[str, Any]) -> HttpResponse:
    """An SMS reply: "1"/"2"/"3" or the words answer the latest open alert sent to the sender."""
    inbound = parse_inbound_sms(fields)
    if inbound.answer is None:
        return JsonResponse({"recorded": False, "reason": "not_an_answer"})
    acknowledgement = actions.acknowledge_by_sms(None, sender=inbound.sender, answer=inbound.answer)
    if acknowledgement is None:
        return JsonResponse({"recorded": False, "reason": "no_open_alert"})
    return JsonResponse({"recorded": True, "answer": str(acknowledgement.answer)})


def _report(fields: dict[str, Any]) -> HttpResponse:
    """A delivery report: the message with that provider id is delivered or failed."""
    provider_id, state = parse_delivery_report(fields)
    detail = str(fields.get("error") or fields.get("detail") or "")[:500]
    changed = actions.record_delivery_report(
        None, provider_id=provider_id, report=state, detail=detail
    )
    return JsonResponse({"state": str(state), "updated": changed})


sms_inbound = _guarded(_inbound)
sms_report = _guarded(_report)
