"""Assistance requests' API: offers and claims on a line, progress on a claim.

The same rules as the pages (``noturiba.assistance.actions.claims``): an organisation's admins
offer or claim; a quantity beyond what remains is refused with 409 and the remaining quantity;
the claiming organisation's people report progress.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from noturiba.accounts import policy
from noturiba.api.auth import actor_of
from noturiba.api.errors import error_response
from noturiba.assistance.actions import claims as actions
from noturiba.assistance.models import Claim, Offer, RequestLine
from noturiba.assistance.selectors import claims as selectors
from noturiba.network.api.common import ObjectPath, responses
from noturiba.network.schemas import MAX_ID

router = Router(tags=["assistance requests"])


class ClaimIn(Schema):
    organisation: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="Id of the organisation offering. Optional when the caller is an admin of "
        "exactly one organisation.",
    )
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    note: str = Field(default="", max_length=500)


class ClaimOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    quantity: Decimal
    state: str = Field(description="`claimed`, `under_way`, `done`, `could_not`, `released`, …")
    created_at: datetime.datetime
    last_activity_at: datetime.datetime


class OfferOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    quantity: Decimal
    state: str = Field(description="`pending`, `accepted`, `declined` or `withdrawn`.")
    created_at: datetime.datetime


class LineState(Schema):
    id: int
    quantity: Decimal
    claimed: Decimal
    done: Decimal
    remaining: Decimal
    unit: str


class ClaimResult(Schema):
    offer: OfferOut
    claim: ClaimOut | None = Field(
        description="The claim made at once; null while the offer waits for approval."
    )
    line: LineState


class LineClaims(Schema):
    claims: list[ClaimOut]
    pending_offers: list[OfferOut]
    line: LineState


class UpdateIn(Schema):
    state: str = Field(description="`under_way`, `done`, `could_not`, or the current state.")
    note: str = Field(default="", max_length=2000)


class UpdateOut(Schema):
    id: int
    claim: ClaimOut
    state: str
    note: str
    created_at: datetime.datetime
    line: LineState


def _claim(claim: Claim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "organisation_id": claim.organisation_id,
        "organisation": claim.organisation.name,
        "quantity": claim.quantity,
        "state": claim.state,
        "created_at": claim.created_at,
        "last_activity_at": claim.last_activity_at,
    }


def _offer(offer: Offer) -> dict[str, Any]:
    return {
        "id": offer.pk,
        "organisation_id": offer.organisation_id,
        "organisation": offer.organisation.name,
        "quantity": offer.quantity,
        "state": offer.state,
        "created_at": offer.created_at,
    }


def _line(line: RequestLine) -> dict[str, Any]:
    line.refresh_from_db(fields=["claimed", "done"])
    return {
        "id": line.pk,
        "quantity": line.quantity,
        "claimed": line.claimed,
        "done": line.done,
        "remaining": line.remaining,
        "unit": line.unit,
    }


def _refused(error: ValidationError, line: RequestLine) -> HttpResponse:
    code = error.code or "invalid"
    message = " ".join(error.messages)
    if code == actions.OVER_CLAIMED:
        line.refresh_from_db(fields=["claimed", "done"])
        remaining = actions.amount(line.remaining)
        return error_response(409, code, message, {"quantity": [message], "remaining": [remaining]})
    if code == actions.NOT_OPEN:
        return error_response(409, code, message)
    field = "note" if code == actions.NOTE_REQUIRED else "quantity"
    if code == actions.INVALID_TRANSITION:
        field = "state"
    return error_response(422, code, message, {field: [message]})


@router.post(
    "/requests/{int:request_id}/lines/{int:line_id}/claims",
    response=responses(201, ClaimResult, 401, 403, 404, 409),
)
def claim_line(
    request: HttpRequest,
    payload: ClaimIn,
    request_id: int = ObjectPath,
    line_id: int = ObjectPath,
) -> Any:
    """Offer (or, when the request needs no approval, claim at once) part of a line for an
    organisation the caller is an admin of. 201 with the offer, the claim (null while the offer
    waits for approval) and the line's quantities. 409 (`over_claimed`) when more than remains,
    with `fields.remaining`; 409 (`request_not_open`) on a closed request; 404 when the request
    is not visible; 403 when the caller is no organisation admin."""
    actor = actor_of(request)
    line = selectors.get_line_for_user(actor, request_id, line_id)
    admin_of = policy.roles_of(actor).admin_of
    if payload.organisation is None:
        if len(admin_of) != 1:
            if not admin_of:
                raise PermissionDenied
            message = _("You are an admin of several organisations: say which one offers.")
            return error_response(422, "invalid", message, {"organisation": [message]})
        organisation_id = next(iter(admin_of))
    else:
        organisation_id = payload.organisation
    organisation = policy.offering_organisations(actor).filter(pk=organisation_id).first()
    if organisation is None:
        raise PermissionDenied
    try:
        offer = actions.offer_line_part(
            actor,
            line=line,
            organisation=organisation,
            quantity=payload.quantity,
            note=payload.note,
        )
    except ValidationError as error:
        return _refused(error, line)
    claim = Claim.objects.select_related("organisation").filter(offer=offer).first()
    return Status(
        201,
        {
            "offer": _offer(offer),
            "claim": _claim(claim) if claim is not None else None,
            "line": _line(line),
        },
    )


@router.get(
    "/requests/{int:request_id}/lines/{int:line_id}/claims",
    response=responses(200, LineClaims, 401, 404),
)
def list_line_claims(
    request: HttpRequest, request_id: int = ObjectPath, line_id: int = ObjectPath
) -> Any:
    """The line's active claims and pending offers (all of them for the request's managers,
    the caller's organisations' own otherwise), with its quantities."""
    actor = actor_of(request)
    line = selectors.get_line_for_user(actor, request_id, line_id)
    claims, offers = selectors.line_claims(line)
    if not selectors.manages(actor, line.request):
        mine = policy.roles_of(actor).organisations
        offers = [offer for offer in offers if offer.organisation_id in mine]
    return {
        "claims": [_claim(claim) for claim in claims],
        "pending_offers": [_offer(offer) for offer in offers],
        "line": _line(line),
    }


@router.post(
    "/claims/{int:claim_id}/updates",
    response=responses(201, UpdateOut, 401, 403, 404),
)
def update_claim(request: HttpRequest, payload: UpdateIn, claim_id: int = ObjectPath) -> Any:
    """Report progress on a claim (its organisation's people): `under_way`, `done`, or
    `could_not` with a note; the current state again adds a note. 422 (`invalid_transition`,
    `note_required`) when refused."""
    actor = actor_of(request)
    claim = selectors.get_claim_for_user(actor, claim_id)
    if not policy.can_report_on_claim(actor, claim.organisation_id):
        raise PermissionDenied
    if payload.state not in Claim.State.values:
        message = _("Choose one of: under_way, done, could_not.")
        return error_response(422, "invalid", message, {"state": [message]})
    try:
        update = actions.update_claim(actor, claim=claim, state=payload.state, note=payload.note)
    except ValidationError as error:
        return _refused(error, claim.line)
    return Status(
        201,
        {
            "id": update.pk,
            "claim": _claim(claim),
            "state": update.state,
            "note": update.note,
            "created_at": update.created_at,
            "line": _line(claim.line),
        },
    )
