"""Reads of offers and claims, with the policy's rules.

Who sees what: a claim's page shows to everyone who may see its request (another
organisation's admin may ask to take it over from there); its history — notes and photos — only
to the request's managers, the claiming organisation's people and coordinators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from noturiba.accounts import policy
from noturiba.assistance.models import (
    AssistanceRequest,
    Claim,
    ClaimPhoto,
    ClaimUpdate,
    Offer,
    RequestLine,
    TransferRequest,
)
from noturiba.network.models import Organisation

# Finished claims shown per state on "Our claims" (the newest first).
FINISHED_SHOWN = 50
OPEN_STATES = (Claim.State.CLAIMED, Claim.State.UNDER_WAY)


def manages(actor: policy.Actor, request: AssistanceRequest) -> bool:
    return policy.can_manage_request(
        actor, municipality_id=request.municipality_id, created_by_id=request.created_by_id
    )


def visible_requests(actor: policy.Actor) -> QuerySet[AssistanceRequest]:
    return AssistanceRequest.objects.filter(
        pk__in=AssistanceRequest.objects.filter(policy.request_filter(actor)).values("pk")
    )


def get_line_for_user(actor: policy.Actor, request_id: int, line_id: int) -> RequestLine:
    """The line of a request ``actor`` may see; 404 otherwise."""
    line = (
        RequestLine.objects.select_related("request", "capability")
        .filter(pk=line_id, request_id=request_id, request__in=visible_requests(actor))
        .first()
    )
    if line is None:
        raise Http404
    return line


def get_line_of_visible_request(actor: policy.Actor, line_id: int) -> RequestLine:
    line = (
        RequestLine.objects.select_related("request", "capability")
        .filter(pk=line_id, request__in=visible_requests(actor))
        .first()
    )
    if line is None:
        raise Http404
    return line


def get_claim_for_user(actor: policy.Actor, claim_id: int) -> Claim:
    """A claim of a request ``actor`` may see (or of their organisation); 404 otherwise."""
    roles = policy.roles_of(actor)
    claim = (
        Claim.objects.select_related(
            "organisation", "line__request", "line__capability", "transferred_from__organisation"
        )
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not roles.authenticated:
        raise Http404
    if claim.organisation_id in roles.organisations:
        return claim
    if not visible_requests(actor).filter(pk=claim.line.request_id).exists():
        raise Http404
    return claim


def sees_claim_history(actor: policy.Actor, claim: Claim) -> bool:
    roles = policy.roles_of(actor)
    return (
        roles.coordinator
        or claim.organisation_id in roles.organisations
        or manages(actor, claim.line.request)
    )


def claim_history(claim: Claim) -> list[ClaimUpdate]:
    return list(
        claim.updates.select_related("author").prefetch_related(
            Prefetch("photos", queryset=ClaimPhoto.objects.defer("content"))
        )
    )


def get_photo_for_user(actor: policy.Actor, photo_id: int) -> ClaimPhoto:
    photo = ClaimPhoto.objects.select_related("update").filter(pk=photo_id).first()
    if photo is None:
        raise Http404
    claim = get_claim_for_user(actor, photo.update.claim_id)
    if not sees_claim_history(actor, claim):
        raise Http404
    return photo


def get_offer_for_user(actor: policy.Actor, offer_id: int) -> Offer:
    offer = (
        Offer.objects.select_related("organisation", "line__request", "line__capability")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise Http404
    roles = policy.roles_of(actor)
    if offer.organisation_id in roles.organisations or manages(actor, offer.line.request):
        return offer
    raise Http404


def get_transfer_for_user(actor: policy.Actor, transfer_id: int) -> TransferRequest:
    transfer = (
        TransferRequest.objects.select_related(
            "to_organisation", "claim__organisation", "claim__line__request"
        )
        .filter(pk=transfer_id)
        .first()
    )
    if transfer is None:
        raise Http404
    roles = policy.roles_of(actor)
    if (
        transfer.to_organisation_id in roles.organisations
        or transfer.claim.organisation_id in roles.organisations
        or manages(actor, transfer.claim.line.request)
    ):
        return transfer
    raise Http404


def pending_transfer(claim: Claim) -> TransferRequest | None:
    return (
        TransferRequest.objects.select_related("to_organisation")
        .filter(claim=claim, state=TransferRequest.State.PENDING)
        .first()
    )


def active_claims(line: RequestLine) -> list[Claim]:
    return list(
        Claim.objects.filter(line=line, state__in=Claim.ACTIVE)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def claims_panel(
    actor: policy.Actor, request: AssistanceRequest, lines: Sequence[RequestLine]
) -> dict[str, Any]:
    """What the request page shows under each line about claims: merged into its context;
    ``assistance/_line_claims.html`` renders it for one ``line``. Three queries whatever the
    number of lines (claims, pending offers, the actor's organisations)."""
    roles = policy.roles_of(actor)
    by_line: dict[int, list[Claim]] = defaultdict(list)
    for claim in (
        Claim.objects.filter(line__in=lines, state__in=Claim.ACTIVE)
        .select_related("organisation")
        .order_by("created_at", "id")
    ):
        by_line[claim.line_id].append(claim)
    can_manage = manages(actor, request)
    offers: dict[int, list[Offer]] = defaultdict(list)
    pending = Offer.objects.filter(line__in=lines, state=Offer.State.PENDING)
    if not can_manage:
        pending = pending.filter(organisation_id__in=roles.organisations)
    if can_manage or roles.organisations:
        for offer in pending.select_related("organisation").order_by("created_at", "id"):
            offers[offer.line_id].append(offer)
    organisations: list[Organisation] = []
    if roles.admin_of and request.state == AssistanceRequest.State.OPEN:
        organisations = list(policy.offering_organisations(actor).order_by("name"))
    return {
        "claims_by_line": dict(by_line),
        "offers_by_line": dict(offers),
        "claim_can_manage": can_manage,
        "claim_offering_organisations": organisations,
        "claim_request_open": request.state == AssistanceRequest.State.OPEN,
        "claim_needs_approval": request.offers_need_approval,
        "claim_admin_of": roles.admin_of,
    }


def our_claims(actor: policy.Actor) -> dict[str, Any]:
    """The actor's organisations' claims grouped by state, the requests to take over that
    their admins must answer, and their own pending offers and requests to take over."""
    roles = policy.roles_of(actor)
    organisations = sorted(roles.organisations)
    base = Claim.objects.filter(organisation_id__in=organisations).select_related(
        "organisation", "line__request", "line__capability"
    )
    groups: list[tuple[str, Any, list[Claim]]] = []
    open_claims = list(base.filter(state__in=OPEN_STATES).order_by("line__request__deadline", "id"))
    for state in OPEN_STATES:
        groups.append(
            (str(state), Claim.State(state).label, [c for c in open_claims if c.state == state])
        )
    for state in (
        Claim.State.DONE,
        Claim.State.COULD_NOT,
        Claim.State.RELEASED,
        Claim.State.TRANSFERRED,
    ):
        finished = list(
            base.filter(state=state).order_by("-last_activity_at", "-id")[:FINISHED_SHOWN]
        )
        groups.append((str(state), Claim.State(state).label, finished))
    transfers = TransferRequest.objects.filter(state=TransferRequest.State.PENDING).select_related(
        "to_organisation", "claim__organisation", "claim__line__request", "claim__line__capability"
    )
    to_answer = list(transfers.filter(claim__organisation_id__in=sorted(roles.admin_of)))
    asked = list(transfers.filter(to_organisation_id__in=organisations))
    offers = list(
        Offer.objects.filter(organisation_id__in=organisations, state=Offer.State.PENDING)
        .select_related("organisation", "line__request", "line__capability")
        .order_by("created_at", "id")
    )
    return {
        "groups": groups,
        "transfers_to_answer": to_answer,
        "transfers_asked": asked,
        "pending_offers": offers,
        "finished_shown": FINISHED_SHOWN,
        "admin_of": roles.admin_of,
    }


def line_claims(line: RequestLine) -> tuple[list[Claim], list[Offer]]:
    """Active claims and pending offers of one line (the API's list)."""
    claims = active_claims(line)
    offers = list(
        Offer.objects.filter(line=line, state=Offer.State.PENDING)
        .select_related("organisation")
        .order_by("created_at", "id")
    )
    return claims, offers
