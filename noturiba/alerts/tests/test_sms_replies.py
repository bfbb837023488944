"""Reading safe / need help / available from SMS replies."""

from __future__ import annotations

import json
import unicodedata
import urllib.parse
from typing import Any

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from noturiba.alerts.channels.http_client import post
from noturiba.alerts.channels.sms import MalformedCallback, SmsGatewayConfig
from noturiba.alerts.replies import (
    REPLY_PHRASES,
    Answer,
    InboundSms,
    parse_inbound_sms,
    parse_sms_reply,
)

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


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


class InboundCallback:
    """The platform's side of the gateway's inbound-message callback, on a real server."""

    def __init__(self, config: SmsGatewayConfig) -> None:
        self.config = config
        self.replies: list[InboundSms] = []

    def __call__(self, request: Request) -> Response:
        if request.mimetype == "application/json":
            payload: Any = json.loads(request.get_data())
        else:
            payload = QueryDict(request.get_data(as_text=True))
        self.replies.append(parse_inbound_sms(payload, self.config))
        return Response("", status=204)


def test_it_reads_a_form_reply_the_gateway_posts(httpserver: HTTPServer) -> None:
    callback = InboundCallback(
        SmsGatewayConfig(url="", reply_sender_field="From", reply_text_field="Body")
    )
    httpserver.expect_request("/sms/inbound", method="POST").respond_with_handler(callback)

    body = urllib.parse.urlencode({"From": "37120000001", "Body": " Drošībā! "}).encode()
    post(
        httpserver.url_for("/sms/inbound"),
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )

    assert callback.replies == [InboundSms("+37120000001", " Drošībā! ", Answer.SAFE)]


def test_it_reads_a_json_reply_with_nested_fields(httpserver: HTTPServer) -> None:
    callback = InboundCallback(
        SmsGatewayConfig(url="", reply_sender_field="msg.msisdn", reply_text_field="msg.text")
    )
    httpserver.expect_request("/sms/inbound", method="POST").respond_with_handler(callback)

    body = json.dumps({"msg": {"msisdn": "+371 2000 0002", "text": "2"}}).encode()
    post(
        httpserver.url_for("/sms/inbound"),
        body=body,
        headers={"Content-Type": "application/json"},
        timeout=5,
    )

    assert callback.replies == [InboundSms("+37120000002", "2", Answer.NEED_HELP)]


def test_it_keeps_a_reply_that_is_not_an_answer() -> None:
    reply = parse_inbound_sms({"from": "20000003", "text": "Kas notiek?"})

    assert reply == InboundSms("+37120000003", "Kas notiek?", None)


@pytest.mark.parametrize(
    "payload",
    [{}, {"text": "1"}, {"from": "", "text": "1"}, {"from": "abc", "text": "1"}, {"from": True}],
)
def test_it_refuses_an_inbound_message_without_a_phone_number(payload: dict[str, Any]) -> None:
    with pytest.raises(MalformedCallback):
        parse_inbound_sms(payload, SmsGatewayConfig(url=""))
