"""Reference data: municipalities, the capability catalogue, target groups."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from noturiba.api.auth import PUBLIC_OPENAPI, public
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.network import selectors
from noturiba.network.api.common import responses
from noturiba.network.models import Municipality
from noturiba.network.schemas import (
    CapabilityTypeOut,
    MunicipalityOut,
    TargetGroupOut,
)

router = Router()


# --- Reference data ---------------------------------------------------------------------------


@router.get(
    "/municipalities",
    response=responses(200, Page[MunicipalityOut]),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["reference data"],
)
def list_municipalities(
    request: HttpRequest,
    paging: Query[PageQuery],
    include_historical: bool = Query(
        False, description="Also list municipalities that no longer exist (merged ones)."
    ),
) -> dict[str, Any]:
    """Latvia's local governments: the current ones, or all with `include_historical=1`."""
    queryset = (
        Municipality.objects.all() if include_historical else selectors.current_municipalities()
    )
    return paginate(request, queryset.select_related("successor"), paging)


@router.get(
    "/capabilities",
    response=responses(200, Page[CapabilityTypeOut]),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["reference data"],
)
def list_capabilities(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """The capability catalogue: what organisations can offer in a crisis, with units."""
    return paginate(request, selectors.capability_catalogue(), paging)


@router.get(
    "/target-groups",
    response=responses(200, Page[TargetGroupOut]),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
    tags=["reference data"],
)
def list_target_groups(request: HttpRequest, paging: Query[PageQuery]) -> dict[str, Any]:
    """Groups of people organisations serve."""
    return paginate(request, selectors.target_groups().select_related("parent"), paging)
