"""Every kind of bad file gives a clear error, and nothing of it is imported."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.imports import apply_import, build_preview
from noturiba.network.imports.reading import MAX_FILE_BYTES, MAX_ROWS
from noturiba.network.models import Organisation, Person
from noturiba.network.tests.import_files import ORGANISATION_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("reference", "english")

GOOD = ["Rēzeknes Jauniešu biedrība", "40008054321", "LV-REZ", "", "", "", ""]


def with_good_row(*rows: list[object]) -> bytes:
    """A file whose first row is valid: the bad row must stop that one too."""
    return csv_bytes([ORGANISATION_HEADER, GOOD, *rows])


def changed(**values: str) -> list[object]:
    row: list[object] = ["Cita biedrība", "40008054322", "LV-REZ", "", "", "", ""]
    for name, value in values.items():
        row[ORGANISATION_HEADER.index(name)] = value
    return row


def workbook() -> bytes:
    return xlsx_bytes({"Lapa": [ORGANISATION_HEADER, GOOD]})


BAD_FILES = {
    "empty file": (b"", "saraksts.csv", "The file is empty."),
    "heading only": (
        csv_bytes([ORGANISATION_HEADER]),
        "saraksts.csv",
        "The file has a heading row but no data rows.",
    ),
    "unknown column": (
        csv_bytes([[*ORGANISATION_HEADER, "Piezīmes"], [*GOOD, "x"]]),
        "saraksts.csv",
        "Unknown columns: “Piezīmes”.",
    ),
    "required column missing": (
        csv_bytes([["Novads", "E-pasts"], ["LV-REZ", "a@b.lv"]]),
        "saraksts.csv",
        "A required column is missing: Name",
    ),
    "wrong encoding bytes": (
        with_good_row() + b"\x81\x8d\x90;40008054322\r\n",
        "saraksts.csv",
        "The file is not UTF-8 or Windows-1257 text (unreadable byte at position",
    ),
    "binary file named .csv": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01",
        "saraksts.csv",
        "The file is not a text (CSV) file.",
    ),
    "corrupted XLSX": (
        workbook()[:600],
        "saraksts.xlsx",
        "The file is not a valid XLSX workbook (it may be damaged).",
    ),
    "oversized file": (
        csv_bytes([["Nosaukums"]]) + b"B\r\n" * (MAX_FILE_BYTES // 3 + 1),
        "saraksts.csv",
        "The file is larger than 10 MB",
    ),
    "too many rows": (
        csv_bytes([["Nosaukums"]]) + b"B\r\n" * (MAX_ROWS + 1),
        "saraksts.csv",
        "The file has more than 50000 rows",
    ),
    "row with too many columns": (
        with_good_row([*changed(), "lieks", "vēl"]),
        "saraksts.csv",
        "row 3: the row has 9 values but the heading row has only 7 columns",
    ),
    "invalid registration number": (
        with_good_row(changed(**{"Reģistrācijas numurs": "4000805432"})),
        "saraksts.csv",
        "row 3, Reģistrācijas numurs: A registration number of the Register of Enterprises has "
        "11 digits",
    ),
    "duplicate registration number": (
        with_good_row(changed(**{"Reģistrācijas numurs": "40008054321"})),
        "saraksts.csv",
        "row 3, Registration number: 40008054321 is also in row 2 of this file",
    ),
    "invalid phone": (
        with_good_row(changed(Tālrunis="+371 123")),
        "saraksts.csv",
        "row 3, Tālrunis: Enter a phone number such as +371 20 000 000",
    ),
    "unknown municipality": (
        with_good_row(changed(Novads="LV-999")),
        "saraksts.csv",
        "row 3, Novads: unknown municipality “LV-999”",
    ),
    "latitude out of range": (
        with_good_row(changed(Platums="91,5", Garums="24,1")),
        "saraksts.csv",
        "row 3, Platums: must be between -90 and 90",
    ),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_is_refused_with_a_clear_error_and_nothing_is_imported(
    kind: str, coordinator: User
) -> None:
    content, filename, message = BAD_FILES[kind]
    before = (Organisation.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    preview = build_preview(content, filename)
    assert not preview.is_valid
    reported = [preview.file_error, *(str(error) for error in preview.errors)]
    assert any(text.startswith(message) for text in reported), reported
    with pytest.raises(ValidationError):
        apply_import(coordinator, preview=preview)
    after = (Organisation.objects.count(), Person.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_formula_looking_cells_are_imported_as_text(coordinator: User) -> None:
    header = ["Nosaukums", "Reģ. Nr.", "Apraksts"]
    content = csv_bytes([header, ["=2+3", "40008054321", '=HYPERLINK("http://x";"klikšķini")']])
    apply_import(coordinator, preview=build_preview(content, "saraksts.csv"))
    organisation = Organisation.objects.get(registration_number="40008054321")
    assert organisation.name == "=2+3"
    assert organisation.description == '=HYPERLINK("http://x";"klikšķini")'
