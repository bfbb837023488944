"""What the columns of an import file mean: Latvian and English headings → fields.

Headings match without regard to case, diacritics, spaces or punctuation ("Reģ. Nr." is
"reg nr"). A table is a **people** table when it has a person's-name column (and no
organisation name column); otherwise it is an **organisations** table. Capability columns are
``capability:<code>`` or a capability's name in the catalogue ("Transports", "First aid").
The import page lists every heading from here, so the help text cannot drift from the code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from noturiba.lib.text import fold
from noturiba.network.imports.reading import ImportFileError, Table


class TableKind(StrEnum):
    ORGANISATIONS = "organisations"
    PEOPLE = "people"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: Promise
    aliases: tuple[str, ...]
    required: bool = False


def heading_key(text: str) -> str:
    """``"Reģ. Nr."`` → ``"regnr"``: folded, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(text))


_EMAIL = ("E-pasts", "E-pasta adrese", "email", "e-mail")
_PHONE = ("Tālrunis", "Telefons", "Tālr.", "Tel.", "Mobilais tālrunis", "phone", "telephone")

ORGANISATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        gettext_lazy("Name"),
        (
            "Nosaukums",
            "Organizācijas nosaukums",
            "Organizācija",
            "name",
            "organisation name",
            "organization name",
            "organisation",
            "organization",
        ),
        required=True,
    ),
    FieldSpec(
        "registration_number",
        gettext_lazy("Registration number"),
        (
            "Reģistrācijas numurs",
            "Reģistrācijas Nr.",
            "Reģ. Nr.",
            "Reģ. numurs",
            "registration number",
            "registration_number",
            "reg no",
        ),
    ),
    FieldSpec(
        "legal_form",
        gettext_lazy("Legal form"),
        ("Juridiskā forma", "Tiesiskā forma", "Organizācijas forma", "legal form", "legal_form"),
    ),
    FieldSpec("scope", gettext_lazy("Works"), ("Darbības mērogs", "Mērogs", "scope")),
    FieldSpec(
        "description",
        gettext_lazy("Description"),
        ("Apraksts", "Darbības apraksts", "Darbības joma", "description"),
    ),
    FieldSpec(
        "website",
        gettext_lazy("Website"),
        (
            "Mājaslapa",
            "Mājas lapa",
            "Tīmekļvietne",
            "Interneta vietne",
            "website",
            "web",
            "url",
            "homepage",
        ),
    ),
    FieldSpec("email", gettext_lazy("Email"), _EMAIL),
    FieldSpec("phone", gettext_lazy("Phone"), _PHONE),
    FieldSpec("address", gettext_lazy("Address"), ("Adrese", "Juridiskā adrese", "address")),
    FieldSpec(
        "municipality",
        gettext_lazy("Seat municipality"),
        ("Novads", "Pašvaldība", "Novads vai valstspilsēta", "municipality", "seat municipality"),
    ),
    FieldSpec(
        "municipalities",
        gettext_lazy("Municipalities covered"),
        (
            "Darbības teritorija",
            "Darbības novadi",
            "Novadi",
            "municipalities",
            "municipalities covered",
            "areas",
        ),
    ),
    FieldSpec(
        "target_groups",
        gettext_lazy("Target groups"),
        ("Mērķa grupas", "Mērķgrupas", "target groups", "target_groups"),
    ),
    FieldSpec(
        "latitude",
        gettext_lazy("Latitude"),
        ("Platums", "Ģeogrāfiskais platums", "latitude", "lat"),
    ),
    FieldSpec(
        "longitude",
        gettext_lazy("Longitude"),
        ("Garums", "Ģeogrāfiskais garums", "longitude", "lon", "lng"),
    ),
    FieldSpec(
        "is_public",
        gettext_lazy("Listed publicly"),
        ("Publisks", "Publiska", "Rādīt publiski", "public", "is_public", "listed publicly"),
    ),
    FieldSpec(
        "contact_name",
        gettext_lazy("Contact person"),
        (
            "Kontaktpersona",
            "Kontaktpersonas vārds",
            "contact person",
            "contact name",
            "contact_name",
        ),
    ),
    FieldSpec(
        "contact_email",
        gettext_lazy("Contact person's email"),
        ("Kontaktpersonas e-pasts", "contact email", "contact person email", "contact_email"),
    ),
    FieldSpec(
        "contact_phone",
        gettext_lazy("Contact person's phone"),
        ("Kontaktpersonas tālrunis", "contact phone", "contact person phone", "contact_phone"),
    ),
    FieldSpec(
        "contact_title",
        gettext_lazy("Contact person's position"),
        ("Kontaktpersonas amats", "contact position", "contact title", "contact_title"),
    ),
)

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "full_name",
        gettext_lazy("Person's name"),
        (
            "Vārds, uzvārds",
            "Vārds uzvārds",
            "Personas vārds",
            "Persona",
            "person name",
            "person",
            "full name",
            "full_name",
        ),
        required=True,
    ),
    FieldSpec("email", gettext_lazy("Email"), _EMAIL),
    FieldSpec("phone", gettext_lazy("Phone"), _PHONE),
    FieldSpec("role", gettext_lazy("Role"), ("Loma", "role")),
    FieldSpec("title", gettext_lazy("Position"), ("Amats", "position", "title")),
    FieldSpec(
        "preferred_language",
        gettext_lazy("Preferred language"),
        ("Valoda", "Saziņas valoda", "language", "preferred language", "preferred_language"),
    ),
    FieldSpec(
        "organisation",
        gettext_lazy("Organisation's registration number"),
        (
            "Organizācijas reģistrācijas numurs",
            "Organizācijas reģ. Nr.",
            "Reģistrācijas numurs",
            "Reģ. Nr.",
            "organisation registration number",
            "organization registration number",
            "organisation_registration_number",
            "registration number",
            "registration_number",
        ),
        required=True,
    ),
)

CAPABILITY_PREFIXES = frozenset({"capability", "speja", "resurss"})
# Columns the exports add for people reading them; an exported file imports again unchanged.
EXPORT_ONLY_HEADINGS = frozenset({"municipalityname", "sectors", "clusters", "updatedat", "page"})
# Row counters of hand-made lists ("Nr.", "N.p.k.").
COUNTER_HEADINGS = frozenset({"nr", "nrpk", "npk", "no"})


def _alias_index(specs: tuple[FieldSpec, ...]) -> dict[str, str]:
    return {heading_key(alias): spec.key for spec in specs for alias in spec.aliases}


_ORGANISATION_ALIASES = _alias_index(ORGANISATION_FIELDS)
_PERSON_ALIASES = _alias_index(PERSON_FIELDS)
_PERSON_NAME_KEYS = frozenset(heading_key(alias) for alias in PERSON_FIELDS[0].aliases) - frozenset(
    _ORGANISATION_ALIASES
)


@dataclass(frozen=True)
class ColumnMap:
    """Which column of a table holds which field (by index)."""

    table: Table
    kind: TableKind
    fields: dict[str, int]
    capabilities: dict[str, int] = field(default_factory=dict)
    ignored: frozenset[int] = frozenset()

    def heading(self, index: int) -> str:
        return self.table.header[index]

    def field_heading(self, key: str) -> str:
        return self.table.header[self.fields[key]]

    @property
    def known_columns(self) -> frozenset[int]:
        return (
            frozenset(self.fields.values()) | frozenset(self.capabilities.values()) | (self.ignored)
        )


def table_kind(table: Table) -> TableKind:
    keys = {heading_key(heading) for heading in table.header}
    if keys & _PERSON_NAME_KEYS and "name" not in {_ORGANISATION_ALIASES.get(k) for k in keys}:
        return TableKind.PEOPLE
    return TableKind.ORGANISATIONS


def capability_code(heading: str, capability_keys: Mapping[str, str]) -> str | None:
    """``"capability:transport"``, ``"Spēja: Transports"`` or ``"Transports"`` → ``"transport"``."""
    prefix, separator, rest = heading.partition(":")
    if separator and heading_key(prefix) in CAPABILITY_PREFIXES:
        return capability_keys.get(heading_key(rest))
    return capability_keys.get(heading_key(heading))


def recognises_any(table: Table, capability_keys: Mapping[str, str]) -> bool:
    """Does any heading of ``table`` mean something to the import?"""
    aliases = _PERSON_ALIASES if table_kind(table) is TableKind.PEOPLE else _ORGANISATION_ALIASES
    return any(
        heading_key(heading) in aliases or capability_code(heading, capability_keys)
        for heading in table.header
    )


def map_columns(table: Table, capability_keys: Mapping[str, str]) -> ColumnMap:
    """The meaning of every heading of ``table``; unknown or repeated headings are refused.

    ``capability_keys`` maps heading keys (codes and catalogue names) to capability codes.
    A column whose heading is empty is allowed only while it holds no values (checked per row).
    """
    kind = table_kind(table)
    aliases = _PERSON_ALIASES if kind is TableKind.PEOPLE else _ORGANISATION_ALIASES
    fields: dict[str, int] = {}
    capabilities: dict[str, int] = {}
    ignored: set[int] = set()
    unknown: list[str] = []
    repeated: list[str] = []
    for index, heading in enumerate(table.header):
        key = heading_key(heading)
        if not key:
            continue
        if key in EXPORT_ONLY_HEADINGS or key in COUNTER_HEADINGS:
            ignored.add(index)
            continue
        target, name = fields, aliases.get(key)
        if name is None and kind is TableKind.ORGANISATIONS:
            target, name = capabilities, capability_code(heading, capability_keys)
        if name is None:
            unknown.append(heading)
        elif name in target:
            first = table.header[target[name]]
            repeated.append(_("“%(first)s” and “%(second)s”") % {"first": first, "second": heading})
        else:
            target[name] = index
    problems = _problems(kind, fields, unknown, repeated)
    if problems:
        where = _("Sheet “%(name)s”: ") % {"name": table.name} if table.name else ""
        raise ImportFileError(where + " ".join(problems))
    return ColumnMap(table, kind, fields, capabilities, frozenset(ignored))


def _problems(
    kind: TableKind, fields: dict[str, int], unknown: list[str], repeated: list[str]
) -> list[str]:
    problems = []
    if unknown:
        problems.append(
            _(
                "Unknown columns: %(columns)s. Rename them to a heading listed on the import "
                "page or delete them."
            )
            % {"columns": ", ".join(f"“{heading}”" for heading in unknown)}
        )
    if repeated:
        problems.append(
            _("These columns mean the same thing: %(pairs)s.") % {"pairs": "; ".join(repeated)}
        )
    specs = PERSON_FIELDS if kind is TableKind.PEOPLE else ORGANISATION_FIELDS
    for spec in specs:
        if spec.required and spec.key not in fields:
            problems.append(
                _("A required column is missing: %(label)s (for example “%(heading)s”).")
                % {"label": spec.label, "heading": spec.aliases[0]}
            )
    return problems
