"""Reading safe / need help / available from SMS replies."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noturiba.alerts.replies import REPLY_PHRASES, Answer, parse_sms_reply

PHRASES = [(phrase, answer) for answer, phrases in REPLY_PHRASES.items() for phrase in phrases]
PADDING = st.text(alphabet=" \t\r\n.,!?;:-\"'()…", max_size=5)


def without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@pytest.mark.parametrize(
    ("reply", "answer"),
    [
        ("1", Answer.SAFE),
        ("2", Answer.NEED_HELP),
        ("3", Answer.AVAILABLE),
        (" 1. ", Answer.SAFE),
        ("Drošībā!", Answer.SAFE),
        ("drosiba", Answer.SAFE),
        ("DROŠĪBĀ", Answer.SAFE),
        ("OK", Answer.SAFE),
        ("I'm safe.", Answer.SAFE),
        ("Vajag palīdzību!!", Answer.NEED_HELP),
        ("vajag palidzibu", Answer.NEED_HELP),
        ("palīdzība", Answer.NEED_HELP),
        ("Help", Answer.NEED_HELP),
        ("sos", Answer.NEED_HELP),
        ("Varu palīdzēt", Answer.AVAILABLE),
        ("varu  palidzet", Answer.AVAILABLE),
        ("pieejams", Answer.AVAILABLE),
        ("Available", Answer.AVAILABLE),
        ("I can help", Answer.AVAILABLE),
    ],
)
def test_it_reads_the_documented_replies(reply: str, answer: Answer) -> None:
    assert parse_sms_reply(reply) == answer


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "   ",
        "4",
        "0",
        "10",
        "12",
        "1 2",
        "?",
        "nezinu",
        "not safe",
        "help me now please",
        "palīdzēt",
        "x" * 1000,
        "drošībā " * 40,
    ],
)
def test_it_does_not_guess_an_answer_from_anything_else(reply: str) -> None:
    assert parse_sms_reply(reply) is None


@given(st.text())
def test_it_never_raises_on_any_text(reply: str) -> None:
    assert parse_sms_reply(reply) in {None, *Answer}


@given(
    pair=st.sampled_from(PHRASES),
    flips=st.lists(st.booleans(), min_size=40, max_size=40),
    strip=st.booleans(),
    before=PADDING,
    after=PADDING,
)
def test_it_reads_every_phrase_in_any_case_with_or_without_diacritics_and_padding(
    pair: tuple[str, Answer], flips: list[bool], strip: bool, before: str, after: str
) -> None:
    phrase, answer = pair
    cased = "".join(
        char.upper() if flip else char.lower() for char, flip in zip(phrase, flips, strict=False)
    )
    text = without_diacritics(cased) if strip else cased

    assert parse_sms_reply(before + text + after) == answer
