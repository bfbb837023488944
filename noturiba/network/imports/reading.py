"""Reading an uploaded file into tables of text cells: CSV in any of the encodings and
separators Latvian lists come in, or an XLSX workbook (every sheet with data is a table).

Nothing here knows what the columns mean; that is :mod:`noturiba.network.imports.columns`.
Every problem with the file as a whole raises :class:`ImportFileError` with a message for people.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from noturiba.network.imports.values import format_decimal

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
# An XLSX is a ZIP archive; this caps what it may unpack to (a defence against ZIP bombs).
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024
DELIMITERS = (";", ",", "\t")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls format
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HXL_TAG = re.compile(r"#[A-Za-z][\w]*(\s*[+][\w]+)*")
# Spreadsheet habit: a leading apostrophe keeps "=..." or "+..." as text. The exports add it.
_FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@])")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``message`` says why, for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """A data row: ``number`` is the row number a spreadsheet shows (the heading is row 1)."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One CSV file or one worksheet: a heading row and the non-empty data rows below it."""

    name: str
    header: tuple[str, ...]
    rows: tuple[Row, ...]


def read_tables(content: bytes, filename: str) -> list[Table]:
    """The tables of an uploaded file; XLSX is recognised by its content, not its name."""
    if not content.strip(b" \t\r\n" + codecs.BOM_UTF8):
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is larger than %(limit)d MB; split it into smaller files.")
            % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if content.startswith(_ZIP_MAGIC):
        tables = _read_xlsx(content)
    elif content.startswith(_OLE_MAGIC):
        raise ImportFileError(
            _("Old Excel files (.xls) are not supported: save the list as XLSX or CSV.")
        )
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise ImportFileError(_("The file is not a valid XLSX workbook (it may be damaged)."))
    else:
        tables = [_read_csv(content)]
    if not any(table.rows for table in tables):
        raise ImportFileError(_("The file has a heading row but no data rows."))
    return tables


# --- CSV -----------------------------------------------------------------------------------


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1257; binary is refused."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(content, "utf-16")
    else:
        if b"\x00" in content:
            raise _not_text()
        if content.startswith(codecs.BOM_UTF8):
            text = _decode(content[len(codecs.BOM_UTF8) :], "utf-8")
        else:
            try:
                text = content.decode("utf-8")
            except UnicodeDecodeError:
                text = _decode(content, "cp1257")
    text = text.rstrip("\x1a")  # an old DOS end-of-file mark
    if _CONTROL_CHARACTERS.search(text):
        raise _not_text()
    return text


def _decode(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file is not UTF-8 or Windows-1257 text (unreadable byte at position "
                "%(position)d). Save it as “CSV UTF-8” and upload it again."
            )
            % {"position": exc.start + 1}
        ) from exc


def _not_text() -> ImportFileError:
    return ImportFileError(
        _("The file is not a text (CSV) file. Upload a CSV file or an XLSX workbook.")
    )


def sniff_delimiter(text: str) -> str:
    """The separator that splits the heading row into the most columns (``;`` wins a tie)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    best, best_count = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([first_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _read_csv(content: bytes) -> Table:
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        return _table("", (tuple(record) for record in reader))
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file could not be read near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": exc}
        ) from exc


# --- XLSX ----------------------------------------------------------------------------------

_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    SyntaxError,  # XML parse errors of both ElementTree and lxml derive from it
)


def _read_xlsx(content: bytes) -> list[Table]:
    damaged = ImportFileError(_("The file is not a valid XLSX workbook (it may be damaged)."))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except _XLSX_ERRORS as exc:
        raise damaged from exc
    if "xl/workbook.xml" not in names:
        raise damaged
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(_("The workbook is too large once unpacked; split it."))
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            tables = []
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()  # stored dimensions may be wrong; read every cell
                rows = sheet.iter_rows(values_only=True)
                tables.append(_table(sheet.title, (tuple(map(cell_text, r)) for r in rows)))
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except _XLSX_ERRORS as exc:
        raise damaged from exc
    tables = [table for table in tables if table.header]
    if not tables:
        raise ImportFileError(_("The workbook has no sheet with a heading row."))
    return tables


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: whole numbers without ``.0`` (registration numbers stored as
    numbers stay intact), decimals without exponent, dates in ISO format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format_decimal(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


# --- Both ----------------------------------------------------------------------------------


def _table(name: str, records: Iterable[tuple[str, ...]]) -> Table:
    """The heading (the first non-empty row) and the non-empty rows after it."""
    header: tuple[str, ...] = ()
    rows: list[Row] = []
    for number, record in _numbered_non_empty(records):
        cells = tuple(_FORMULA_ESCAPE.sub("", cell.strip(), count=1) for cell in record)
        if not header:
            header = cells
            continue
        if not rows and _is_hxl_hashtag_row(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                ngettext(
                    "The file has more than %(limit)d row; split it into smaller files.",
                    "The file has more than %(limit)d rows; split it into smaller files.",
                    MAX_ROWS,
                )
                % {"limit": MAX_ROWS}
            )
        rows.append(Row(number, cells))
    return Table(name, header, tuple(rows))


def _numbered_non_empty(
    records: Iterable[tuple[str, ...]],
) -> Iterator[tuple[int, tuple[str, ...]]]:
    for number, record in enumerate(records, start=1):
        if any(cell.strip() for cell in record):
            yield number, record


def _is_hxl_hashtag_row(cells: tuple[str, ...]) -> bool:
    """The HXL row under the heading (``#org+name`` …), as in the HXL export; it is skipped."""
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(_HXL_TAG.fullmatch(cell) for cell in filled)
