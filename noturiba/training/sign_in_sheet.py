"""A sign-in sheet as a CSV file: reading it into rows, and reading hours and scores as text.

The file is UTF-8 (with or without a byte order mark; Windows-1257 is read too) separated by
``;`` (what Excel writes in Latvia) or ``,``. The heading names the columns in English or
Latvian: ``person_id`` or ``email`` says who, ``hours`` how long they were there, an optional
``score`` their assessment result; other columns (``name``) are there for people and ignored.

Nothing here reads the database: matching rows to enrolments and checking hours against the
course is :func:`noturiba.training.actions.attendance.record_sign_in_sheet`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from noturiba.network.imports.reading import ImportFileError, decode_text

MAX_FILE_BYTES = 1024 * 1024
MAX_ROWS = 5000
DELIMITERS = (";", ",")

# Heading (folded: lower case, spaces and dashes as "_") → column.
HEADINGS = {
    "person_id": "person_id",
    "person": "person_id",
    "id": "person_id",
    "personas_id": "person_id",
    "email": "email",
    "e_mail": "email",
    "e_pasts": "email",
    "epasts": "email",
    "hours": "hours",
    "stundas": "hours",
    "score": "score",
    "vērtējums": "score",
    "rezultāts": "score",
}
TEMPLATE_HEADER = ("person_id", "name", "email", "hours", "score")

_HOURS = re.compile(r"\d{1,3}(?:[.,]\d)?")
_SCORE = re.compile(r"\d{1,3}")


class SheetError(Exception):
    """The file as a whole cannot be read; ``message`` says why, for the person uploading."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetRow:
    """One data row; ``number`` is the row a spreadsheet shows (the heading is row 1)."""

    number: int
    person_id: str
    email: str
    hours: str
    score: str


@dataclass(frozen=True)
class Sheet:
    rows: tuple[SheetRow, ...]
    has_score: bool


def _fold(heading: str) -> str:
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


def sniff_delimiter(first_line: str) -> str:
    """``;`` or ``,``: whichever splits the heading into more columns (``;`` wins a tie)."""
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ";"))


def read_sheet(content: bytes) -> Sheet:
    """The rows of an uploaded sign-in sheet, or :class:`SheetError` for the file as a whole."""
    if len(content) > MAX_FILE_BYTES:
        raise SheetError(
            _("The file is larger than %(limit)d KB.") % {"limit": MAX_FILE_BYTES // 1024}
        )
    try:
        text = decode_text(content)
    except ImportFileError as error:
        raise SheetError(error.message) from error
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise SheetError(_("The file is empty."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(lines[0]))
    try:
        records = [(reader.line_num, record) for record in reader]
    except csv.Error as error:
        raise SheetError(
            _("The CSV file could not be read near line %(line)d: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    records = [(number, cells) for number, cells in records if any(c.strip() for c in cells)]
    if not records:
        raise SheetError(_("The file is empty."))
    header = [HEADINGS.get(_fold(cell), "") for cell in records[0][1]]
    if "hours" not in header or not {"person_id", "email"} & set(header):
        raise SheetError(
            _(
                "The first row must name the columns: “person_id” or “email”, “hours” and "
                "optionally “score”. Download the template to see the layout."
            )
        )
    for column in ("person_id", "email", "hours", "score"):
        if header.count(column) > 1:
            raise SheetError(_("The column “%(column)s” is there twice.") % {"column": column})
    rows = records[1:]
    if not rows:
        raise SheetError(_("The file has a heading row but no data rows."))
    if len(rows) > MAX_ROWS:
        raise SheetError(
            ngettext(
                "The file has more than %(limit)d row.",
                "The file has more than %(limit)d rows.",
                MAX_ROWS,
            )
            % {"limit": MAX_ROWS}
        )
    position = {column: index for index, column in enumerate(header) if column}

    def cell(cells: list[str], column: str) -> str:
        index = position.get(column)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    return Sheet(
        rows=tuple(
            SheetRow(
                number=number,
                person_id=cell(cells, "person_id"),
                email=cell(cells, "email"),
                hours=cell(cells, "hours"),
                score=cell(cells, "score"),
            )
            for number, cells in rows
        ),
        has_score="score" in position,
    )


def parse_hours(text: str) -> Decimal:
    """Hours as people write them: ``3``, ``2.5`` or ``2,5``; at most one decimal place."""
    value = text.strip()
    if not _HOURS.fullmatch(value):
        if value.startswith("-"):
            raise ValueError(_("Hours cannot be negative."))
        raise ValueError(
            _("“%(value)s” is not a number of hours (e.g. 3 or 2,5).") % {"value": value[:20]}
        )
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation as error:  # pragma: no cover - the pattern allows only numbers
        raise ValueError(_("Not a number of hours.")) from error


def parse_score(text: str) -> int:
    """A whole number from 0 to 100."""
    value = text.strip().removesuffix("%").strip()
    if not _SCORE.fullmatch(value) or int(value) > 100:
        raise ValueError(
            _("“%(value)s” is not a score from 0 to 100.") % {"value": text.strip()[:20]}
        )
    return int(value)


def compact_hours(hours: Decimal) -> Decimal:
    """``6.0`` → ``6``, ``2.50`` → ``2.5`` (``normalize`` would write 10 as ``1E+1``)."""
    whole = hours.quantize(Decimal(1))
    return whole if whole == hours else hours.quantize(Decimal("0.1"))
