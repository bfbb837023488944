"""CAP alerts received from outside, through the API: import one, list them, read one.

``POST /api/v1/cap/import`` takes the CAP 1.2 document as the request body
(``application/xml``, ``application/cap+xml`` or ``text/xml``): 201 with the stored alert, 200
with the same when that alert (identifier, sender, sent) was already stored, 422 with the reason
(``fields`` empty, ``code`` the CAP refusal's code) when it is refused, 413 ``too_large`` for a
body over the size bound, 415 for another content type.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from noturiba.accounts import policy
from noturiba.alerts import cap_import
from noturiba.alerts.models import ExternalAlert
from noturiba.api.auth import actor_of, signed_in
from noturiba.api.errors import ErrorOut, error_response
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.lib.cap import CapError, ErrorCode
from noturiba.lib.cap.formats import parse_references

router = Router(tags=["CAP import"])

CAP_CONTENT_TYPES = frozenset({"application/xml", "application/cap+xml", "text/xml"})
MAX_ID = 2**31 - 1


class ReferenceOut(Schema):
    sender: str
    identifier: str
    sent: datetime
    id: int | None = Field(description="The stored alert referred to, or null if not received.")


class ExternalAlertOut(Schema):
    id: int
    identifier: str
    sender: str
    sent: datetime
    status: str = Field(description="CAP status: Actual, Exercise, System, Test or Draft.")
    msg_type: str = Field(description="CAP msgType: Alert, Update, Cancel, Ack or Error.")
    scope: str
    event: str
    headline: str
    language: str = Field(description="Language of the info shown: Latvian, else English.")
    area: str
    effective: datetime | None
    expires: datetime | None
    references: list[ReferenceOut] = Field(
        description="The messages this one refers to (Update/Cancel), received or not."
    )
    followups: list[int] = Field(description="Ids of received Updates/Cancels referring to it.")
    cancelled: bool = Field(description="A Cancel of the same sender referring to it arrived.")
    source: str = Field(description="feed (a subscription), upload or api.")
    received_at: datetime
    url: str = Field(description="The alert's page.")


def _present(request: HttpRequest, alerts: Sequence[ExternalAlert]) -> list[dict[str, Any]]:
    ids = [alert.pk for alert in alerts]
    through = ExternalAlert.references.through.objects.filter(
        from_externalalert_id__in=ids
    ).select_related("to_externalalert")
    referred: dict[int, list[ExternalAlert]] = {}
    for row in through:
        referred.setdefault(row.from_externalalert_id, []).append(row.to_externalalert)
    followups: dict[int, list[int]] = {}
    for source_id, target_id in ExternalAlert.references.through.objects.filter(
        to_externalalert_id__in=ids
    ).values_list("from_externalalert_id", "to_externalalert_id"):
        followups.setdefault(target_id, []).append(source_id)
    return [
        _as_json(request, alert, referred.get(alert.pk, []), followups.get(alert.pk, []))
        for alert in alerts
    ]


def _as_json(
    request: HttpRequest,
    alert: ExternalAlert,
    referred: Sequence[ExternalAlert],
    followups: Sequence[int],
) -> dict[str, Any]:
    references = [
        {"sender": r.sender, "identifier": r.identifier, "sent": r.sent, "id": r.pk}
        for r in referred
    ]
    try:
        unresolved = parse_references(alert.references_text)
    except CapError:
        unresolved = ()
    references += [
        {"sender": r.sender, "identifier": r.identifier, "sent": r.sent, "id": None}
        for r in unresolved
    ]
    return {
        "id": alert.pk,
        "identifier": alert.identifier,
        "sender": alert.sender,
        "sent": alert.sent,
        "status": alert.status,
        "msg_type": alert.msg_type,
        "scope": alert.scope,
        "event": alert.event,
        "headline": alert.headline,
        "language": alert.language,
        "area": alert.area_desc,
        "effective": alert.effective,
        "expires": alert.expires,
        "references": references,
        "followups": sorted(followups),
        "cancelled": alert.cancelled,
        "source": alert.source,
        "received_at": alert.received_at,
        "url": request.build_absolute_uri(reverse("alerts:external_detail", args=[alert.pk])),
    }


def _check_viewer(request: HttpRequest) -> policy.Actor:
    actor = actor_of(request)
    if not policy.can_view_external_alerts(actor):
        raise PermissionDenied
    return actor


@router.post(
    "/cap/import",
    response={
        200: ExternalAlertOut,
        201: ExternalAlertOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    auth=signed_in,
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One CAP 1.2 <alert> document (at most 1,000,000 bytes).",
            "content": {media: {"schema": {"type": "string"}} for media in CAP_CONTENT_TYPES},
        }
    },
)
def import_alert(request: HttpRequest) -> Any:
    """Import one CAP 1.2 alert (coordinators and institution officers).

    201: stored now. 200: this alert (identifier, sender, sent) was already stored; nothing
    changes and the stored one is returned. 422: refused, with the reason in `message` and the
    refusal in `code` (`not_xml`, `forbidden_dtd`, `unsupported_version`, `wrong_root`,
    `schema_invalid`, `rule_broken`); nothing is stored. 413 `too_large`: the body is over the
    size bound.
    """
    actor = actor_of(request)
    if not policy.can_import_cap(actor):
        raise PermissionDenied
    media = (request.content_type or "").split(";")[0].strip().lower()
    if media not in CAP_CONTENT_TYPES:
        return error_response(
            415,
            "unsupported_media_type",
            _("Send the CAP document as application/xml, application/cap+xml or text/xml."),
        )
    try:
        result = cap_import.import_cap(actor, data=request.body, source=ExternalAlert.Source.API)
    except CapError as error:
        return _refusal(error)
    body = _present(request, [result.alert])[0]
    return Status(201 if result.created else 200, body)


def _refusal(error: CapError) -> HttpResponse:
    status = 413 if error.code == ErrorCode.TOO_LARGE else 422
    return error_response(status, str(error.code), error.reason)


@router.get(
    "/cap/alerts",
    response={200: Page[ExternalAlertOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
)
def list_alerts(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Received CAP alerts, newest first (coordinators and institution officers)."""
    actor = _check_viewer(request)
    return paginate(
        request,
        cap_import.external_alerts_for(actor),
        paging,
        present=lambda rows: _present(request, rows),
    )


@router.get(
    "/cap/alerts/{int:alert_id}",
    response={200: ExternalAlertOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def get_alert(request: HttpRequest, alert_id: int = Path(..., ge=1, le=MAX_ID)) -> dict[str, Any]:
    """One received CAP alert, with what it refers to and what refers to it."""
    actor = _check_viewer(request)
    alert = cap_import.get_external_alert_for_user(actor, alert_id)
    return _present(request, [alert])[0]
