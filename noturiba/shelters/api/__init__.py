"""Shelters' JSON API: the list (JSON or GeoJSON), one shelter, and the operator's update.

``GET /shelters`` and ``GET /shelters/{id}`` are public: without credentials they show public
shelters only; with a token (or the session) what ``policy.shelter_filter`` lets the caller
see. A broken ``Authorization`` header is 401, not anonymity (``noturiba.api.auth.public``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from noturiba.api.auth import PUBLIC_OPENAPI, actor_of, public, signed_in
from noturiba.api.errors import ErrorOut
from noturiba.api.pagination import Page, PageQuery, paginate
from noturiba.shelters import actions, exports, selectors
from noturiba.shelters.models import ACCESSIBILITY_FIELDS, FACILITY_FIELDS, Shelter

router = Router(tags=["shelters"])

MAX_ID = 2_147_483_647
ShelterPath = Path(..., ge=1, le=MAX_ID, description="Id of the shelter.")

StatusName = Literal["closed", "opening", "open", "full"]
KindName = Literal["shelter", "cover", "evacuation", "warm_room"]
NeedName = Literal["step_free", "accessible_toilet", "lift", "hearing_loop", "wheelchair_spaces"]
FacilityName = Literal["water", "toilets", "heating", "power_backup", "first_aid"]


def _responses(ok: int, schema: Any, *errors: int) -> dict[int, Any]:
    return {ok: schema, **dict.fromkeys((*errors, 422), ErrorOut)}


class ShelterQuery(Schema):
    """The filters of the public shelter list (values within one filter: any; filters: all)."""

    municipality: str = Field(
        "", max_length=6, description="ISO 3166-2:LV code of the municipality, e.g. `LV-067`."
    )
    status: list[StatusName] = Field(default_factory=list, description="Statuses to include.")
    kind: list[KindName] = Field(default_factory=list, description="Kinds to include.")
    need: list[NeedName] = Field(
        default_factory=list, description="Accessibility features the shelter must have."
    )
    facility: list[FacilityName] = Field(
        default_factory=list, description="Facilities the shelter must have."
    )
    free: bool = Field(False, description="Only open shelters with free short-stay places.")
    format: Literal["json", "geojson"] = Field(
        "json",
        description="`json` (a page of shelters) or `geojson` (an RFC 7946 FeatureCollection "
        "of every matching shelter with coordinates, `application/geo+json`).",
    )

    def filters(self) -> selectors.ShelterFilters:
        return selectors.ShelterFilters.from_query(
            {
                "municipality": [self.municipality],
                "status": list(self.status),
                "kind": list(self.kind),
                "need": list(self.need),
                "facility": list(self.facility),
                "free": ["1" if self.free else ""],
            }
        )


class AccessibilityOut(Schema):
    step_free: bool = Field(description="Step-free entrance.")
    accessible_toilet: bool = Field(description="Accessible toilet.")
    lift: bool = Field(description="Lift.")
    hearing_loop: bool = Field(description="Hearing loop.")
    wheelchair_spaces: int = Field(description="Spaces for wheelchairs.")


class FacilitiesOut(Schema):
    water: bool = Field(description="Drinking water.")
    toilets: bool = Field(description="Toilets.")
    heating: bool = Field(description="Heating.")
    power_backup: bool = Field(description="Backup power.")
    first_aid: bool = Field(description="First aid.")


class ShelterOut(Schema):
    """A shelter with its capacities (computed from the floor area) and current occupancy."""

    id: int = Field(description="Id of the shelter.")
    name: str = Field(description="Name.")
    kind: KindName = Field(description="Kind of place.")
    status: StatusName = Field(description="Status.")
    address: str = Field(description="Street address.")
    municipality: str = Field(description="ISO 3166-2:LV code of the municipality.")
    latitude: float | None = Field(description="WGS 84 latitude, or null.")
    longitude: float | None = Field(description="WGS 84 longitude, or null.")
    floor_area: float | None = Field(description="Floor area in m², or null.")
    short_stay_capacity: int | None = Field(description="People at 0.75 m² each (rounded down).")
    sphere_capacity: int | None = Field(
        description="People at 3.5 m² each (Sphere, longer stays; rounded down)."
    )
    occupancy: int = Field(description="People inside now (the operator's last count).")
    free_places: int | None = Field(description="Short-stay places not taken (never below 0).")
    accessibility: AccessibilityOut = Field(description="Accessibility features.")
    facilities: FacilitiesOut = Field(description="Facilities.")
    operator: str = Field(description="Name of the operating organisation or institution.")
    contact_phone: str = Field(description="Phone (E.164), or empty.")
    notes: str = Field(description="Notes for the public.")
    is_public: bool = Field(description="Shown on the public map.")
    occupancy_updated_at: datetime | None = Field(description="When occupancy was last reported.")

    @staticmethod
    def of(shelter: Shelter) -> dict[str, Any]:
        operator = shelter.operator_organisation or shelter.operator_institution
        return {
            "id": shelter.pk,
            "name": shelter.name,
            "kind": shelter.kind,
            "status": shelter.status,
            "address": shelter.address,
            "municipality": shelter.municipality.code,
            "latitude": float(shelter.latitude) if shelter.latitude is not None else None,
            "longitude": float(shelter.longitude) if shelter.longitude is not None else None,
            "floor_area": float(shelter.floor_area) if shelter.floor_area is not None else None,
            "short_stay_capacity": shelter.short_stay_capacity,
            "sphere_capacity": shelter.sphere_capacity,
            "occupancy": shelter.occupancy,
            "free_places": shelter.free_places,
            "accessibility": {name: getattr(shelter, name) for name in ACCESSIBILITY_FIELDS},
            "facilities": {name: getattr(shelter, name) for name in FACILITY_FIELDS},
            "operator": operator.name if operator is not None else "",
            "contact_phone": shelter.contact_phone,
            "notes": shelter.notes,
            "is_public": shelter.is_public,
            "occupancy_updated_at": shelter.occupancy_updated_at,
        }


class ShelterPage(Page[ShelterOut]):
    """A page of shelters."""


class OccupancyIn(Schema):
    """The operator's report: status and the number of people inside now."""

    status: StatusName = Field(description="New status.")
    occupancy: int = Field(ge=0, le=1_000_000, description="People inside now.")
    note: str = Field("", max_length=300, description="Optional note kept in the history.")


LIST_OPENAPI: dict[str, Any] = {
    **PUBLIC_OPENAPI,
    "responses": {
        "200": {
            "description": "A page of shelters, or with `format=geojson` a FeatureCollection.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ShelterPage"}},
                "application/geo+json": {"schema": {"type": "object"}},
            },
        }
    },
}


@router.get(
    "/shelters",
    response=_responses(200, ShelterPage, 401),
    auth=public,
    openapi_extra=LIST_OPENAPI,
)
def list_shelters(
    request: HttpRequest, query: Query[ShelterQuery], paging: Query[PageQuery]
) -> Any:
    """Shelters, filtered: public ones without credentials, what the caller may see with them."""
    actor = actor_of(request)
    shelters = selectors.search_shelters(actor, query.filters())
    if query.format == "geojson":
        export = exports.export_shelters(
            shelters, "geojson", base_url=request.build_absolute_uri("/").rstrip("/")
        )
        return StreamingHttpResponse(export.content, content_type=export.content_type)
    return paginate(
        request,
        shelters,
        paging,
        present=lambda rows: [ShelterOut.of(row) for row in rows],
    )


@router.get(
    "/shelters/{int:shelter_id}",
    response=_responses(200, ShelterOut, 401, 404),
    auth=public,
    openapi_extra=PUBLIC_OPENAPI,
)
def get_shelter(request: HttpRequest, shelter_id: int = ShelterPath) -> dict[str, Any]:
    """One shelter; 404 when it does not exist or the caller may not see it."""
    return ShelterOut.of(selectors.get_shelter_for_user(actor_of(request), shelter_id))


@router.post(
    "/shelters/{int:shelter_id}/occupancy",
    response=_responses(200, ShelterOut, 400, 401, 403, 404),
    auth=signed_in,
)
def update_occupancy(
    request: HttpRequest, payload: OccupancyIn, shelter_id: int = ShelterPath
) -> dict[str, Any]:
    """Report status and people inside (the operator's people and the shelter's managers).

    Occupancy above the short-stay capacity is accepted only with status `full` (422 otherwise).
    """
    actor = actor_of(request)
    shelter = selectors.get_shelter_for_user(actor, shelter_id)
    if not selectors.can_update(actor, shelter):
        raise PermissionDenied
    shelter = actions.update_shelter_occupancy(
        actor,
        shelter=shelter,
        status=payload.status,
        occupancy=payload.occupancy,
        note=payload.note,
    )
    return ShelterOut.of(selectors.get_shelter_for_user(actor, shelter.pk))
