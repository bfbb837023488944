"""Assistance requests' API: post a request, list the requests one may see, read one.

The same rules as the pages (``noturiba.assistance.actions.requests`` and the selectors):
coordinators and officers post (officers in their jurisdiction), everyone signed in lists what
``policy.request_filter`` lets them see, and a request one may not see is a 404.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from noturiba.accounts import policy
from noturiba.alerts.models import Alert
from noturiba.api.auth import actor_of
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.assistance.actions import requests as actions
from noturiba.assistance.models import AssistanceRequest
from noturiba.assistance.schemas import (
    RequestIn,
    RequestOut,
    RequestQuery,
    present_line,
)
from noturiba.assistance.selectors import requests as selectors
from noturiba.network.api.common import CodeLookup, ObjectPath, responses

router = Router(tags=["assistance requests"])

_MUNICIPALITY_CODE = re.compile(r"^LV-[0-9A-Z]{3}$")


def _riga(moment: datetime.datetime | None) -> datetime.datetime | None:
    return timezone.localtime(moment) if moment is not None else None


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """A time sent without an offset is Riga time."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment)


def _link(request: HttpRequest) -> str:
    # One reverse() for the page, not one per row.
    return (
        request.build_absolute_uri(reverse("assistance:detail", args=[0]).removesuffix("0/"))
        + "{}/"
    )


def _present(row: AssistanceRequest, link: str, now: datetime.datetime) -> dict[str, Any]:
    institution = row.institution
    return {
        "id": row.pk,
        "url": link.format(row.pk),
        "title": row.title,
        "description": row.description,
        "state": row.state,
        "coverage": selectors.coverage_of(row),
        "overdue": selectors.is_overdue(row, now),
        "municipality": row.municipality.code,
        "address": row.address,
        "latitude": row.latitude,
        "longitude": row.longitude,
        "urgency": row.urgency,
        "starts_at": _riga(row.starts_at),
        "ends_at": _riga(row.ends_at),
        "deadline": _riga(row.deadline),
        "contact_name": row.contact_name,
        "contact_phone": row.contact_phone,
        "contact_email": row.contact_email,
        "alert_id": row.alert_id,
        "institution": {"id": institution.pk, "name": institution.name} if institution else None,
        "offered_to_network": row.offered_to_network,
        "offers_need_approval": row.offers_need_approval,
        "created_at": _riga(row.created_at),
        "closed_at": _riga(row.closed_at),
        "cancel_reason": row.cancel_reason,
        "lines": [present_line(line) for line in row.lines.all()],
    }


def _municipality_code(code: str) -> str:
    code = code.strip().upper()
    if not _MUNICIPALITY_CODE.match(code):
        raise ValidationError({"municipality": [_("Give an ISO 3166-2:LV code such as LV-067.")]})
    return code


@router.post("/requests", response=responses(201, RequestOut, 401, 403))
def post_request(request: HttpRequest, payload: RequestIn) -> Any:
    """Post an assistance request with one or more lines (coordinators; officers in their
    jurisdiction). 403 for callers who may not post there; 422 with the fields at fault."""
    actor = actor_of(request)
    if not policy.can_post_request(actor):
        raise PermissionDenied
    codes = CodeLookup()
    municipality = codes.municipality("municipality", _municipality_code(payload.municipality))
    lines = []
    for index, line in enumerate(payload.lines):
        capability = codes.capability(f"lines.{index}.capability", line.capability)
        lines.append(
            {
                "capability": capability,
                "quantity": line.quantity,
                "unit": line.unit or "",
                "notes": line.notes,
            }
        )
    alert = None
    if payload.alert_id is not None:
        alert = Alert.objects.filter(pk=payload.alert_id).first()
        if alert is None:
            codes.errors.setdefault("alert_id", []).append(_("Choose an alert you can see."))
    codes.check()
    if municipality is not None and not policy.can_post_request_in(actor, municipality.pk):
        raise PermissionDenied
    data = payload.model_dump(exclude={"lines", "municipality", "alert_id"})
    for name in ("starts_at", "ends_at", "deadline"):
        data[name] = _aware(data[name])
    data.update(municipality=municipality, alert=alert)
    try:
        created = actions.post_request(actor, data=data, lines=lines)
    except ValidationError as error:
        raise _renamed(error) from error
    row = selectors.get_request_for_user(actor, created.pk)
    return Status(201, _present(row, _link(request), timezone.now()))


def _renamed(error: ValidationError) -> ValidationError:
    """The action's field names as the API calls them (``alert`` → ``alert_id``)."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {("alert_id" if key == "alert" else key): value for key, value in error.error_dict.items()}
    )


@router.get("/requests", response=responses(200, Page[RequestOut], 401))
def list_requests(
    request: HttpRequest, query: Query[RequestQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The requests the caller may see, soonest deadline first (closed ones: latest closed
    first), each with its lines and what remains of them."""
    actor = actor_of(request)
    municipality = ""
    if query.municipality is not None:
        codes = CodeLookup()
        found = codes.municipality("municipality", _municipality_code(query.municipality))
        codes.check()
        municipality = found.code if found else ""
    rows = selectors.search_requests(
        actor,
        state=query.state or "",
        status=query.status or "",
        municipality=municipality,
    ).select_related("institution")
    link, now = _link(request), timezone.now()

    def present(page: Sequence[AssistanceRequest]) -> list[dict[str, Any]]:
        return [_present(row, link, now) for row in page]

    return paginate(request, rows, paging, present=present)


@router.get("/requests/{int:request_id}", response=responses(200, RequestOut, 401, 404))
def get_request(request: HttpRequest, request_id: int = ObjectPath) -> dict[str, Any]:
    """One request with its lines (quantity, claimed, remaining, done); 404 when the caller
    may not see it."""
    row = selectors.get_request_for_user(actor_of(request), request_id)
    return _present(row, _link(request), timezone.now())
