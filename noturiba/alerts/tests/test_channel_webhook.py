"""The webhook channel against a real HTTP server (pytest-httpserver) that checks signatures."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import socket
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from noturiba.alerts.channels.base import DeliveryError, OutgoingMessage
from noturiba.alerts.channels.registry import get_channel
from noturiba.alerts.channels.webhook import WebhookChannel, sign, verify_signature

SECRET = "shared-secret-of-the-subscriber"


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


class Subscriber:
    """A receiving endpoint that verifies every request twice: with the helper and by hand."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.verdicts: list[tuple[bool, bool]] = []

    def __call__(self, request: Request) -> Response:
        body = request.get_data()
        header = request.headers.get("X-Noturiba-Signature")
        timestamp = request.headers.get("X-Noturiba-Timestamp")
        by_helper = verify_signature(SECRET, body, header, timestamp, tolerance=300)
        expected = hmac.new(SECRET.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        by_hand = hmac.compare_digest(header or "", "sha256=" + expected.hexdigest())
        self.verdicts.append((by_helper, by_hand))
        self.received.append(
            {"body": json.loads(body), "idempotency_key": request.headers["Idempotency-Key"]}
        )
        return Response("", status=204 if by_helper and by_hand else 401)


def alert(url: str, **overrides: Any) -> OutgoingMessage:
    fields: dict[str, Any] = {
        "idempotency_key": "delivery-9-webhook",
        "recipient": url,
        "language": "lv",
        "subject": "Plūdi Ogrē",
        "text": "Ūdens līmenis ceļas.",
        "ack_url": "https://noturiba.example.lv/ack/xyz",
        "metadata": {
            "alert_id": 17,
            "cap_identifier": "urn:noturiba:alert:17",
            "sent": datetime.datetime(2026, 11, 26, 8, 0, tzinfo=datetime.UTC),
        },
    }
    return OutgoingMessage(**(fields | overrides))


def test_it_posts_a_signed_json_alert_the_subscriber_can_verify(httpserver: HTTPServer) -> None:
    subscriber = Subscriber()
    httpserver.expect_request("/hook", method="POST").respond_with_handler(subscriber)

    result = WebhookChannel(secret=SECRET).send(alert(httpserver.url_for("/hook")))

    assert subscriber.verdicts == [(True, True)]
    [received] = subscriber.received
    assert received["idempotency_key"] == "delivery-9-webhook"
    assert received["body"] == {
        "event": "alert",
        "idempotency_key": "delivery-9-webhook",
        "alert_id": 17,
        "cap_identifier": "urn:noturiba:alert:17",
        "language": "lv",
        "subject": "Plūdi Ogrē",
        "text": "Ūdens līmenis ceļas.",
        "ack_url": "https://noturiba.example.lv/ack/xyz",
        "metadata": {"sent": "2026-11-26T08:00:00Z"},
    }
    assert result.provider_message_id is None


def test_a_subscriber_with_another_secret_refuses_it(httpserver: HTTPServer) -> None:
    subscriber = Subscriber()
    httpserver.expect_request("/hook", method="POST").respond_with_handler(subscriber)

    with pytest.raises(DeliveryError) as caught:
        WebhookChannel(secret="not-the-shared-secret").send(alert(httpserver.url_for("/hook")))

    assert subscriber.verdicts == [(False, False)]
    assert caught.value.permanent is True


def test_it_is_configured_from_the_settings(httpserver: HTTPServer, settings: Any) -> None:
    settings.WEBHOOK_SECRET = SECRET
    subscriber = Subscriber()
    httpserver.expect_request("/hook", method="POST").respond_with_handler(subscriber)

    channel = get_channel("webhook")
    channel.send(alert(httpserver.url_for("/hook")))

    assert isinstance(channel, WebhookChannel)
    assert subscriber.verdicts == [(True, True)]


def test_it_refuses_to_send_unsigned(httpserver: HTTPServer, settings: Any) -> None:
    settings.WEBHOOK_SECRET = ""

    with pytest.raises(DeliveryError) as caught:
        get_channel("webhook").send(alert(httpserver.url_for("/hook")))

    assert caught.value.permanent is True
    assert httpserver.log == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.lv/x", "not a url", ""])
def test_it_fails_permanently_for_a_url_that_is_not_http(url: str) -> None:
    with pytest.raises(DeliveryError) as caught:
        WebhookChannel(secret=SECRET).send(alert(url))

    assert caught.value.permanent is True


@pytest.mark.parametrize(
    ("status", "permanent"), [(400, True), (410, True), (429, False), (503, False)]
)
def test_it_maps_the_answer_to_permanent_or_temporary(
    httpserver: HTTPServer, status: int, permanent: bool
) -> None:
    httpserver.expect_request("/hook").respond_with_data(
        "no", status=status, headers={"Retry-After": "30"}
    )

    with pytest.raises(DeliveryError) as caught:
        WebhookChannel(secret=SECRET).send(alert(httpserver.url_for("/hook")))

    assert caught.value.permanent is permanent
    expected_retry_after = None if permanent else datetime.timedelta(seconds=30)
    assert caught.value.retry_after == expected_retry_after


def test_it_fails_temporarily_when_the_subscriber_never_answers() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]

        with pytest.raises(DeliveryError) as caught:
            WebhookChannel(secret=SECRET, timeout=1).send(alert(f"http://127.0.0.1:{port}/h"))

    assert caught.value.permanent is False


def test_verify_refuses_a_replay_outside_the_tolerance() -> None:
    body = b'{"event": "alert"}'
    sent_at = int(time.time()) - 3600
    signature = sign(SECRET, body, sent_at)

    assert verify_signature(SECRET, body, signature, str(sent_at), 300, now=sent_at + 299)
    assert not verify_signature(SECRET, body, signature, str(sent_at), 300, now=sent_at + 301)
    assert not verify_signature(SECRET, body, signature, str(sent_at), 300)


def test_verify_refuses_a_signature_moved_to_another_timestamp() -> None:
    body = b'{"event": "alert"}'
    now = int(time.time())
    signature = sign(SECRET, body, now - 10)

    assert not verify_signature(SECRET, body, signature, str(now), 300, now=now)


@given(
    body=st.binary(max_size=200),
    header=st.none() | st.text(max_size=80),
    timestamp=st.none() | st.text(max_size=20),
)
def test_verify_never_raises_and_refuses_what_it_did_not_sign(
    body: bytes, header: str | None, timestamp: str | None
) -> None:
    assert verify_signature(SECRET, body, header, timestamp, 300) is False


@given(body=st.binary(max_size=500), tampered=st.binary(min_size=1, max_size=20))
def test_verify_accepts_its_own_signature_and_refuses_a_changed_body(
    body: bytes, tampered: bytes
) -> None:
    now = int(time.time())
    signature = sign(SECRET, body, now)

    assert verify_signature(SECRET, body, signature, str(now), 300, now=now)
    assert not verify_signature(SECRET, body + tampered, signature, str(now), 300, now=now)
