"""Shelter exports: GeoJSON (RFC 7946) and CSV with an HXL hashtag row.

The public gets public shelters (``selectors.public_shelters``: public and open, opening or
full); a signed-in user who asks for ``scope=all`` gets every shelter they may see
(``selectors.search_shelters``), in any status. The same filters as the lists apply.

**CSV** — UTF-8, a human heading row and under it an HXL hashtag row (no byte-order mark, so
HXL tools read it as is). Cells a spreadsheet would run as a formula are prefixed with ``'``
(``noturiba.network.exports.safe_cell``). Booleans are ``yes``/``no``. The HXL hashtags:

===========================  ==========================================================
``#loc+name``                shelter name
``#loc+type``                kind (shelter, cover, evacuation, warm_room)
``#status``                  closed / opening / open / full
``#loc+address``             street address
``#adm1+code``/``#adm1+name`` municipality (ISO 3166-2:LV code, name)
``#geo+lat``/``#geo+lon``    WGS 84 decimal degrees
``#indicator+area_m2``       floor area, m²
``#capacity+num+short_stay`` places at 0.75 m² per person
``#capacity+num+sphere``     places at 3.5 m² per person (Sphere, longer stays)
``#population+num+sheltered`` people inside now (the operator's last count)
``#capacity+num+free``       short-stay places not taken
``#indicator+access+<need>``  step_free, accessible_toilet, lift, hearing_loop: yes/no;
                             ``+wheelchair_spaces+num``: how many
``#indicator+facility+<f>``  water, toilets, heating, power_backup, first_aid: yes/no
``#org+name``/``#org+type``  operator and whether it is an organisation or an institution
``#contact+phone``           the shelter's phone (E.164)
``#date+updated``            when the occupancy was last reported (ISO 8601, UTC)
===========================  ==========================================================

**GeoJSON** — a FeatureCollection of points ``[longitude, latitude]``; shelters without
coordinates are left out. ``properties`` hold the same values (``accessibility`` and
``facilities`` as objects) plus ``url`` (the public page, for public shelters) and
``exact: true`` (for the shared map script).
"""

from __future__ import annotations

import csv
import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from noturiba.network.exports import safe_cell
from noturiba.shelters.models import ACCESSIBILITY_FIELDS, FACILITY_FIELDS, Shelter

CHUNK = 500


class Export(NamedTuple):
    content_type: str
    filename: str
    content: Iterator[str]


def _iso(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def _operator(shelter: Shelter) -> tuple[str, str]:
    if shelter.operator_organisation is not None:
        return shelter.operator_organisation.name, "organisation"
    if shelter.operator_institution is not None:
        return shelter.operator_institution.name, "institution"
    return "", ""


class Column(NamedTuple):
    heading: str
    hxl: str
    value: Callable[[Shelter], str]


COLUMNS: list[Column] = [
    Column("Name", "#loc+name", lambda s: s.name),
    Column("Kind", "#loc+type", lambda s: s.kind),
    Column("Status", "#status", lambda s: s.status),
    Column("Address", "#loc+address", lambda s: s.address),
    Column("Municipality code", "#adm1+code", lambda s: s.municipality.code),
    Column("Municipality", "#adm1+name", lambda s: s.municipality.name_lv),
    Column("Latitude", "#geo+lat", lambda s: _number(s.latitude)),
    Column("Longitude", "#geo+lon", lambda s: _number(s.longitude)),
    Column("Floor area (m²)", "#indicator+area_m2", lambda s: _number(s.floor_area)),
    Column(
        "Short-stay capacity (0.75 m²/person)",
        "#capacity+num+short_stay",
        lambda s: _number(s.short_stay_capacity),
    ),
    Column(
        "Longer-stay capacity (Sphere, 3.5 m²/person)",
        "#capacity+num+sphere",
        lambda s: _number(s.sphere_capacity),
    ),
    Column("People inside", "#population+num+sheltered", lambda s: str(s.occupancy)),
    Column("Free places", "#capacity+num+free", lambda s: _number(s.free_places)),
    Column("Step-free entrance", "#indicator+access+step_free", lambda s: _yes(s.step_free)),
    Column(
        "Accessible toilet",
        "#indicator+access+accessible_toilet",
        lambda s: _yes(s.accessible_toilet),
    ),
    Column("Lift", "#indicator+access+lift", lambda s: _yes(s.lift)),
    Column("Hearing loop", "#indicator+access+hearing_loop", lambda s: _yes(s.hearing_loop)),
    Column(
        "Wheelchair spaces",
        "#indicator+access+wheelchair_spaces+num",
        lambda s: str(s.wheelchair_spaces),
    ),
    Column("Drinking water", "#indicator+facility+water", lambda s: _yes(s.water)),
    Column("Toilets", "#indicator+facility+toilets", lambda s: _yes(s.toilets)),
    Column("Heating", "#indicator+facility+heating", lambda s: _yes(s.heating)),
    Column("Backup power", "#indicator+facility+power_backup", lambda s: _yes(s.power_backup)),
    Column("First aid", "#indicator+facility+first_aid", lambda s: _yes(s.first_aid)),
    Column("Operator", "#org+name", lambda s: _operator(s)[0]),
    Column("Operator type", "#org+type", lambda s: _operator(s)[1]),
    Column("Phone", "#contact+phone", lambda s: s.contact_phone),
    Column("Updated", "#date+updated", lambda s: _iso(s.occupancy_updated_at) or ""),
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_rows(shelters: QuerySet[Shelter]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow([column.heading for column in COLUMNS])
    yield writer.writerow([column.hxl for column in COLUMNS])
    for shelter in shelters.iterator(chunk_size=CHUNK):
        yield writer.writerow([safe_cell(column.value(shelter)) for column in COLUMNS])


def feature(shelter: Shelter, *, base_url: str = "") -> dict[str, Any] | None:
    """One shelter as a GeoJSON Feature, or None without coordinates."""
    if shelter.latitude is None or shelter.longitude is None:
        return None
    operator, operator_type = _operator(shelter)
    properties: dict[str, Any] = {
        "name": shelter.name,
        "kind": shelter.kind,
        "status": shelter.status,
        "occupancy": shelter.occupancy,
        "floor_area": float(shelter.floor_area) if shelter.floor_area is not None else None,
        "short_stay_capacity": shelter.short_stay_capacity,
        "sphere_capacity": shelter.sphere_capacity,
        "free_places": shelter.free_places,
        "accessibility": {
            name: (
                getattr(shelter, name) if name != "wheelchair_spaces" else shelter.wheelchair_spaces
            )
            for name in ACCESSIBILITY_FIELDS
        },
        "facilities": {name: getattr(shelter, name) for name in FACILITY_FIELDS},
        "address": shelter.address,
        "municipality": shelter.municipality.name,
        "municipality_code": shelter.municipality.code,
        "operator": operator,
        "operator_type": operator_type,
        "phone": shelter.contact_phone,
        "is_public": shelter.is_public,
        "updated": _iso(shelter.occupancy_updated_at),
        "exact": True,
    }
    if shelter.is_public:
        properties["url"] = base_url + reverse("shelters:detail", args=[shelter.pk])
    return {
        "type": "Feature",
        "id": shelter.pk,
        "geometry": {
            "type": "Point",
            "coordinates": [float(shelter.longitude), float(shelter.latitude)],
        },
        "properties": properties,
    }


def geojson(shelters: QuerySet[Shelter], *, base_url: str = "") -> Iterator[str]:
    """An RFC 7946 FeatureCollection, streamed one feature at a time."""
    located = shelters.filter(latitude__isnull=False, longitude__isnull=False)
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for shelter in located.iterator(chunk_size=CHUNK):
        item = feature(shelter, base_url=base_url)
        if item is None:
            continue
        yield separator + json.dumps(item, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}\n"


def export_shelters(shelters: QuerySet[Shelter], fmt: str, *, base_url: str = "") -> Export:
    """``shelters`` as ``csv`` (with the HXL row) or ``geojson``; ValueError for others."""
    stem = f"noturiba-shelters-{timezone.localdate():%Y-%m-%d}"
    if fmt == "csv":
        return Export("text/csv; charset=utf-8", f"{stem}.csv", csv_rows(shelters))
    if fmt == "geojson":
        return Export(
            "application/geo+json", f"{stem}.geojson", geojson(shelters, base_url=base_url)
        )
    raise ValueError(f"unknown format: {fmt!r}")
