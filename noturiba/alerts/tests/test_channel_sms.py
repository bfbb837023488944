"""The SMS channel against a real HTTP gateway (pytest-httpserver) on loopback."""

from __future__ import annotations

import base64
import datetime
import json
import socket
import urllib.parse
from dataclasses import replace
from typing import Any

import pytest
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import http_date
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from noturiba.alerts.channels.base import DeliveryError, OutgoingMessage
from noturiba.alerts.channels.http_client import post
from noturiba.alerts.channels.registry import get_channel
from noturiba.alerts.channels.sms import (
    MalformedCallback,
    ReportState,
    SmsChannel,
    SmsGatewayConfig,
    parse_delivery_report,
)


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    return ("127.0.0.1", 0)


def gateway(httpserver: HTTPServer, **overrides: Any) -> SmsGatewayConfig:
    return replace(
        SmsGatewayConfig(url=httpserver.url_for("/send"), sender_id="Noturiba"), **overrides
    )


def sms(**overrides: Any) -> OutgoingMessage:
    fields: dict[str, Any] = {
        "idempotency_key": "delivery-7-sms",
        "recipient": "+37120000001",
        "language": "lv",
        "subject": "",
        "text": "Plūdi Ogrē. Atbildiet 1 drošībā, 2 vajag palīdzību, 3 varu palīdzēt.",
    }
    return OutgoingMessage(**(fields | overrides))


def test_it_posts_json_with_the_configured_fields_and_reads_the_message_id(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/send", method="POST").respond_with_json(
        {"messages": [{"id": "gw-123", "status": "queued"}]}
    )

    result = SmsChannel(gateway(httpserver, response_id_field="messages.0.id")).send(sms())

    [(request, _response)] = httpserver.log
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.get_json() == {
        "to": "+37120000001",
        "text": "Plūdi Ogrē. Atbildiet 1 drošībā, 2 vajag palīdzību, 3 varu palīdzēt.",
        "from": "Noturiba",
        "reference": "delivery-7-sms",
    }
    assert request.headers["Idempotency-Key"] == "delivery-7-sms"
    assert "Authorization" not in request.headers
    assert result.provider_message_id == "gw-123"
    assert result.accepted_at <= timezone.now()


def test_it_posts_a_form_with_renamed_fields(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/send", method="POST").respond_with_json({"sid": 991})
    config = gateway(
        httpserver,
        body_format="form",
        recipient_field="To",
        text_field="Body",
        sender_field="From",
        idempotency_key_field="ClientRef",
        response_id_field="sid",
    )

    result = SmsChannel(config).send(sms(recipient="20000001"))

    [(request, _response)] = httpserver.log
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(request.get_data(as_text=True))
    assert form == {
        "To": ["+37120000001"],
        "Body": ["Plūdi Ogrē. Atbildiet 1 drošībā, 2 vajag palīdzību, 3 varu palīdzēt."],
        "From": ["Noturiba"],
        "ClientRef": ["delivery-7-sms"],
    }
    assert result.provider_message_id == "991"


def test_it_sends_a_bearer_token(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/send", method="POST", headers={"Authorization": "Bearer s3cret-token"}
    ).respond_with_json({"id": "a"})

    SmsChannel(gateway(httpserver, auth="bearer", token="s3cret-token")).send(sms())

    httpserver.check_assertions()
    assert len(httpserver.log) == 1


def test_it_sends_basic_credentials(httpserver: HTTPServer) -> None:
    expected = "Basic " + base64.b64encode(b"noturiba:p\xc4\x81role").decode()
    httpserver.expect_request(
        "/send", method="POST", headers={"Authorization": expected}
    ).respond_with_json({"id": "b"})

    SmsChannel(gateway(httpserver, auth="basic", username="noturiba", password="pārole")).send(
        sms()
    )

    httpserver.check_assertions()
    assert len(httpserver.log) == 1


def test_it_passes_the_same_idempotency_key_on_a_resend(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/send", method="POST").respond_with_json({"id": "c"})
    channel = SmsChannel(gateway(httpserver))

    channel.send(sms())
    channel.send(sms())

    keys = [request.headers["Idempotency-Key"] for request, _response in httpserver.log]
    bodies = [request.get_json()["reference"] for request, _response in httpserver.log]
    assert keys == ["delivery-7-sms", "delivery-7-sms"]
    assert bodies == keys


def test_it_accepts_an_answer_without_a_message_id(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/send", method="POST").respond_with_data("OK", status=202)

    result = SmsChannel(gateway(httpserver)).send(sms())

    assert result.provider_message_id is None


def test_it_is_configured_from_the_settings(httpserver: HTTPServer, settings: Any) -> None:
    settings.SMS_GATEWAY = {
        **settings.SMS_GATEWAY,
        "url": httpserver.url_for("/send"),
        "auth": "bearer",
        "token": "from-settings",
    }
    httpserver.expect_request(
        "/send", method="POST", headers={"Authorization": "Bearer from-settings"}
    ).respond_with_json({"id": "d"})

    channel = get_channel("sms")
    result = channel.send(sms())

    assert isinstance(channel, SmsChannel)
    assert result.provider_message_id == "d"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_it_fails_permanently_on_a_client_error(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/send").respond_with_json({"error": "bad number"}, status=status)

    with pytest.raises(DeliveryError) as caught:
        SmsChannel(gateway(httpserver)).send(sms())

    assert caught.value.permanent is True
    assert str(status) in caught.value.detail
    assert "bad number" in caught.value.detail


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503])
def test_it_fails_temporarily_when_the_gateway_is_busy_or_failing(
    httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request("/send").respond_with_data("busy", status=status)

    with pytest.raises(DeliveryError) as caught:
        SmsChannel(gateway(httpserver)).send(sms())

    assert caught.value.permanent is False
    assert caught.value.retry_after is None


def test_it_carries_retry_after_in_seconds(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/send").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "120"}
    )

    with pytest.raises(DeliveryError) as caught:
        SmsChannel(gateway(httpserver)).send(sms())

    assert caught.value.permanent is False
    assert caught.value.retry_after == datetime.timedelta(seconds=120)


def test_it_carries_retry_after_as_a_date(httpserver: HTTPServer) -> None:
    later = timezone.now() + datetime.timedelta(minutes=10)
    httpserver.expect_request("/send").respond_with_data(
        "maintenance", status=503, headers={"Retry-After": http_date(later.timestamp())}
    )

    with pytest.raises(DeliveryError) as caught:
        SmsChannel(gateway(httpserver)).send(sms())

    assert caught.value.retry_after is not None
    assert (
        datetime.timedelta(minutes=8) < caught.value.retry_after <= datetime.timedelta(minutes=10)
    )


def test_it_does_not_follow_a_redirect(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/send").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    httpserver.expect_request("/elsewhere").respond_with_json({"id": "never"})

    with pytest.raises(DeliveryError) as caught:
        SmsChannel(gateway(httpserver)).send(sms())

    assert caught.value.permanent is True
    assert [request.path for request, _response in httpserver.log] == ["/send"]


def test_it_fails_temporarily_when_the_gateway_is_down() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = SmsGatewayConfig(url=f"http://127.0.0.1:{port}/send")

    with pytest.raises(DeliveryError) as caught:
        SmsChannel(config).send(sms())

    assert caught.value.permanent is False


def test_it_fails_temporarily_when_the_gateway_never_answers() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        config = SmsGatewayConfig(url=f"http://127.0.0.1:{port}/send", timeout=1)

        with pytest.raises(DeliveryError) as caught:
            SmsChannel(config).send(sms())

    assert caught.value.permanent is False


@pytest.mark.parametrize("recipient", ["", "not a number", "+371 123"])
def test_it_fails_permanently_for_a_number_that_is_not_a_phone(
    httpserver: HTTPServer, recipient: str
) -> None:
    with pytest.raises(DeliveryError) as caught:
        SmsChannel(gateway(httpserver)).send(sms(recipient=recipient))

    assert caught.value.permanent is True
    assert httpserver.log == []


def test_it_fails_permanently_when_no_gateway_is_configured() -> None:
    with pytest.raises(DeliveryError) as caught:
        SmsChannel(SmsGatewayConfig(url="")).send(sms())

    assert caught.value.permanent is True


def test_it_refuses_a_gateway_url_that_is_not_http() -> None:
    with pytest.raises(DeliveryError) as caught:
        SmsChannel(SmsGatewayConfig(url="file:///etc/passwd")).send(sms())

    assert caught.value.permanent is True


def report_config() -> SmsGatewayConfig:
    return SmsGatewayConfig(
        url="",
        report_id_field="message.id",
        report_status_field="message.status",
        report_delivered=("delivered", "DELIVRD"),
        report_failed=("failed", "UNDELIV"),
    )


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("delivered", ReportState.DELIVERED),
        ("DELIVRD", ReportState.DELIVERED),
        ("Delivered", ReportState.DELIVERED),
        ("undeliv", ReportState.FAILED),
        ("failed", ReportState.FAILED),
        ("buffered", ReportState.PENDING),
        (None, ReportState.PENDING),
    ],
)
def test_it_reads_a_json_delivery_report(status: str | None, state: ReportState) -> None:
    payload = {"message": {"id": "gw-123", "status": status}}

    assert parse_delivery_report(payload, report_config()) == ("gw-123", state)


def test_it_reads_a_form_delivery_report_posted_to_a_real_callback(
    httpserver: HTTPServer,
) -> None:
    """The gateway's callback arrives as a form; the parser reads what the server received."""
    reports: list[tuple[str, ReportState]] = []
    config = SmsGatewayConfig(url="", report_id_field="MessageSid", report_status_field="Status")

    def callback(request: Request) -> Response:
        form = QueryDict(request.get_data(as_text=True))
        reports.append(parse_delivery_report(form, config))
        return Response("", status=204)

    httpserver.expect_request("/sms/report", method="POST").respond_with_handler(callback)
    body = urllib.parse.urlencode({"MessageSid": "SM42", "Status": "delivered"}).encode()
    post(
        httpserver.url_for("/sms/report"),
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        timeout=5,
    )

    assert reports == [("SM42", ReportState.DELIVERED)]


def test_it_uses_the_report_fields_of_the_settings(settings: Any) -> None:
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "report_id_field": "ref"}

    assert parse_delivery_report(json.loads('{"ref": 5, "status": "DELIVRD"}')) == (
        "5",
        ReportState.DELIVERED,
    )


@pytest.mark.parametrize("payload", [{}, {"id": ""}, {"id": {"nested": 1}}, {"status": "ok"}])
def test_it_refuses_a_report_without_a_message_id(payload: dict[str, Any]) -> None:
    with pytest.raises(MalformedCallback):
        parse_delivery_report(payload, SmsGatewayConfig(url=""))
