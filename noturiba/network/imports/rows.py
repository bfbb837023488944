"""Parsing and validating rows: text cells → model values, or row errors naming the column.

Each field is first read the way Latvian lists write it (decimal commas, "jā", names of
municipalities), then checked with the model field's own ``clean`` — the same rules as the
forms and actions. A row keeps only the fields whose columns the file has: a re-import changes
only what the file carries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from noturiba.lib.text import fold
from noturiba.network.imports.columns import ColumnMap, TableKind, heading_key
from noturiba.network.imports.reading import Row
from noturiba.network.imports.reference import ReferenceIndex
from noturiba.network.imports.values import (
    normalise_registration_number,
    normalise_website,
    parse_bool,
    parse_decimal,
    split_list,
)
from noturiba.network.models import (
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)
from noturiba.network.validators import clean_phone

COORDINATE_PLACES = Decimal("0.00001")


@dataclass(frozen=True)
class RowError:
    table: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row}
        if self.table:
            where = _("sheet “%(sheet)s”, %(where)s") % {"sheet": self.table, "where": where}
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class DuplicateMatch:
    """Why a row without a registration number looks like a known organisation."""

    label: str
    reason: str
    organisation_id: int | None = None
    row: int | None = None


@dataclass
class PersonRow:
    """A person to create or update, and their membership in one organisation."""

    table: str
    number: int
    values: dict[str, Any]
    role: str | None = None
    title: str | None = None
    registration_number: str | None = None  # of the organisation (people tables)
    organisation_row: OrganisationRow | None = None  # the organisation, when a row of the file
    is_contact: bool = False  # from the contact columns of an organisation row
    errors: list[RowError] = field(default_factory=list)
    # Set by matching (preview.py):
    existing_id: int | None = None
    organisation_id: int | None = None
    same_as: PersonRow | None = None

    @property
    def email_key(self) -> str:
        return str(self.values.get("email") or "").lower()

    def report(self, column: str, message: str) -> None:
        """An error of this person; a contact's errors belong to its organisation's row."""
        error = RowError(self.table, self.number, column, message)
        if self.is_contact and self.organisation_row is not None:
            self.organisation_row.errors.append(error)
        else:
            self.errors.append(error)


@dataclass
class OrganisationRow:
    table: str
    number: int
    values: dict[str, Any]
    municipalities: list[Municipality] | None = None
    target_groups: list[TargetGroup] | None = None
    capabilities: dict[str, Decimal | None] = field(default_factory=dict)
    contact: PersonRow | None = None
    errors: list[RowError] = field(default_factory=list)
    # Set by matching (preview.py):
    existing_id: int | None = None
    duplicates: list[DuplicateMatch] = field(default_factory=list)

    @property
    def registration_number(self) -> str | None:
        return self.values.get("registration_number")

    @property
    def name(self) -> str:
        return str(self.values.get("name") or "")


class _Cells:
    """One row's cells by field, collecting errors against the file's own headings."""

    def __init__(self, columns: ColumnMap, row: Row) -> None:
        self.columns = columns
        self.row = row
        self.errors: list[RowError] = []

    def has(self, key: str) -> bool:
        return key in self.columns.fields

    def text(self, key: str) -> str:
        index = self.columns.fields.get(key)
        if index is None or index >= len(self.row.cells):
            return ""
        return self.row.cells[index]

    def error(self, key: str, message: str, *, heading: str | None = None) -> None:
        column = heading if heading is not None else self.columns.field_heading(key)
        self.errors.append(RowError(self.columns.table.name, self.row.number, column, message))

    def parse(self, key: str, parser: Callable[[str], Any]) -> Any:
        try:
            return parser(self.text(key))
        except ValidationError as exc:
            self.error(key, " ".join(exc.messages))
        except ValueError as exc:
            self.error(key, _explain(exc))
        return None

    def check_extra_cells(self) -> None:
        """A value in a column without a heading means the row and the heading disagree."""
        known = self.columns.known_columns
        width = len(self.columns.table.header)
        for index, cell in enumerate(self.row.cells):
            if not cell or index in known:
                continue
            if index >= width:
                message = _(
                    "the row has %(count)d values but the heading row has only %(width)d columns"
                ) % {"count": _last_filled(self.row.cells) + 1, "width": width}
            else:
                message = _("column %(index)d has a value but no heading") % {"index": index + 1}
            self.errors.append(RowError(self.columns.table.name, self.row.number, "", message))
            return


def _last_filled(cells: tuple[str, ...]) -> int:
    return max(index for index, cell in enumerate(cells) if cell)


def _explain(exc: ValueError) -> str:
    reasons = {
        "ambiguous decimal separators": _(
            "use either a decimal comma or a decimal point, not both (e.g. 12,5)"
        ),
        "not a number": _("must be a number, e.g. 12 or 12,5"),
        "not yes or no": _("must be yes or no (jā / nē)"),
    }
    return reasons.get(str(exc), str(exc))


def _model_clean(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """The model field's own validation (length, format, choices, blank)."""
    model_field = cast(models.Field, model._meta.get_field(name))
    return lambda value: model_field.clean(value, None)


# --- Choices written in words ------------------------------------------------------------------

LEGAL_FORMS = {
    **{heading_key(code): code for code in Organisation.LegalForm.values},
    **{
        heading_key(word): code
        for code, words in {
            Organisation.LegalForm.ASSOCIATION: ("biedrība", "association", "NVO"),
            Organisation.LegalForm.FOUNDATION: ("nodibinājums", "foundation", "fonds"),
            Organisation.LegalForm.RELIGIOUS: (
                "reliģiska organizācija",
                "reliģiskā organizācija",
                "draudze",
                "religious organisation",
            ),
            Organisation.LegalForm.TRADE_UNION: ("arodbiedrība", "trade union"),
            Organisation.LegalForm.SOCIAL_ENTERPRISE: ("sociālais uzņēmums", "social enterprise"),
            Organisation.LegalForm.OTHER: ("cits", "cita", "other"),
        }.items()
        for word in words
    },
}
SCOPES = {
    **{heading_key(code): code for code in Organisation.Scope.values},
    **{
        heading_key(word): code
        for code, words in {
            Organisation.Scope.LOCAL: ("vietēja", "vietējā kopiena", "local community"),
            Organisation.Scope.REGIONAL: ("reģionāla", "reģionāls"),
            Organisation.Scope.NATIONAL: ("nacionāla", "valsts mēroga", "visa Latvija"),
            Organisation.Scope.THEMATIC: ("tematiska", "mērķa grupa", "thematic"),
        }.items()
        for word in words
    },
}
ROLES = {
    heading_key(word): code
    for code, words in {
        Membership.Role.ADMIN: (
            "admin",
            "administrators",
            "administratore",
            "organizācijas administrators",
            "organisation admin",
        ),
        Membership.Role.MEMBER: (
            "member",
            "biedrs",
            "biedre",
            "brīvprātīgais",
            "brīvprātīgā",
            "volunteer",
            "member / volunteer",
        ),
    }.items()
    for word in words
}
LANGUAGES = {
    **{heading_key(code): code for code in Person.Language.values},
    **{
        heading_key(word): code
        for code, words in {
            Person.Language.LATVIAN: ("latviešu", "latviski", "latvian"),
            Person.Language.ENGLISH: ("angļu", "angliski", "english"),
            Person.Language.RUSSIAN: ("krievu", "krieviski", "russian"),
            Person.Language.UKRAINIAN: ("ukraiņu", "ukrainiski", "ukrainian"),
        }.items()
        for word in words
    },
}


def _choice(words: Mapping[str, str], allowed: Sequence[str]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        choice = words.get(heading_key(text))
        if choice is None:
            raise ValueError(_("unknown value; use one of: %(values)s") % {"values": allowed})
        return choice

    return parse


# --- Field parsers -----------------------------------------------------------------------------


def _registration_number(text: str) -> str | None:
    number = normalise_registration_number(text)
    return _model_clean(Organisation, "registration_number")(number) or None


def _coordinate(limit: int) -> Callable[[str], Decimal | None]:
    def parse(text: str) -> Decimal | None:
        if not text.strip():
            return None
        value = parse_decimal(text)
        if not -limit <= value <= limit:
            raise ValueError(_("must be between -%(limit)d and %(limit)d") % {"limit": limit})
        return value.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_UP)

    return parse


def _title(text: str) -> str:
    return str(_model_clean(Membership, "title")(text))


def _phone(text: str) -> str:
    return clean_phone(text)


def _text(model: type[models.Model], name: str) -> Callable[[str], str]:
    clean = _model_clean(model, name)
    return lambda text: clean(text)


ORGANISATION_PARSERS: dict[str, Callable[[str], Any]] = {
    "name": _text(Organisation, "name"),
    "registration_number": _registration_number,
    "legal_form": lambda text: (
        _choice(LEGAL_FORMS, Organisation.LegalForm.values)(text)
        if text
        else Organisation.LegalForm.ASSOCIATION
    ),
    "scope": lambda text: (
        _choice(SCOPES, Organisation.Scope.values)(text) if text else Organisation.Scope.LOCAL
    ),
    "description": _text(Organisation, "description"),
    "website": lambda text: _model_clean(Organisation, "website")(normalise_website(text)),
    "email": lambda text: _model_clean(Organisation, "email")(text.strip()),
    "phone": _phone,
    "address": _text(Organisation, "address"),
    "latitude": _coordinate(90),
    "longitude": _coordinate(180),
    "is_public": parse_bool,
}
PERSON_PARSERS: dict[str, Callable[[str], Any]] = {
    "full_name": _text(Person, "full_name"),
    "email": lambda text: _model_clean(Person, "email")(text.strip().lower()),
    "phone": _phone,
    "preferred_language": lambda text: (
        _choice(LANGUAGES, Person.Language.values)(text) if text else Person.Language.LATVIAN
    ),
}


# --- Rows --------------------------------------------------------------------------------------


def parse_rows(
    columns: ColumnMap, reference: ReferenceIndex
) -> tuple[list[OrganisationRow], list[PersonRow]]:
    """Every data row of one table, parsed; a people table yields no organisation rows."""
    organisations: list[OrganisationRow] = []
    people: list[PersonRow] = []
    for row in columns.table.rows:
        cells = _Cells(columns, row)
        cells.check_extra_cells()
        if columns.kind is TableKind.PEOPLE:
            people.append(_person_row(cells))
        else:
            organisation = _organisation_row(cells, reference)
            organisations.append(organisation)
            if organisation.contact is not None:
                people.append(organisation.contact)
    return organisations, people


def _organisation_row(cells: _Cells, reference: ReferenceIndex) -> OrganisationRow:
    values = {
        key: cells.parse(key, parser)
        for key, parser in ORGANISATION_PARSERS.items()
        if cells.has(key)
    }
    row = OrganisationRow(cells.columns.table.name, cells.row.number, values)
    if cells.has("municipality"):
        found = _municipalities(cells, "municipality", reference)
        values["municipality"] = found[0] if found else None
    if cells.has("municipalities"):
        row.municipalities = _municipalities(cells, "municipalities", reference)
    if cells.has("target_groups"):
        row.target_groups = _target_groups(cells, reference)
    if bool(cells.text("latitude")) != bool(cells.text("longitude")):
        key = "latitude" if cells.has("latitude") else "longitude"
        cells.error(key, _("give both latitude and longitude, or neither"))
    row.capabilities = _capabilities(cells)
    row.contact = _contact(cells, row)
    row.errors = cells.errors
    return row


def _municipalities(cells: _Cells, key: str, reference: ReferenceIndex) -> list[Municipality]:
    text = cells.text(key)
    items = split_list(text) if key == "municipalities" else ([text] if text else [])
    found: list[Municipality] = []
    for item in items:
        municipality = reference.municipality(item)
        if municipality is None:
            cells.error(
                key,
                _("unknown municipality “%(value)s” (use an ISO code such as LV-067 or a name)")
                % {"value": item},
            )
        elif municipality not in found:
            found.append(municipality)
    return found


def _target_groups(cells: _Cells, reference: ReferenceIndex) -> list[TargetGroup]:
    found: list[TargetGroup] = []
    for item in split_list(cells.text("target_groups")):
        group = reference.target_group(item)
        if group is None:
            cells.error("target_groups", _("unknown target group “%(value)s”") % {"value": item})
        elif group not in found:
            found.append(group)
    return found


def _capabilities(cells: _Cells) -> dict[str, Decimal | None]:
    clean = _model_clean(OrganisationCapability, "quantity")
    quantities: dict[str, Decimal | None] = {}
    for code, index in cells.columns.capabilities.items():
        text = cells.row.cells[index] if index < len(cells.row.cells) else ""
        heading = cells.columns.heading(index)
        if not text:
            quantities[code] = None
            continue
        try:
            quantities[code] = clean(parse_decimal(text))
        except ValidationError as exc:
            cells.error(code, " ".join(exc.messages), heading=heading)
        except ValueError:
            cells.error(code, _("must be a quantity, e.g. 12 or 12,5"), heading=heading)
    return quantities


def _contact(cells: _Cells, organisation: OrganisationRow) -> PersonRow | None:
    """The contact person given on an organisation's row, if any."""
    keys = {"contact_name": "full_name", "contact_email": "email", "contact_phone": "phone"}
    if not any(cells.text(key) for key in keys):
        return None
    values = {
        target: cells.parse(key, PERSON_PARSERS[target])
        for key, target in keys.items()
        if cells.has(key) and (key != "contact_name" or cells.text(key))
    }
    if not cells.text("contact_name"):
        cells.error(
            "contact_name" if cells.has("contact_name") else "contact_email",
            _("a contact person needs a name when their email or phone is given"),
        )
    title = cells.parse("contact_title", _title) if cells.has("contact_title") else None
    return PersonRow(
        cells.columns.table.name,
        cells.row.number,
        values,
        title=title,
        organisation_row=organisation,
        is_contact=True,
    )


def _person_row(cells: _Cells) -> PersonRow:
    values = {
        key: cells.parse(key, parser) for key, parser in PERSON_PARSERS.items() if cells.has(key)
    }
    registration_number = cells.parse("organisation", _registration_number)
    if registration_number is None and not cells.errors:
        cells.error("organisation", _("the organisation's registration number is required"))
    role = None
    if cells.has("role"):
        text = cells.text("role")
        role = cells.parse("role", _choice(ROLES, Membership.Role.values)) if text else None
    title = cells.parse("title", _title) if cells.has("title") else None
    return PersonRow(
        cells.columns.table.name,
        cells.row.number,
        values,
        role=role,
        title=title,
        registration_number=registration_number,
        errors=cells.errors,
    )


def folded_name(text: str) -> str:
    return " ".join(fold(text).split())
