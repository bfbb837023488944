"""Organisations, their export and their capabilities."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from noturiba.accounts import policy
from noturiba.api.auth import PUBLIC_OPENAPI, actor_of, public, signed_in
from noturiba.api.errors import ErrorOut
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network import actions, exports, selectors
from noturiba.network.api.common import (
    CodeLookup,
    CodePath,
    ObjectPath,
    OrganisationPage,
    responses,
)
from noturiba.network.models import (
    Organisation,
    OrganisationCapability,
)
from noturiba.network.schemas import (
    DirectoryQuery,
    ExportQuery,
    OfferIn,
    OfferOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    OrganisationView,
)

router = Router()


# --- Organisations ------------------------------------------------------------------------------


def _mark_details(actor: policy.Actor, rows: Sequence[Organisation]) -> Sequence[Organisation]:
    """Mark each row with whether ``actor`` may see its details (``OrganisationView``)."""
    for row in rows:
        row.show_details = policy.can_view_organisation_details(actor, row)  # type: ignore[attr-defined]
    return rows


def _present_organisation(actor: policy.Actor, organisation: Organisation) -> Organisation:
    detailed = selectors.with_directory_details(Organisation.objects.filter(pk=organisation.pk))
    return _mark_details(actor, [detailed.get()])[0]


def _offers(codes: CodeLookup, payload: OrganisationIn) -> list[actions.CapabilityOffer]:
    offers: list[actions.CapabilityOffer] = []
    seen: set[str] = set()
    for index, offer in enumerate(payload.capabilities):
        field = f"capabilities.{index}.code"
        if offer.code in seen:
            codes.errors.setdefault(field, []).append(_("This capability is listed twice."))
            continue
        seen.add(offer.code)
        capability = codes.capability(field, offer.code)
        if capability is not None:
            offers.append(
                actions.CapabilityOffer(
                    capability=capability,
                    quantity=offer.quantity,
                    startup_hours=offer.startup_hours,
                    availability=offer.availability,
                )
            )
    return offers


@router.get(
    "/organisations",
    response=responses(200, OrganisationPage),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["organisations"],
)
def list_organisations(
    request: HttpRequest, filters: Query[DirectoryQuery], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The directory, with the directory page's search and filters.

    Signed-in callers get full organisations; anonymous callers only organisations marked
    public, with their public fields (`PublicOrganisationOut`).
    """
    actor = actor_of(request)
    directory = selectors.DirectoryFilters.from_query(filters.as_query())
    queryset = selectors.with_directory_details(selectors.search_directory(actor, directory))
    return paginate(request, queryset, paging, present=lambda rows: _mark_details(actor, rows))


@router.post(
    "/organisations",
    response=responses(201, OrganisationOut, 400, 401, 403),
    auth=signed_in,
    tags=["organisations"],
)
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> Status[Any]:
    """Add an organisation to the directory (coordinators)."""
    actor = actor_of(request)
    codes = CodeLookup()
    seat = codes.municipality("municipality", payload.municipality)
    municipalities = codes.municipalities("municipalities", payload.municipalities)
    target_groups = codes.target_groups("target_groups", payload.target_groups)
    offers = _offers(codes, payload)
    codes.check()
    data = payload.model_dump(exclude={"municipalities", "target_groups", "capabilities"})
    data["municipality"] = seat
    with transaction.atomic():
        organisation = actions.create_organisation(
            actor, data=data, municipalities=municipalities, target_groups=target_groups
        )
        if offers:
            actions.set_capabilities(actor, organisation=organisation, offers=offers)
    return Status(201, _present_organisation(actor, organisation))


EXPORT_OPENAPI: dict[str, Any] = {
    "responses": {
        "200": {
            "description": "The file, as an attachment.",
            "content": {
                media: {"schema": {"type": "string"}}
                for media in ("text/csv", "application/geo+json", "text/vcard")
            },
        }
    }
}


# Declared before ``/organisations/{id}``, which the path converter would not match anyway.
@router.get(
    "/organisations/export",
    response=dict.fromkeys((401, 403, 422), ErrorOut),
    openapi_extra=EXPORT_OPENAPI,
    tags=["organisations"],
)
def export_organisations(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """The filtered directory as a file: the same filters and rules as the list."""
    actor = actor_of(request)
    if not policy.can_export_directory(actor):
        raise PermissionDenied
    directory = selectors.DirectoryFilters.from_query(query.as_query())
    export = exports.export_organisations(
        actor, directory, query.format, base_url=request.build_absolute_uri("/")
    )
    response = StreamingHttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/organisations/{int:organisation_id}",
    response=responses(200, OrganisationView, 401, 404),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["organisations"],
)
def get_organisation(request: HttpRequest, organisation_id: int = ObjectPath) -> Organisation:
    """One organisation; 404 when it does not exist or the caller may not see it."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    return _present_organisation(actor, organisation)


@router.patch(
    "/organisations/{int:organisation_id}",
    response=responses(200, OrganisationOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def update_organisation(
    request: HttpRequest, payload: OrganisationPatch, organisation_id: int = ObjectPath
) -> Organisation:
    """Change some fields (coordinators, or the organisation's admins)."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    data = payload.model_dump(exclude_unset=True)
    codes = CodeLookup()
    municipalities = codes.popped_municipalities(data)
    target_groups = codes.popped_target_groups(data)
    if "municipality" in data:
        data["municipality"] = codes.municipality("municipality", data["municipality"])
    codes.check()
    actions.update_organisation(
        actor,
        organisation=organisation,
        data=data,
        municipalities=municipalities,
        target_groups=target_groups,
    )
    return _present_organisation(actor, organisation)


# --- An organisation's capabilities -------------------------------------------------------------


def _capabilities_of(actor: policy.Actor, organisation_id: int) -> QuerySet[OrganisationCapability]:
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    if not policy.can_view_organisation_details(actor, organisation):
        raise PermissionDenied
    return selectors.organisation_capabilities(organisation)


@router.get(
    "/organisations/{int:organisation_id}/capabilities",
    response=responses(200, Page[OfferOut], 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def list_organisation_capabilities(
    request: HttpRequest, paging: Query[PageQuery], organisation_id: int = ObjectPath
) -> dict[str, Any]:
    """Every capability the organisation declared, including those with quantity 0."""
    rows = _capabilities_of(actor_of(request), organisation_id)
    return paginate(request, rows.order_by("capability__sort_order", "capability__code"), paging)


@router.get(
    "/organisations/{int:organisation_id}/capabilities/{code}",
    response=responses(200, OfferOut, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def get_organisation_capability(
    request: HttpRequest, organisation_id: int = ObjectPath, code: str = CodePath
) -> OrganisationCapability:
    """One declared capability; 404 when the organisation has not declared it."""
    row = _capabilities_of(actor_of(request), organisation_id).filter(capability__code=code).first()
    if row is None:
        raise Http404
    return row


@router.put(
    "/organisations/{int:organisation_id}/capabilities/{code}",
    response=responses(200, OfferOut, 400, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def set_organisation_capability(
    request: HttpRequest,
    payload: OfferIn,
    organisation_id: int = ObjectPath,
    code: str = CodePath,
) -> OrganisationCapability:
    """Declare or change what the organisation offers of one capability (its editors)."""
    actor = actor_of(request)
    organisation = selectors.get_organisation_for_user(actor, organisation_id)
    capability = selectors.capability_catalogue().filter(code=code).first()
    if capability is None:
        raise Http404
    row = actions.set_capability(
        actor,
        organisation=organisation,
        capability=capability,
        quantity=payload.quantity,
        startup_hours=payload.startup_hours,
        availability=payload.availability,
    )
    # As stored (the quantity with its two decimal places).
    return selectors.organisation_capabilities(organisation).get(pk=row.pk)


@router.delete(
    "/organisations/{int:organisation_id}/capabilities/{code}",
    response=responses(204, None, 401, 403, 404),
    auth=signed_in,
    tags=["organisations"],
)
def remove_organisation_capability(
    request: HttpRequest, organisation_id: int = ObjectPath, code: str = CodePath
) -> Status[None]:
    """Withdraw a declared capability (its editors)."""
    actor = actor_of(request)
    row = _capabilities_of(actor, organisation_id).filter(capability__code=code).first()
    if row is None:
        raise Http404
    actions.remove_capability(actor, row=row)
    return Status(204, None)
