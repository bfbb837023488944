"""Reading import files: encodings, separators, XLSX, and the limits of what is a table."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.network.imports import reading
from noturiba.network.imports.reading import ImportFileError, read_tables
from noturiba.network.tests.import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("english")

HEADER = ["Nosaukums", "Apraksts", "Adrese"]
LATVIAN = "aābcčdeēfgģhiījkķlļmnņoprsštuūvzžAĀBCČDEĒFGĢHIĪJKĶLĻMNŅOPRSŠTUŪVZŽ"
# What a cell of a real list holds, all of it encodable in Windows-1257.
cell_text = (
    st.text(alphabet=LATVIAN + "0123456789 .,;:-\"'()/&!?", min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda text: bool(text) and not text.startswith("#") and not text.startswith("'"))
)


def cells(table: reading.Table) -> list[list[str]]:
    return [list(row.cells) for row in table.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1257", "utf-16"])
def test_it_reads_every_encoding_latvian_lists_come_in(encoding: str) -> None:
    rows = [HEADER, ["Ķekavas Ūdensrožu biedrība", "Šūšana; ēdināšana", "Rīga"]]
    [table] = read_tables(csv_bytes(rows, encoding=encoding), "saraksts.csv")
    assert table.header == tuple(HEADER)
    assert cells(table) == [rows[1]]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_it_finds_the_separator_from_the_heading_row(delimiter: str) -> None:
    rows = [HEADER, ["A, B un C", "x;y", "z"]]
    [table] = read_tables(csv_bytes(rows, delimiter=delimiter), "a.csv")
    assert cells(table) == [rows[1]]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(cell_text, min_size=3, max_size=3), min_size=1, max_size=8),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["cp1257", "utf-8-sig", "utf-8"]),
)
def test_any_valid_rows_read_back_the_same_whatever_the_encoding_and_separator(
    rows: list[list[str]], delimiter: str, encoding: str
) -> None:
    [table] = read_tables(csv_bytes([HEADER, *rows], delimiter=delimiter, encoding=encoding), "f")
    assert cells(table) == rows


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_any_bytes_give_tables_or_a_file_error_never_a_crash(content: bytes) -> None:
    try:
        tables = read_tables(content, "f.csv")
    except ImportFileError as exc:
        assert exc.message
    else:
        assert tables


def test_it_numbers_rows_as_a_spreadsheet_shows_them() -> None:
    content = b'Nosaukums\r\n\r\nA\r\n;\r\n"B\r\nC"\r\nD\r\n'
    [table] = read_tables(content, "a.csv")
    assert [(row.number, row.cells[0]) for row in table.rows] == [(3, "A"), (5, "B\r\nC"), (6, "D")]


def test_it_skips_the_hxl_hashtag_row_under_the_headings() -> None:
    rows = [["name", "registration_number"], ["#org+name", "#org+code"], ["A", "40008000001"]]
    [table] = read_tables(csv_bytes(rows, delimiter=","), "hxl.csv")
    assert cells(table) == [["A", "40008000001"]]


def test_it_keeps_formula_looking_cells_as_text_and_drops_the_export_apostrophe() -> None:
    rows = [HEADER, ['=HYPERLINK("http://x")', "'=1+2", "@SUM(A1)"]]
    [table] = read_tables(csv_bytes(rows), "a.csv")
    assert cells(table) == [['=HYPERLINK("http://x")', "=1+2", "@SUM(A1)"]]


def test_it_reads_every_sheet_of_a_workbook_with_numbers_as_written() -> None:
    content = xlsx_bytes(
        {
            "Organizācijas": [["Nosaukums", "Reģ. Nr.", "Platums"], ["A", 40008000001, 56.8162]],
            "Tukša": [],
            "Personas": [["Vārds, uzvārds"], ["Anna Ozola"]],
        }
    )
    tables = read_tables(content, "saraksts.xlsx")
    assert [table.name for table in tables] == ["Organizācijas", "Personas"]
    assert cells(tables[0]) == [["A", "40008000001", "56.8162"]]


def test_a_workbook_is_recognised_by_its_content_not_its_name() -> None:
    content = xlsx_bytes({"Lapa": [["Nosaukums"], ["A"]]})
    [table] = read_tables(content, "saraksts.csv")
    assert cells(table) == [["A"]]


def test_cell_text_keeps_registration_numbers_and_coordinates_intact() -> None:
    assert reading.cell_text(40008000001.0) == "40008000001"
    assert reading.cell_text(56.8162) == "56.8162"
    assert reading.cell_text(True) == "true"
    assert reading.cell_text(None) == ""


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "a.csv", "empty"),
        (codecs.BOM_UTF8 + b"\r\n  \r\n", "a.csv", "empty"),
        (b"Nosaukums;Novads\r\n", "a.csv", "no data rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a.csv", "not a text"),
        (b"Nosaukums\r\nA\x81\x83\r\n", "a.csv", "not UTF-8 or Windows-1257"),
        (codecs.BOM_UTF8 + b"Nosaukums\r\n\xff\r\n", "a.csv", "not UTF-8 or Windows-1257"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "a.xls", ".xls"),
        (b"Nosaukums\r\nA\r\n", "a.xlsx", "not a valid XLSX"),
    ],
)
def test_it_refuses_files_that_are_not_lists(content: bytes, filename: str, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read_tables(content, filename)


def test_it_refuses_a_damaged_workbook() -> None:
    content = xlsx_bytes({"Lapa": [["Nosaukums"], ["A"]]})
    with pytest.raises(ImportFileError, match="not a valid XLSX"):
        read_tables(content[: len(content) // 2], "a.xlsx")


def test_it_refuses_a_zip_archive_that_is_not_a_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFileError, match="not a valid XLSX"):
        read_tables(buffer.getvalue(), "a.csv")


def test_it_refuses_an_oversized_file() -> None:
    content = b"Nosaukums\r\n" + b"Biedriba\r\n" * (reading.MAX_FILE_BYTES // 10 + 1)
    with pytest.raises(ImportFileError, match="larger than 10 MB"):
        read_tables(content, "a.csv")


def test_it_refuses_more_rows_than_the_limit() -> None:
    content = b"Nosaukums\r\n" + b"B\r\n" * (reading.MAX_ROWS + 1)
    with pytest.raises(ImportFileError, match="more than 50000 rows"):
        read_tables(content, "a.csv")
