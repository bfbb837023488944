"""Cell values as Latvian lists write them (pure functions, property-based where it matters)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noturiba.network.imports.values import (
    format_decimal,
    normalise_registration_number,
    normalise_website,
    parse_bool,
    parse_decimal,
    split_list,
    website_key,
)

decimals = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=5, allow_nan=False
)


@given(decimals)
def test_it_reads_a_decimal_comma_and_a_decimal_point_alike(value: Decimal) -> None:
    text = format_decimal(value)
    assert parse_decimal(text) == value
    assert parse_decimal(text.replace(".", ",")) == value


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_it_ignores_spaces_between_thousands(value: int, space: str) -> None:
    grouped = f"{value:,}".replace(",", space)
    assert parse_decimal(grouped + ",5") == Decimal(value) + Decimal("0.5")


@given(st.text(max_size=30))
def test_it_refuses_anything_else_with_a_value_error_only(text: str) -> None:
    try:
        value = parse_decimal(text)
    except ValueError:
        return
    assert value.is_finite()


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "1,2,3", "12a", "", "--1", "1e5"])
def test_it_refuses_ambiguous_or_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


def test_it_formats_decimals_without_exponent_or_trailing_zeros() -> None:
    assert format_decimal(Decimal("12.50")) == "12.5"
    assert format_decimal(Decimal("1E+3")) == "1000"
    assert format_decimal(Decimal("0.00")) == "0"


@pytest.mark.parametrize("text", ["jā", "JĀ", "yes", "1", "x", "true", "Patiess"])
def test_it_reads_yes_words(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["nē", "no", "0", "", "false"])
def test_it_reads_no_words(text: str) -> None:
    assert parse_bool(text) is False


def test_it_refuses_other_words_as_yes_or_no() -> None:
    with pytest.raises(ValueError):
        parse_bool("varbūt")


def test_it_splits_lists_on_commas_bars_and_line_breaks() -> None:
    assert split_list(" seniors, low_income |refugees\nhomeless ,, ") == [
        "seniors",
        "low_income",
        "refugees",
        "homeless",
    ]


def test_it_normalises_what_people_type_into_numbers_and_addresses() -> None:
    assert normalise_registration_number("4000 800-0001") == "40008000001"
    assert normalise_registration_number("LV40008000001") == "40008000001"
    assert normalise_website("www.biedriba.lv") == "https://www.biedriba.lv"
    assert normalise_website("http://biedriba.lv") == "http://biedriba.lv"
    assert website_key("https://www.Biedriba.lv/") == website_key("biedriba.lv")
