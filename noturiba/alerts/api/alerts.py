"""Alerts: writing a draft, sending, approving and cancelling it, following its deliveries.

The same rules as the pages, through ``noturiba.accounts.policy`` (in the actions and
selectors): coordinators and institution officers write and send alerts (officers within their
jurisdiction); an alert is visible to its author, coordinators and the officers whose
jurisdiction covers its whole area, and a 404 to everyone else.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from noturiba.accounts import policy
from noturiba.alerts import actions, feeds, selectors
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.schemas import (
    AlertDetailOut,
    AlertIn,
    AlertListQuery,
    AlertOut,
    AudienceIn,
    CancelledOut,
    DeliveryOut,
    DeliveryQuery,
    SentOut,
)
from noturiba.api.auth import actor_of
from noturiba.api.errors import ErrorOut, error_response
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network.api.common import CodeLookup, ObjectPath, responses
from noturiba.network.models import CapabilityType, Municipality, Organisation, Person, TargetGroup

router = Router()

TAGS = ["alerts"]


# --- Reads --------------------------------------------------------------------------------------


def _codes(model: Any, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return dict(model.objects.filter(pk__in=wanted).values_list("pk", "code"))


def _known(codes: dict[int, str], ids: Iterable[int]) -> list[str]:
    """The codes of ``ids``, sorted; a row deleted since the alert was written is left out."""
    return sorted(codes[i] for i in ids if i in codes)


def _present_alerts(rows: Sequence[Alert]) -> Sequence[Alert]:
    """Give each row its audience with codes (three queries for the whole page)."""
    filters = {row.pk: selectors.AudienceFilters.from_json(row.audience or {}) for row in rows}
    municipalities = _codes(Municipality, (i for f in filters.values() for i in f.municipalities))
    groups = _codes(TargetGroup, (i for f in filters.values() for i in f.target_groups))
    capabilities = _codes(CapabilityType, (i for f in filters.values() for i in f.capabilities))
    for row in rows:
        audience = filters[row.pk]
        row.audience_out = {  # type: ignore[attr-defined]
            "municipalities": _known(municipalities, audience.municipalities),
            "target_groups": _known(groups, audience.target_groups),
            "capabilities": _known(capabilities, audience.capabilities),
            "organisations": sorted(audience.organisations),
            "roles": sorted(audience.roles),
            "lists": sorted(audience.lists),
        }
    return rows


def _present_alert(alert: Alert) -> Alert:
    """The alert as stored, with its audience codes and its progress."""
    row = Alert.objects.prefetch_related("municipalities").get(pk=alert.pk)
    _present_alerts([row])
    row.progress = selectors.alert_progress(row)  # type: ignore[attr-defined]
    return row


def _conflict(error: ValidationError) -> HttpResponse:
    """An alert in the wrong state for the step asked (already sent, already cancelled …)."""
    return error_response(409, "conflict", " ".join(error.messages))


# --- Writing a draft ----------------------------------------------------------------------------


def _capabilities(codes: CodeLookup, field: str, wanted: Sequence[str]) -> list[CapabilityType]:
    found = list(CapabilityType.objects.filter(code__in=set(wanted)))
    missing = set(wanted) - {capability.code for capability in found}
    if missing:
        codes.errors.setdefault(field, []).append(
            _("Unknown code: %(codes)s") % {"codes": ", ".join(sorted(missing))}
        )
    return found


def _ids_found(codes: CodeLookup, field: str, wanted: Sequence[int], found: Iterable[int]) -> None:
    missing = set(wanted) - set(found)
    if missing:
        codes.errors.setdefault(field, []).append(
            _("Unknown id: %(ids)s") % {"ids": ", ".join(str(i) for i in sorted(missing))}
        )


def _audience(
    actor: policy.Actor, codes: CodeLookup, audience: AudienceIn
) -> selectors.AudienceFilters:
    municipalities = codes.municipalities("audience.municipalities", audience.municipalities)
    groups = codes.target_groups("audience.target_groups", audience.target_groups)
    capabilities = _capabilities(codes, "audience.capabilities", audience.capabilities)
    organisations = set(
        Organisation.objects.filter(pk__in=set(audience.organisations)).values_list("pk", flat=True)
    )
    _ids_found(codes, "audience.organisations", audience.organisations, organisations)
    # Another person's saved list is as unknown as one that does not exist.
    lists = set(
        selectors.saved_lists_for(actor)
        .filter(pk__in=set(audience.lists))
        .values_list("pk", flat=True)
    )
    _ids_found(codes, "audience.lists", audience.lists, lists)
    return selectors.AudienceFilters(
        municipalities=frozenset(m.pk for m in municipalities),
        target_groups=frozenset(g.pk for g in groups),
        capabilities=frozenset(c.pk for c in capabilities),
        organisations=frozenset(organisations),
        roles=frozenset(audience.roles),
        lists=frozenset(lists),
    )


def _reference(actor: policy.Actor, codes: CodeLookup, alert_id: int | None) -> Alert | None:
    if alert_id is None:
        return None
    earlier = selectors.visible_alerts(actor).filter(pk=alert_id).first()
    if earlier is None:
        codes.errors.setdefault("references", []).append(_("No such alert."))
    return earlier


@router.post("/alerts", response=responses(201, AlertDetailOut, 400, 401, 403), tags=TAGS)
def create_alert(request: HttpRequest, payload: AlertIn) -> Status[Any]:
    """Write a draft alert with its area and audience (coordinators; officers for their
    jurisdiction). Codes and ids that do not exist are field errors (422)."""
    actor = actor_of(request)
    if not policy.can_write_alerts(actor):
        raise PermissionDenied
    codes = CodeLookup()
    area = codes.municipalities("municipalities", payload.municipalities)
    audience = _audience(actor, codes, payload.audience)
    references = _reference(actor, codes, payload.references)
    if payload.msg_type != "Alert" and payload.references is None:
        codes.errors.setdefault("references", []).append(
            _("An update or a cancellation names the alert it refers to.")
        )
    codes.check()
    data = payload.model_dump(
        exclude={"municipalities", "audience", "references", "escalate_after_minutes"}
    )
    data["references"] = references
    minutes = payload.escalate_after_minutes
    data["escalate_after"] = datetime.timedelta(minutes=minutes) if minutes else None
    alert = actions.create_alert(actor, data=data, municipalities=area, audience=audience)
    return Status(201, _present_alert(alert))


# --- Reading alerts -----------------------------------------------------------------------------


@router.get("/alerts", response=responses(200, Page[AlertOut], 401), tags=TAGS)
def list_alerts(
    request: HttpRequest, query: Query[AlertListQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The alerts the caller may follow, newest first (without their progress)."""
    rows = selectors.visible_alerts(actor_of(request)).prefetch_related("municipalities")
    if query.state is not None:
        rows = rows.filter(state=query.state)
    return paginate(request, rows.order_by("-created_at", "-id"), paging, present=_present_alerts)


@router.get("/alerts/{int:alert_id}", response=responses(200, AlertDetailOut, 401, 404), tags=TAGS)
def get_alert(request: HttpRequest, alert_id: int = ObjectPath) -> Alert:
    """One alert with its deliveries counted by state and by channel, and its answers."""
    return _present_alert(selectors.get_alert_for_user(actor_of(request), alert_id))


CAP_OPENAPI: dict[str, Any] = {
    "responses": {
        "200": {
            "description": "The CAP 1.2 document (status `Draft` while the alert is a draft).",
            "content": {feeds.CAP_CONTENT_TYPE: {"schema": {"type": "string"}}},
        }
    }
}


@router.get(
    "/alerts/{int:alert_id}/cap",
    response=dict.fromkeys((401, 404, 422), ErrorOut),
    openapi_extra=CAP_OPENAPI,
    tags=TAGS,
)
def get_alert_cap(request: HttpRequest, alert_id: int = ObjectPath) -> HttpResponse:
    """The alert as a CAP 1.2 XML document, valid against the OASIS schema."""
    alert = feeds.get_cap_alert_for_user(actor_of(request), alert_id)
    response = HttpResponse(feeds.cap_xml(alert), content_type=feeds.CAP_CONTENT_TYPE)
    patch_cache_control(response, private=True, no_cache=True)
    return response


# --- Sending, approving, cancelling -------------------------------------------------------------


@router.post(
    "/alerts/{int:alert_id}/send",
    response=responses(202, SentOut, 401, 403, 404, 409),
    tags=TAGS,
)
def send_alert(request: HttpRequest, alert_id: int = ObjectPath) -> Any:
    """Send a draft: its deliveries are written and queued (state `sending`, or `sent` when
    nobody is reachable), or, with two-person approval, it waits for approval (`approval`).
    A second send is a 409."""
    actor = actor_of(request)
    alert = selectors.get_alert_for_user(actor, alert_id)
    try:
        queued = actions.send_alert(actor, alert=alert)
    except ValidationError as error:
        return _conflict(error)
    return Status(202, {"alert": _present_alert(alert), "queued": queued})


@router.post(
    "/alerts/{int:alert_id}/approve",
    response=responses(202, SentOut, 401, 403, 404, 409),
    tags=TAGS,
)
def approve_alert(request: HttpRequest, alert_id: int = ObjectPath) -> Any:
    """Approve an alert awaiting a second person's approval (not its author): it is sent."""
    actor = actor_of(request)
    alert = selectors.get_alert_for_user(actor, alert_id)
    try:
        queued = actions.approve_alert(actor, alert=alert)
    except ValidationError as error:
        return _conflict(error)
    return Status(202, {"alert": _present_alert(alert), "queued": queued})


@router.post(
    "/alerts/{int:alert_id}/cancel",
    response=responses(200, CancelledOut, 401, 403, 404, 409),
    tags=TAGS,
)
def cancel_alert(request: HttpRequest, alert_id: int = ObjectPath) -> Any:
    """Cancel an alert: queued deliveries stop, answers are no longer recorded."""
    actor = actor_of(request)
    alert = selectors.get_alert_for_user(actor, alert_id)
    try:
        stopped = actions.cancel_alert(actor, alert=alert)
    except ValidationError as error:
        return _conflict(error)
    return {"alert": _present_alert(alert), "stopped": stopped}


# --- Deliveries ---------------------------------------------------------------------------------


def mask_address(channel: str, address: str) -> str:
    """``martins@example.lv`` → ``m***@example.lv``; ``+37120000002`` → ``+3712*****02``;
    any other address (a webhook's URL) → ``***``."""
    local, at, domain = address.partition("@")
    if channel == "email" and at:
        return f"{local[:1]}***@{domain}"
    if channel == "sms" and len(address) > 7:
        return address[:5] + "*" * (len(address) - 7) + address[-2:]
    return "***"


def _present_deliveries(
    actor: policy.Actor, alert: Alert, rows: Sequence[Delivery]
) -> Sequence[Delivery]:
    """Answers and address masks for a page of deliveries, in two queries.

    A person's address shows to those who may see that person's contacts
    (``policy.visible_people``); a webhook's to those who manage webhooks. Otherwise it is
    masked, also inside the last error (an SMTP refusal quotes the address).
    """
    people = {row.person_id for row in rows if row.person_id is not None}
    visible = set(
        policy.visible_people(actor, Person.objects.filter(pk__in=people)).values_list(
            "pk", flat=True
        )
    )
    answers = dict(
        Acknowledgement.objects.filter(alert=alert, person_id__in=people).values_list(
            "person_id", "answer"
        )
    )
    show_endpoints = policy.can_manage_webhook_endpoints(actor)
    for row in rows:
        row.answer = answers.get(row.person_id) if row.person_id else None  # type: ignore[attr-defined]
        shown = row.person_id in visible if row.person_id is not None else show_endpoints
        if not shown:
            masked = mask_address(row.channel, row.address)
            row.shown_address = masked  # type: ignore[attr-defined]
            error = row.last_error.replace(row.address, masked) if row.address else row.last_error
            row.shown_error = error  # type: ignore[attr-defined]
    return rows


@router.get(
    "/alerts/{int:alert_id}/deliveries",
    response=responses(200, Page[DeliveryOut], 401, 404),
    tags=TAGS,
)
def list_deliveries(
    request: HttpRequest,
    query: Query[DeliveryQuery],
    paging: Query[PageQuery],
    alert_id: int = ObjectPath,
) -> dict[str, Any]:
    """The alert's deliveries (the outbox rows), optionally of one state or channel.

    Addresses are masked unless the caller may see the person's contacts."""
    actor = actor_of(request)
    alert = selectors.get_alert_for_user(actor, alert_id)
    rows = Delivery.objects.filter(alert=alert).select_related("person")
    if query.state is not None:
        rows = rows.filter(state=query.state)
    if query.channel is not None:
        rows = rows.filter(channel=query.channel)
    return paginate(
        request,
        rows.order_by("id"),
        paging,
        present=lambda page: _present_deliveries(actor, alert, page),
    )
