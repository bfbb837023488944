"""Building import files in tests: CSV in any encoding and separator, XLSX with sheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

ORGANISATION_HEADER = [
    "Nosaukums",
    "Reģistrācijas numurs",
    "Novads",
    "E-pasts",
    "Tālrunis",
    "Platums",
    "Garums",
]


def csv_bytes(
    rows: Sequence[Sequence[object]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    """Rows written as CSV; ``encoding="utf-8-sig"`` adds the byte-order mark."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
