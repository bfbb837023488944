"""The SMS gateway's callbacks: token, body formats and refusals (never a 500)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db

TOKEN = "gateway-callback-token-0123456789"
BEARER: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture(autouse=True)
def _token(settings: Any) -> None:
    settings.SMS_CALLBACK_TOKEN = TOKEN


@pytest.fixture
def sms_delivery(member_a: User) -> Delivery:
    """An SMS of a sent alert to organisation A's member (+37120000002), id "gw-1"."""
    alert = Alert.objects.create(
        sender="brideni@noturiba.example.lv",
        event="Plūdi",
        headline="Plūdi Ogrē",
        state=Alert.State.SENDING,
        sent=timezone.now(),
    )
    person = Person.objects.get(user=member_a)
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel="sms",
        address="+37120000002",
        idempotency_key="k-sms-1",
        state=Delivery.State.SENT,
        provider_id="gw-1",
    )


def post_json(client: Client, name: str, body: Any, **extra: Any) -> Any:
    return client.post(
        reverse(name), data=json.dumps(body), content_type="application/json", **extra
    )


@pytest.mark.parametrize("name", ["alerts:sms_inbound", "alerts:sms_report"])
@pytest.mark.parametrize(
    "how",
    [
        {},
        {"HTTP_AUTHORIZATION": "Bearer wrong"},
        {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"},
        {"HTTP_AUTHORIZATION": "Bearer"},
    ],
    ids=["no token", "wrong token", "wrong scheme", "empty bearer"],
)
def test_a_callback_without_the_right_token_is_refused(
    client: Client, sms_delivery: Delivery, name: str, how: dict[str, Any]
) -> None:
    response = post_json(client, name, {"from": "37120000002", "text": "1", "id": "gw-1"}, **how)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Acknowledgement.objects.exists()


def test_without_a_configured_token_every_callback_is_refused(
    client: Client, sms_delivery: Delivery, settings: Any
) -> None:
    settings.SMS_CALLBACK_TOKEN = ""

    response = client.post(reverse("alerts:sms_inbound") + "?token=", {"from": "1", "text": "1"})

    assert response.status_code == 403


def test_the_token_may_come_in_the_query_string_and_a_form_body_is_read(
    client: Client, sms_delivery: Delivery
) -> None:
    response = client.post(
        reverse("alerts:sms_inbound") + f"?token={TOKEN}", {"from": "37120000002", "text": "2"}
    )

    assert response.status_code == 200
    assert response.json() == {"recorded": True, "answer": "need_help"}
    acknowledgement = Acknowledgement.objects.get()
    assert (acknowledgement.person_id, acknowledgement.via) == (sms_delivery.person_id, "sms")


def test_callbacks_are_post_only_and_need_no_csrf_token(sms_delivery: Delivery) -> None:
    client = Client(enforce_csrf_checks=True)

    get = client.get(reverse("alerts:sms_report"), **BEARER)
    post = post_json(client, "alerts:sms_report", {"id": "gw-1", "status": "delivered"}, **BEARER)

    assert get.status_code == 405
    assert post.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "code"),
    [
        (b"{not json", "application/json", "invalid_json"),
        (b"\xff\xfe\x00", "application/json", "invalid_json"),
        (b'["from", "text"]', "application/json", "not_an_object"),
        (b"null", "application/json", "not_an_object"),
        (b"from=1&text=1", "text/plain", "unsupported_media_type"),
        (b'{"text": "1"}', "application/json", "malformed_callback"),
        (b'{"from": {"n": 1}, "text": "1"}', "application/json", "malformed_callback"),
        (b'{"from": "not a number", "text": "1"}', "application/json", "malformed_callback"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", "malformed_callback"),
    ],
    ids=[
        "broken json",
        "not utf-8",
        "a list",
        "null",
        "plain text",
        "no sender",
        "sender object",
        "sender not a number",
        "broken multipart",
    ],
)
def test_a_malformed_reply_gets_400_with_its_reason(
    client: Client, sms_delivery: Delivery, body: bytes, content_type: str, code: str
) -> None:
    response = client.post(
        reverse("alerts:sms_inbound"), data=body, content_type=content_type, **BEARER
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"id": ""}, {"id": ["gw-1"]}, {"status": "delivered"}],
    ids=["empty", "empty id", "id list", "no id"],
)
def test_a_report_without_a_message_id_gets_400(
    client: Client, sms_delivery: Delivery, body: dict[str, Any]
) -> None:
    response = post_json(client, "alerts:sms_report", body, **BEARER)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "malformed_callback"
    sms_delivery.refresh_from_db()
    assert sms_delivery.state == Delivery.State.SENT


def test_a_reply_that_is_not_an_answer_or_from_a_stranger_records_nothing(
    client: Client, sms_delivery: Delivery
) -> None:
    chatter = post_json(
        client, "alerts:sms_inbound", {"from": "+37120000002", "text": "kas notiek?"}, **BEARER
    )
    stranger = post_json(
        client, "alerts:sms_inbound", {"from": "+37129999999", "text": "1"}, **BEARER
    )

    assert chatter.json() == {"recorded": False, "reason": "not_an_answer"}
    assert stranger.json() == {"recorded": False, "reason": "no_open_alert"}
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("DELIVRD", Delivery.State.DELIVERED),
        ("undelivered", Delivery.State.FAILED),
        ("buffered", Delivery.State.SENT),
    ],
)
def test_a_delivery_report_moves_the_delivery_on(
    client: Client, sms_delivery: Delivery, status: str, state: str
) -> None:
    response = client.post(reverse("alerts:sms_report"), {"id": "gw-1", "status": status}, **BEARER)

    assert response.status_code == 200
    sms_delivery.refresh_from_db()
    assert sms_delivery.state == state


def test_a_report_for_an_unknown_message_changes_nothing(
    client: Client, sms_delivery: Delivery
) -> None:
    response = post_json(
        client, "alerts:sms_report", {"id": "gw-404", "status": "delivered"}, **BEARER
    )

    assert response.status_code == 200
    assert response.json() == {"state": "delivered", "updated": 0}
