"""The preview of an import: every row parsed and validated, and matched against the directory.

Matching rules (the import page states them too):

- an organisation row **with a registration number** updates the organisation that has it, or
  creates one;
- a row **without** one is a *duplicate candidate* when an organisation in the directory or an
  earlier row of the file has the same name (ignoring case and diacritics) and seat
  municipality, the same email or the same website. Candidates are not created unless the
  person importing ticks "create anyway"; other rows without a number are created;
- a person is the same person as one in the directory with the same email; without an email,
  as a member of the same organisation with the same name. Rows of the file with the same
  email are one person in several organisations.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.utils.translation import gettext as _

from noturiba.network.imports.columns import (
    ORGANISATION_FIELDS,
    PERSON_FIELDS,
    ColumnMap,
    TableKind,
    map_columns,
    recognises_any,
)
from noturiba.network.imports.reading import ImportFileError, Table, read_tables
from noturiba.network.imports.reference import ReferenceIndex
from noturiba.network.imports.rows import (
    DuplicateMatch,
    OrganisationRow,
    PersonRow,
    RowError,
    folded_name,
    parse_rows,
)
from noturiba.network.imports.values import website_key
from noturiba.network.models import Membership, Organisation, Person

CHUNK = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class TableSummary:
    name: str
    kind: TableKind
    rows: int
    columns: tuple[tuple[str, str], ...]  # (heading in the file, what it was read as)


@dataclass
class ImportPreview:
    filename: str
    file_error: str = ""
    tables: list[TableSummary] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    organisations: list[OrganisationRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)

    @property
    def errors(self) -> list[RowError]:
        """Row errors in file order (a contact person's errors are on its organisation row)."""
        errors = [error for row in self.organisations for error in row.errors]
        errors += [e for row in self.people if not row.is_contact for e in row.errors]
        return sorted(errors, key=lambda error: (error.table, error.row))

    @property
    def error_count(self) -> int:
        return len(self.errors) + (1 if self.file_error else 0)

    @property
    def is_valid(self) -> bool:
        return not self.file_error and not self.errors and bool(self.organisations or self.people)

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables)

    @property
    def new_organisations(self) -> int:
        return sum(
            1 for row in self.organisations if row.existing_id is None and not row.duplicates
        )

    @property
    def updated_organisations(self) -> int:
        return sum(1 for row in self.organisations if row.existing_id is not None)

    @property
    def duplicate_candidates(self) -> list[OrganisationRow]:
        return [row for row in self.organisations if row.duplicates]

    @property
    def new_people(self) -> int:
        return sum(1 for p in self.people if p.same_as is None and p.existing_id is None)

    @property
    def updated_people(self) -> int:
        return sum(1 for p in self.people if p.same_as is None and p.existing_id is not None)


def build_preview(content: bytes, filename: str) -> ImportPreview:
    """Read, parse, validate and match a whole file. Never raises for a bad file."""
    preview = ImportPreview(filename)
    try:
        tables = read_tables(content, filename)
        reference = ReferenceIndex()
        maps = _column_maps(tables, reference, preview)
    except ImportFileError as exc:
        preview.file_error = exc.message
        return preview
    for columns in maps:
        organisations, people = parse_rows(columns, reference)
        preview.organisations += organisations
        preview.people += people
        preview.tables.append(_summary(columns))
    by_number = _check_registration_numbers(preview.organisations)
    _match_existing(preview.organisations)
    _match_candidates(
        [row for row in preview.organisations if not row.registration_number], preview.organisations
    )
    _link_people(preview.people, by_number)
    _match_people(preview.people)
    return preview


def _column_maps(
    tables: list[Table], reference: ReferenceIndex, preview: ImportPreview
) -> list[ColumnMap]:
    """A workbook's sheets that are plainly something else (instructions) are skipped."""
    maps = []
    for table in tables:
        if len(tables) > 1 and not recognises_any(table, reference.capability_keys):
            preview.skipped_sheets.append(table.name)
            continue
        maps.append(map_columns(table, reference.capability_keys))
    if not maps:
        raise ImportFileError(_("No sheet of the workbook has columns the import knows."))
    return maps


def _summary(columns: ColumnMap) -> TableSummary:
    specs = PERSON_FIELDS if columns.kind is TableKind.PEOPLE else ORGANISATION_FIELDS
    labels = {spec.key: str(spec.label) for spec in specs}
    meaning: dict[int, str] = {index: labels[key] for key, index in columns.fields.items()}
    meaning |= {
        index: _("capability: %(code)s") % {"code": code}
        for code, index in columns.capabilities.items()
    }
    meaning |= {index: _("not imported") for index in columns.ignored}
    described = tuple(
        (heading, meaning[index])
        for index, heading in enumerate(columns.table.header)
        if index in meaning
    )
    return TableSummary(columns.table.name, columns.kind, len(columns.table.rows), described)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_registration_numbers(rows: list[OrganisationRow]) -> dict[str, OrganisationRow]:
    """Each registration number once per file; returns the rows by number."""
    by_number: dict[str, OrganisationRow] = {}
    for row in rows:
        number = row.registration_number
        if not number:
            continue
        first = by_number.setdefault(number, row)
        if first is not row:
            row.errors.append(
                RowError(
                    row.table,
                    row.number,
                    _("Registration number"),
                    _("%(number)s is also in row %(row)d of this file")
                    % {"number": number, "row": first.number},
                )
            )
    return by_number


def organisations_by_number(numbers: Iterable[str | None]) -> dict[str, int]:
    """Primary keys of the directory's organisations with these registration numbers."""
    found: dict[str, int] = {}
    for chunk in chunks([number for number in dict.fromkeys(numbers) if number]):
        for number, pk in Organisation.objects.filter(registration_number__in=chunk).values_list(
            "registration_number", "id"
        ):
            found[str(number)] = pk
    return found


def _match_existing(rows: list[OrganisationRow]) -> None:
    numbers = [row.registration_number for row in rows if row.registration_number]
    existing = organisations_by_number(numbers)
    for row in rows:
        if row.registration_number:
            row.existing_id = existing.get(row.registration_number)


def _keys(name: str, municipality_id: int | None, email: str, website: str) -> Iterable[tuple]:
    yield ("name", folded_name(name), municipality_id)
    if email:
        yield ("email", email.lower())
    if website:
        yield ("website", website_key(website))


def _row_keys(row: OrganisationRow) -> Iterable[tuple]:
    municipality = row.values.get("municipality")
    return _keys(
        row.name,
        municipality.pk if municipality is not None else None,
        str(row.values.get("email") or ""),
        str(row.values.get("website") or ""),
    )


def _reason(kind: str) -> str:
    return {
        "name": _("same name and municipality"),
        "email": _("same email"),
        "website": _("same website"),
    }[kind]


def _match_candidates(rows: list[OrganisationRow], all_rows: list[OrganisationRow]) -> None:
    if not rows:
        return
    known: dict[tuple, DuplicateMatch] = {}
    for pk, name, municipality_id, email, website in Organisation.objects.values_list(
        "id", "name", "municipality_id", "email", "website"
    ).iterator(chunk_size=CHUNK):
        for key in _keys(name, municipality_id, email, website):
            known.setdefault(key, DuplicateMatch(name, _reason(key[0]), organisation_id=pk))
    for row in all_rows:
        keys = list(_row_keys(row))
        if not row.registration_number:
            matches = [known[key] for key in keys if key in known]
            row.duplicates = list({match.label: match for match in matches}.values())
        for key in keys:
            known.setdefault(key, DuplicateMatch(row.name, _reason(key[0]), row=row.number))


def _link_people(people: list[PersonRow], by_number: dict[str, OrganisationRow]) -> None:
    """Each person row's organisation: a row of the file, or one in the directory."""
    numbers = [p.registration_number for p in people if p.registration_number]
    missing = [number for number in dict.fromkeys(numbers) if number not in by_number]
    in_directory = organisations_by_number(missing)
    for person in people:
        number = person.registration_number
        if person.organisation_row is not None or not number:
            continue
        if number in by_number:
            person.organisation_row = by_number[number]
        elif number in in_directory:
            person.organisation_id = in_directory[number]
        else:
            person.report(
                _("Organisation's registration number"),
                _(
                    "no organisation with registration number %(number)s in this file or in "
                    "the directory"
                )
                % {"number": number},
            )


def organisation_key(person: PersonRow) -> tuple[str, int] | None:
    """The person's organisation: ("row", id of the row object) or ("id", primary key)."""
    row = person.organisation_row
    if row is not None:
        if row.existing_id is not None:
            return ("id", row.existing_id)
        return ("row", id(row))
    if person.organisation_id is not None:
        return ("id", person.organisation_id)
    return None


def _match_people(people: list[PersonRow]) -> None:
    by_email = _people_by_email([p.email_key for p in people if p.email_key])
    by_member_name = _members_by_name(people)
    first_by_key: dict[tuple, PersonRow] = {}
    for person in people:
        name = folded_name(str(person.values.get("full_name") or ""))
        if person.email_key:
            key: tuple = ("email", person.email_key)
            person.existing_id = by_email.get(person.email_key)
        else:
            organisation = organisation_key(person)
            key = ("name", name, organisation)
            if organisation is not None and organisation[0] == "id":
                person.existing_id = by_member_name.get((organisation[1], name))
        first = first_by_key.setdefault(key, person)
        if first is person:
            continue
        person.same_as = first
        first_name = folded_name(str(first.values.get("full_name") or ""))
        if name and first_name and name != first_name:
            person.report(
                "", _("the same email as row %(row)d but a different name") % {"row": first.number}
            )


def _people_by_email(emails: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in chunks(list(dict.fromkeys(emails))):
        for email, pk in (
            Person.objects.filter(email__in=chunk).order_by("-id").values_list("email", "id")
        ):
            found[email.lower()] = pk  # the oldest person with the email wins
    return found


def _members_by_name(people: list[PersonRow]) -> dict[tuple[int, str], int]:
    organisation_ids = {
        key[1]
        for person in people
        if not person.email_key and (key := organisation_key(person)) and key[0] == "id"
    }
    found: dict[tuple[int, str], int] = {}
    for chunk in chunks(sorted(organisation_ids)):
        memberships = Membership.objects.filter(organisation_id__in=chunk).values_list(
            "organisation_id", "person_id", "person__full_name"
        )
        for organisation_id, person_id, full_name in memberships.order_by("-person_id"):
            found[(organisation_id, folded_name(full_name))] = person_id
    return found
