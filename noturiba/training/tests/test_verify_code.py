"""Reading a typed or scanned verification code: case, spaces, dashes and Crockford's
look-alikes forgiven; anything else refused with a reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noturiba.training.models import CODE_ALPHABET, new_verification_code
from noturiba.training.selectors.certificates import MalformedCode, normalise_code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("7KQ2M9XD4TBC", "7KQ2M9XD4TBC"),
        ("7kq2m9xd4tbc", "7KQ2M9XD4TBC"),
        ("7KQ2-M9XD-4TBC", "7KQ2M9XD4TBC"),
        (" 7KQ2 M9XD 4TBC\n", "7KQ2M9XD4TBC"),
        ("7kq2 - m9xd - 4tbc", "7KQ2M9XD4TBC"),
        ("IL0O-ilo0-ABCD", "11001100ABCD"),
    ],
)
def test_forgiven(typed: str, code: str) -> None:
    assert normalise_code(typed) == code


def test_crockford_look_alikes_are_read_as_digits() -> None:
    assert normalise_code("iLoO-IlOo-1100") == "110011001100"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Type the verification code"),
        ("  - - ", "Type the verification code"),
        ("7KQ2M9XD4TB", "12 characters; this one has 11"),
        ("7KQ2M9XD4TBCD", "12 characters; this one has 13"),
        ("7KQ2M9XD4TBU", "do not belong: U"),
        ("7KQ2M9XD4TB!", "do not belong: !"),
        ("ĀKQ2M9XD4TBC", "do not belong: Ā"),
        ("../../etc/pa", "do not belong: . /"),
        ("7KQ2M9XD4TB\x00", "invisible characters"),
        ("7" * 65, "too long"),
    ],
)
def test_refused_with_a_reason(typed: str, words: str, english: None) -> None:
    with pytest.raises(MalformedCode) as error:
        normalise_code(typed)

    assert words in error.value.reason


def test_every_issued_code_reads_back_as_itself() -> None:
    for _ in range(200):
        code = new_verification_code()
        assert normalise_code(code) == code
        assert normalise_code(code.lower()) == code


@given(st.text(max_size=80))
def test_any_text_is_a_code_or_a_reason(text: str) -> None:
    try:
        code = normalise_code(text)
    except MalformedCode as error:
        assert error.reason
    else:
        assert len(code) == 12
        assert set(code) <= set(CODE_ALPHABET)
