"""Reading a sign-in sheet (no database): what a spreadsheet writes comes back cell for cell,
whatever the separator or byte order mark; any other bytes are a ``SheetError``, never a crash;
hours and scores are read as people write them."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noturiba.training.sign_in_sheet import SheetError, parse_hours, parse_score, read_sheet

cell = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20).map(
    str.strip
)
row = st.tuples(cell, cell, cell, cell)


def write(rows: list[tuple[str, ...]], delimiter: str, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["person_id", "email", "hours", "score"])
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


@given(
    rows=st.lists(row, min_size=1, max_size=20).filter(
        lambda rows: any(any(cells) for cells in rows)
    ),
    delimiter=st.sampled_from([";", ","]),
    bom=st.booleans(),
)
def test_written_rows_read_back(rows: list[tuple[str, ...]], delimiter: str, bom: bool) -> None:
    sheet = read_sheet(write(rows, delimiter, bom))
    expected = [cells for cells in rows if any(cells)]
    assert [(r.person_id, r.email, r.hours, r.score) for r in sheet.rows] == expected
    assert sheet.has_score
    assert all(r.number >= 2 for r in sheet.rows)


def test_row_numbers_are_the_spreadsheets() -> None:
    sheet = read_sheet(b"email;hours\n\na@b.lv;1\n;\nc@d.lv;2\n")
    assert [(r.number, r.email) for r in sheet.rows] == [(3, "a@b.lv"), (5, "c@d.lv")]


@given(st.binary(max_size=300))
def test_any_bytes_are_a_sheet_or_a_clear_error(content: bytes) -> None:
    try:
        read_sheet(content)
    except SheetError as error:
        assert error.message


@pytest.mark.parametrize(
    ("text", "hours"),
    [("3", Decimal(3)), ("2,5", Decimal("2.5")), ("2.5", Decimal("2.5")), (" 0 ", Decimal(0))],
)
def test_hours_as_people_write_them(text: str, hours: Decimal) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize("text", ["", "-1", "2.25", "abc", "1e3", "NaN", "2,5,1", "1 000"])
def test_other_hours_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_hours(text)


@given(st.text(max_size=8))
def test_scores_are_whole_numbers_from_0_to_100(text: str) -> None:
    try:
        score = parse_score(text)
    except ValueError:
        return
    assert 0 <= score <= 100
