"""Exports of following the response: the 3W table (who does what where) as CSV with HXL
hashtags, and the map of needs and responders as GeoJSON.

**3W** — one row per active claim on the requests of the situation report's period and area,
then one row per line of an open request with quantity still to claim ("not yet covered", no
organisation). The first row holds the column names in the active language, the second the HXL
hashtags (https://hxlstandard.org); the municipality is its ISO 3166-2 code (``#adm1+code``) and
Latvian name, and the registration number is ``#org+code``, as in the directory's export
(``noturiba.network.exports``). Cells a spreadsheet would run as a formula are quoted the same
way (``safe_cell``). Streamed a chunk of rows at a time.

**GeoJSON** — RFC 7946: a FeatureCollection of points, ``[longitude, latitude]`` in WGS 84.
Requests without coordinates are placed at their municipality's centre and organisations without
coordinates at their seat municipality's centre, with ``"exact": false``.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.assistance.selectors.follow import (
    Responder,
    riga,
    three_w_claims,
    three_w_uncovered,
)
from noturiba.network.exports import safe_cell
from noturiba.network.imports.values import format_decimal
from noturiba.network.models import Organisation, Unit

# --- 3W ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """What one 3W row says: a claim (``claim`` set) or a line not yet covered."""

    line: RequestLine
    claim: Claim | None = None

    @property
    def request(self) -> AssistanceRequest:
        return self.line.request

    @property
    def organisation(self) -> Organisation | None:
        return self.claim.organisation if self.claim else None


def _number(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else ""


def _when(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    return timezone.localtime(moment, riga()).isoformat(timespec="minutes")


def _status(row: Row) -> str:
    if row.claim is None:
        return _("not yet covered")
    return str(row.claim.get_state_display())


def _taken_on(row: Row) -> str:
    return _number(row.claim.quantity) if row.claim else "0"


def _done(row: Row) -> str:
    if row.claim is None:
        return "0"
    return _number(row.claim.quantity if row.claim.state == Claim.State.DONE else Decimal(0))


@dataclass(frozen=True)
class Column:
    heading: Any  # a lazy translation
    hxl: str
    value: Callable[[Row], str]


COLUMNS = [
    Column(
        gettext_lazy("Organisation"),
        "#org+name",
        lambda r: r.organisation.name if r.organisation else "",
    ),
    Column(
        gettext_lazy("Registration number"),
        "#org+code",
        lambda r: (r.organisation.registration_number or "") if r.organisation else "",
    ),
    Column(gettext_lazy("Sector"), "#sector", lambda r: r.line.capability.hxl_sector),
    Column(gettext_lazy("Activity"), "#activity+name", lambda r: r.line.capability.name),
    Column(gettext_lazy("Activity code"), "#activity+code", lambda r: r.line.capability.code),
    Column(gettext_lazy("Municipality"), "#adm1+name", lambda r: r.request.municipality.name_lv),
    Column(gettext_lazy("Municipality code"), "#adm1+code", lambda r: r.request.municipality.code),
    Column(gettext_lazy("Address"), "#loc+name", lambda r: r.request.address),
    Column(gettext_lazy("Latitude"), "#geo+lat", lambda r: _number(r.request.latitude)),
    Column(gettext_lazy("Longitude"), "#geo+lon", lambda r: _number(r.request.longitude)),
    Column(gettext_lazy("Requested"), "#targeted+num", lambda r: _number(r.line.quantity)),
    Column(gettext_lazy("Taken on"), "#reached+num+planned", _taken_on),
    Column(gettext_lazy("Done"), "#reached+num+done", _done),
    Column(
        gettext_lazy("Still missing on the line"),
        "#targeted+num+unmet",
        lambda r: _number(r.line.remaining),
    ),
    Column(gettext_lazy("Unit"), "#indicator+unit", lambda r: str(Unit(r.line.unit).label)),
    Column(gettext_lazy("Status"), "#status", _status),
    Column(gettext_lazy("Needed from"), "#date+start", lambda r: _when(r.request.starts_at)),
    Column(gettext_lazy("Needed until"), "#date+end", lambda r: _when(r.request.ends_at)),
    Column(gettext_lazy("Answer by"), "#date+deadline", lambda r: _when(r.request.deadline)),
    Column(gettext_lazy("Urgency"), "#severity", lambda r: str(r.request.get_urgency_display())),
    Column(gettext_lazy("Request"), "#meta+id", lambda r: str(r.request.pk)),
    Column(gettext_lazy("Request title"), "#meta+title", lambda r: r.request.title),
]


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def three_w_filename() -> str:
    return f"noturiba-3w-{timezone.localdate(timezone=riga()):%Y-%m-%d}.csv"


def three_w_rows(requests: QuerySet[AssistanceRequest], *, uncovered: bool = True) -> Iterator[str]:
    """The 3W CSV of ``requests``, a line of text at a time: headings, hashtags, claims, then
    (with ``uncovered``) the lines still to claim. Texts are in the language active now, even
    when the rows are read later (a streamed response)."""
    return _three_w_rows(requests, uncovered=uncovered, language=translation.get_language())


def _three_w_rows(
    requests: QuerySet[AssistanceRequest], *, uncovered: bool, language: str | None
) -> Iterator[str]:
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield writer.writerow([str(column.heading) for column in COLUMNS])
        yield writer.writerow([column.hxl for column in COLUMNS])
        yield from three_w_rows_for(Row(claim.line, claim) for claim in three_w_claims(requests))
        if uncovered:
            yield from three_w_rows_for(Row(line) for line in three_w_uncovered(requests))


def three_w_rows_for(rows: Iterable[Row]) -> Iterator[str]:
    """``rows`` as CSV lines, without the heading rows."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(_cells(row))


def _cells(row: Row) -> list[str]:
    return [safe_cell(column.value(row)) for column in COLUMNS]


# --- GeoJSON of the map ------------------------------------------------------------------------


def _coverage_text(line: RequestLine) -> str:
    return _("%(capability)s: %(claimed)s of %(quantity)s %(unit)s, %(remaining)s missing") % {
        "capability": line.capability.name,
        "claimed": formats.number_format(line.claimed.normalize()),
        "quantity": formats.number_format(line.quantity.normalize()),
        "unit": Unit(line.unit).label,
        "remaining": formats.number_format(line.remaining.normalize()),
    }


def request_feature(request: AssistanceRequest, url: str) -> dict[str, Any]:
    """A request as a GeoJSON feature (lines prefetched, municipality selected)."""
    latitude, longitude = request.latitude, request.longitude
    exact = latitude is not None and longitude is not None
    if latitude is None or longitude is None:
        latitude, longitude = request.municipality.latitude, request.municipality.longitude
    lines = list(request.lines.all())
    deadline = timezone.localtime(request.deadline, riga())
    coverage = [_coverage_text(line) for line in lines]
    return {
        "type": "Feature",
        "id": f"request-{request.pk}",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": {
            "kind": "request",
            "id": request.pk,
            "name": request.title,
            "url": url,
            # map.js shows "municipality" under the linked name: the popup's summary.
            "municipality": " · ".join(
                [
                    request.municipality.name,
                    str(request.get_urgency_display()),
                    _("answer by %(deadline)s")
                    % {"deadline": formats.date_format(deadline, "SHORT_DATETIME_FORMAT")},
                    *coverage,
                ]
            ),
            "municipality_code": request.municipality.code,
            "exact": exact,
            "urgency": request.urgency,
            "overdue": bool(getattr(request, "uncovered", False)) and request.is_overdue(),
            "deadline": deadline.isoformat(timespec="minutes"),
            "coverage": coverage,
            "lines": [
                {
                    "capability": line.capability.code,
                    "unit": line.unit,
                    "quantity": float(line.quantity),
                    "claimed": float(line.claimed),
                    "remaining": float(line.remaining),
                }
                for line in lines
            ],
        },
    }


def responder_feature(responder: Responder) -> dict[str, Any] | None:
    """A responding organisation as a GeoJSON feature; None when it cannot be placed."""
    latitude, longitude = responder.latitude, responder.longitude
    if latitude is None or longitude is None:
        return None
    organisation = responder.organisation
    doing = "; ".join(
        f"{activity.capability}: {formats.number_format(activity.quantity.normalize())} "
        f"{Unit(activity.unit).label} ({activity.request_title})"
        for activity in responder.activities
    )
    return {
        "type": "Feature",
        "id": f"organisation-{organisation.pk}",
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": {
            "kind": "organisation",
            "id": organisation.pk,
            "name": _("Responding: %(organisation)s") % {"organisation": organisation.name},
            "url": reverse("network:organisation", args=[organisation.pk]),
            # map.js shows "municipality" under the linked name: what the organisation does.
            "municipality": doing,
            "exact": responder.exact,
            "activities": [
                {
                    "request": activity.request_id,
                    "capability": activity.capability,
                    "quantity": float(activity.quantity),
                    "unit": activity.unit,
                    "states": list(activity.states),
                }
                for activity in responder.activities
            ],
        },
    }
