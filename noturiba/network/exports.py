"""Exports of the filtered directory: CSV, CSV with HXL hashtags, GeoJSON and vCard.

One entry point, :func:`export_organisations`, serves the pages and the JSON API alike: the
same filters (``DirectoryFilters``) and the same rules as the directory list
(``search_directory``). Content is produced lazily, a chunk of organisations at a time, so a
response can stream 30,000 organisations without holding them in memory.

What an export holds follows the policy:

- organisations the actor may see (the public: the public ones);
- registration number, contacts and address only for those who may see an organisation's
  details (``can_view_organisation_details``), capabilities only for those who may see them
  (``can_see_capabilities``);
- exact coordinates only for those who may see them (``can_view_exact_locations``); the public
  gets the seat municipality's centre, marked ``"exact": false`` in GeoJSON;
- people (vCard) only where the actor may see their contacts (``policy.visible_people``).

Formats:

- **csv** — comma-separated, UTF-8 with a byte-order mark so that Excel shows Latvian letters;
  its headings are the import's own, so an exported file imports again unchanged;
- **hxl** — the same columns with an HXL hashtag row under the headings (no byte-order mark,
  for HXL tools);
- **geojson** — RFC 7946: a FeatureCollection of points, ``[longitude, latitude]`` in WGS 84;
  organisations without coordinates are left out;
- **vcard** — vCard 4.0 (RFC 6350): one card per organisation (``KIND:org``) and one per person
  whose contacts the actor may see, UTF-8, CRLF, lines folded at 75 octets.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts import policy
from noturiba.network.imports.values import format_decimal
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Organisation,
    OrganisationCapability,
    Person,
)
from noturiba.network.selectors import DirectoryFilters, search_directory

CHUNK = 1000
UID_NAMESPACE = uuid.UUID("6f1c7d1e-3a0b-5c55-9d2e-6e6f74757269")  # fixed: UIDs stay stable


class ExportFormat(StrEnum):
    CSV = "csv"
    HXL = "hxl"
    GEOJSON = "geojson"
    VCARD = "vcard"


EXPORT_FORMATS = frozenset(kind.value for kind in ExportFormat)


class Export(NamedTuple):
    content_type: str
    filename: str
    content: Iterator[str]


def export_organisations(
    actor: policy.Actor, filters: DirectoryFilters, fmt: str, *, base_url: str = ""
) -> Export:
    """The directory's matches for ``filters`` as ``fmt`` (``csv``, ``hxl``, ``geojson``,
    ``vcard``). ``base_url`` (e.g. ``https://noturiba.example``) adds links to organisation
    pages. Raises ``ValueError`` for an unknown format."""
    kind = ExportFormat(fmt)
    organisations = search_directory(actor, filters)
    stem = f"noturiba-directory-{timezone.localdate():%Y-%m-%d}"
    context = ExportContext.for_actor(actor, base_url)
    if kind is ExportFormat.CSV:
        return Export("text/csv; charset=utf-8", f"{stem}.csv", csv_rows(organisations, context))
    if kind is ExportFormat.HXL:
        content = csv_rows(organisations, context, hxl=True)
        return Export("text/csv; charset=utf-8", f"{stem}-hxl.csv", content)
    if kind is ExportFormat.GEOJSON:
        return Export("application/geo+json", f"{stem}.geojson", geojson(organisations, context))
    return Export("text/vcard; charset=utf-8", f"{stem}.vcf", vcards(actor, organisations, context))


@dataclass(frozen=True)
class ExportContext:
    actor: policy.Actor
    exact_locations: bool
    capabilities: bool
    base_url: str

    @classmethod
    def for_actor(cls, actor: policy.Actor, base_url: str) -> ExportContext:
        return cls(
            actor,
            exact_locations=policy.can_view_exact_locations(actor),
            capabilities=policy.can_see_capabilities(actor),
            base_url=base_url.rstrip("/"),
        )

    def details(self, organisation: Organisation) -> bool:
        return policy.can_view_organisation_details(self.actor, organisation)

    def allows(self, needs: str, organisation: Organisation) -> bool:
        if needs == "details":
            return self.details(organisation)
        if needs == "capabilities":
            return self.capabilities
        if needs == "exact_locations":
            return self.exact_locations
        return True

    def page(self, organisation: Organisation) -> str:
        if not self.base_url:
            return ""
        return self.base_url + reverse("network:organisation", args=[organisation.pk])


def _with_relations(organisations: QuerySet[Organisation]) -> Iterator[Organisation]:
    return (
        organisations.select_related("municipality")
        .prefetch_related(
            "municipalities",
            "target_groups",
            Prefetch(
                "capabilities",
                queryset=OrganisationCapability.objects.select_related("capability"),
            ),
        )
        .iterator(chunk_size=CHUNK)
    )


def _offered(organisation: Organisation) -> list[OrganisationCapability]:
    items = [item for item in organisation.capabilities.all() if item.quantity > 0]
    return sorted(items, key=lambda item: (item.capability.sort_order, item.capability.code))


# --- CSV and HXL -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    heading: str
    hxl: str
    value: Callable[[Organisation], str]
    needs: str = ""  # "details", "capabilities" or "exact_locations": else blank

    def cell(self, organisation: Organisation, context: ExportContext) -> str:
        if not context.allows(self.needs, organisation):
            return ""
        return safe_cell(self.value(organisation))


def _codes(items: Iterable[Any]) -> str:
    return ",".join(item.code for item in items)


def _coordinate(value: Decimal | None) -> str:
    return format_decimal(value) if value is not None else ""


def _columns(catalogue: list[CapabilityType], context: ExportContext) -> list[Column]:
    columns = [
        Column("name", "#org+name", lambda o: o.name),
        Column(
            "registration_number", "#org+code", lambda o: o.registration_number or "", "details"
        ),
        Column("legal_form", "#org+type", lambda o: o.legal_form),
        Column("scope", "#org+scope", lambda o: o.scope, "details"),
        Column(
            "municipality", "#adm1+code", lambda o: o.municipality.code if o.municipality else ""
        ),
        Column(
            "municipality_name",
            "#adm1+name",
            lambda o: o.municipality.name_lv if o.municipality else "",
        ),
        Column(
            "municipalities",
            "#adm1+covered+list",
            lambda o: _codes(sorted(o.municipalities.all(), key=lambda m: m.code)),
        ),
        Column("target_groups", "#beneficiary+type+list", lambda o: _codes(o.target_groups.all())),
        Column(
            "sectors",
            "#sector+list",
            lambda o: _codes(i.capability for i in _offered(o)),
            "capabilities",
        ),
        Column(
            "clusters",
            "#sector+cluster+list",
            lambda o: ",".join(
                dict.fromkeys(
                    i.capability.hxl_sector for i in _offered(o) if i.capability.hxl_sector
                )
            ),
            "capabilities",
        ),
        Column("email", "#contact+email", lambda o: o.email, "details"),
        Column("phone", "#contact+phone", lambda o: o.phone, "details"),
        Column("website", "#contact+url", lambda o: o.website),
        Column("address", "#loc+address", lambda o: o.address, "details"),
        Column("latitude", "#geo+lat", lambda o: _coordinate(o.latitude), "exact_locations"),
        Column("longitude", "#geo+lon", lambda o: _coordinate(o.longitude), "exact_locations"),
        Column("description", "#description", lambda o: o.description),
        Column("is_public", "#meta+public", lambda o: "yes" if o.is_public else "no"),
        Column(
            "updated_at",
            "#date+updated",
            lambda o: timezone.localtime(o.updated_at).isoformat(timespec="seconds"),
        ),
    ]
    if context.base_url:
        columns.append(Column("page", "#meta+url", context.page))
    columns += [_capability_column(capability) for capability in catalogue]
    return columns


def _capability_column(capability: CapabilityType) -> Column:
    def quantity(organisation: Organisation) -> str:
        for item in organisation.capabilities.all():
            if item.capability_id == capability.pk:
                return format_decimal(item.quantity)
        return ""

    return Column(
        f"capability:{capability.code}", f"#capacity+{capability.code}", quantity, "capabilities"
    )


_NUMBER_LIKE = re.compile(r"[+-][\d\s().-]*")


def safe_cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula: ``=…`` becomes ``'=…``.

    Phone numbers (``+371…``) and negative numbers stay as they are; the import removes the
    apostrophe again.
    """
    if text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and not _NUMBER_LIKE.fullmatch(text)
    ):
        return "'" + text
    return text


class _Echo:
    """A file-like object whose ``write`` returns the line, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


def csv_rows(
    organisations: QuerySet[Organisation], context: ExportContext, *, hxl: bool = False
) -> Iterator[str]:
    columns = _columns(list(CapabilityType.objects.all()), context)
    writer = csv.writer(_Echo())
    yield ("" if hxl else "\ufeff") + writer.writerow([column.heading for column in columns])
    if hxl:
        yield writer.writerow([column.hxl for column in columns])
    for organisation in _with_relations(organisations):
        yield writer.writerow([column.cell(organisation, context) for column in columns])


# --- GeoJSON -----------------------------------------------------------------------------------


def _feature(organisation: Organisation, context: ExportContext) -> dict[str, Any] | None:
    if context.exact_locations:
        latitude, longitude = organisation.latitude, organisation.longitude
    elif organisation.municipality is not None:
        latitude = organisation.municipality.latitude
        longitude = organisation.municipality.longitude
    else:
        return None
    if latitude is None or longitude is None:
        return None
    municipality = organisation.municipality
    properties: dict[str, Any] = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "municipality": municipality.code if municipality else None,
        "municipality_name": municipality.name_lv if municipality else None,
        "municipalities": sorted(m.code for m in organisation.municipalities.all()),
        "target_groups": [g.code for g in organisation.target_groups.all()],
        "website": organisation.website,
        "exact": context.exact_locations,
    }
    if context.details(organisation):
        properties |= {
            "registration_number": organisation.registration_number,
            "email": organisation.email,
            "phone": organisation.phone,
            "address": organisation.address,
        }
    if context.capabilities:
        properties["capabilities"] = {
            item.capability.code: float(item.quantity) for item in _offered(organisation)
        }
    if context.base_url:
        properties["url"] = context.page(organisation)
    return {
        "type": "Feature",
        "id": organisation.pk,
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": properties,
    }


def geojson(organisations: QuerySet[Organisation], context: ExportContext) -> Iterator[str]:
    """An RFC 7946 FeatureCollection, streamed one feature at a time."""
    located = organisations.filter(latitude__isnull=False, longitude__isnull=False)
    yield '{"type":"FeatureCollection","features":['
    separator = ""
    for organisation in _with_relations(located):
        feature = _feature(organisation, context)
        if feature is None:
            continue
        yield separator + json.dumps(feature, ensure_ascii=False, separators=(",", ":"))
        separator = ","
    yield "]}\n"


# --- vCard -------------------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """RFC 6350 §3.4: backslash, comma, semicolon and line breaks escaped."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return re.sub(r"\r\n|\r|\n", "\\\\n", value)


def fold_line(line: str) -> str:
    """RFC 6350 §3.2: lines longer than 75 octets are folded (CRLF + space), never inside a
    UTF-8 character."""
    if len(line.encode("utf-8")) <= 75:
        return line + "\r\n"
    parts: list[str] = []
    current, size = "", 0
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > 75:
            parts.append(current)
            current, size = " ", 1
        current += character
        size += width
    parts.append(current)
    return "\r\n".join(parts) + "\r\n"


def _card(lines: list[str]) -> str:
    return "".join(fold_line(line) for line in ["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD"])


def _uid(kind: str, pk: int) -> str:
    return f"UID:urn:uuid:{uuid.uuid5(UID_NAMESPACE, f'{kind}:{pk}')}"


def _rev(moment: datetime.datetime) -> str:
    return "REV:" + moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def organisation_card(organisation: Organisation, context: ExportContext) -> str:
    lines = [
        "KIND:org",
        _uid("organisation", organisation.pk),
        f"FN:{escape_text(organisation.name)}",
        f"ORG:{escape_text(organisation.name)}",
    ]
    if organisation.website:
        lines.append(f"URL:{organisation.website}")
    if context.details(organisation):
        if organisation.email:
            lines.append(f"EMAIL;TYPE=work:{escape_text(organisation.email)}")
        if organisation.phone:
            lines.append(f"TEL;VALUE=uri;TYPE=work:tel:{organisation.phone}")
        if organisation.address:
            region = organisation.municipality.name_lv if organisation.municipality else ""
            street, region = escape_text(organisation.address), escape_text(region)
            lines.append(f"ADR;TYPE=work:;;{street};;{region};;{escape_text('Latvija')}")
    offered = [escape_text(item.capability.code) for item in _offered(organisation)]
    if context.capabilities and offered:
        lines.append("CATEGORIES:" + ",".join(offered))
    if context.exact_locations and organisation.has_location:
        lines.append(
            f"GEO:geo:{_coordinate(organisation.latitude)},{_coordinate(organisation.longitude)}"
        )
    if organisation.description:
        lines.append(f"NOTE:{escape_text(organisation.description)}")
    if context.base_url:
        lines.append(f"SOURCE:{context.page(organisation)}")
    lines.append(_rev(organisation.updated_at))
    return _card(lines)


def _name_parts(full_name: str) -> tuple[str, str]:
    """("family", "given"): the last word is the family name, as Latvian names are written."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def person_card(person: Person, memberships: list[Membership]) -> str:
    family, given = _name_parts(person.full_name)
    lines = [
        "KIND:individual",
        _uid("person", person.pk),
        f"FN:{escape_text(person.full_name)}",
        f"N:{escape_text(family)};{escape_text(given)};;;",
    ]
    lines += [f"ORG:{escape_text(m.organisation.name)}" for m in memberships]
    title = next((m.title for m in memberships if m.title), "")
    if title:
        lines.append(f"TITLE:{escape_text(title)}")
    if person.email:
        lines.append(f"EMAIL:{escape_text(person.email)}")
    if person.phone:
        lines.append(f"TEL;VALUE=uri;TYPE=cell:tel:{person.phone}")
    lines.append(f"LANG:{person.preferred_language}")
    lines.append(_rev(person.updated_at))
    return _card(lines)


def _exported_people(
    actor: policy.Actor, organisations: QuerySet[Organisation]
) -> Iterator[Person]:
    """Members of the exported organisations whose contacts ``actor`` may see."""
    members = Membership.objects.filter(organisation__in=organisations.order_by().values("pk"))
    people = policy.visible_people(actor, Person.objects.filter(pk__in=members.values("person")))
    memberships = Membership.objects.select_related("organisation").order_by(
        "organisation__name", "organisation_id"
    )
    return (
        people.order_by("full_name", "id")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
        .iterator(chunk_size=CHUNK)
    )


def vcards(
    actor: policy.Actor, organisations: QuerySet[Organisation], context: ExportContext
) -> Iterator[str]:
    exported: set[int] = set()
    for organisation in _with_relations(organisations):
        exported.add(organisation.pk)
        yield organisation_card(organisation, context)
    for person in _exported_people(actor, organisations):
        # Only the organisations of this export are named (the others may be filtered out).
        shown = [m for m in person.memberships.all() if m.organisation_id in exported]
        yield person_card(person, shown)
