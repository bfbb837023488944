"""End to end with a fake SMS gateway (pytest-httpserver): the alert goes out by SMS with its
idempotency key, the gateway's delivery reports and the person's replies come back through the
callbacks and are recorded."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from noturiba.accounts.models import User
from noturiba.alerts import actions
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.network.models import Membership, Municipality, Organisation, Person

pytestmark = pytest.mark.django_db

TOKEN = "callback-token-for-the-gateway"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


class Gateway:
    """Records each message the platform hands over and answers with a message id."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: Request) -> Response:
        assert request.headers["Authorization"] == "Bearer gateway-api-key"
        body = json.loads(request.get_data())
        body["_header_key"] = request.headers.get("Idempotency-Key")
        self.requests.append(body)
        answer = {"messages": [{"id": f"gw-{len(self.requests)}", "status": "accepted"}]}
        return Response(json.dumps(answer), status=202, content_type="application/json")


@pytest.fixture
def gateway(httpserver: HTTPServer, settings: Any) -> Gateway:
    fake = Gateway()
    httpserver.expect_request("/sms/send", method="POST").respond_with_handler(fake)
    settings.TASKS = IMMEDIATE
    settings.SMS_CALLBACK_TOKEN = TOKEN
    settings.SMS_GATEWAY = {
        **settings.SMS_GATEWAY,
        "url": httpserver.url_for("/sms/send"),
        "auth": "bearer",
        "token": "gateway-api-key",
        "sender_id": "Noturiba",
        "idempotency_key_field": "client_ref",
        "response_id_field": "messages.0.id",
    }
    return fake


@pytest.fixture
def sms_people(org_a: Organisation) -> list[Person]:
    people = [
        Person.objects.create(
            full_name=f"Brīvprātīgais {n}",
            phone=f"+3712900000{n}",
            email=f"v{n}@example.lv",
            preferred_channels=["sms"],
            preferred_language="lv",
        )
        for n in range(3)
    ]
    Membership.objects.bulk_create(Membership(person=p, organisation=org_a) for p in people)
    return people


def send_ogre_alert(coordinator: User, on_commit: Callable[..., Any]) -> Alert:
    alert = Alert.objects.create(
        event="Plūdi", headline="Plūdi Ogrē", instruction="Dodieties uz augstāku vietu."
    )
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    with on_commit(execute=True):
        actions.send_alert(coordinator, alert=alert)
    return alert


def callback(client: Client, name: str, body: dict[str, Any]) -> Any:
    return client.post(
        reverse(name),
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {TOKEN}",
    )


def test_an_alert_by_sms_reaches_the_gateway_and_its_reports_and_replies_come_back(
    coordinator: User,
    sms_people: list[Person],
    gateway: Gateway,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    alert = send_ogre_alert(coordinator, django_capture_on_commit_callbacks)

    deliveries = {d.address: d for d in Delivery.objects.filter(alert=alert, channel="sms")}
    assert len(gateway.requests) == 3
    for request in gateway.requests:
        delivery = deliveries[request["to"]]
        assert request["client_ref"] == request["_header_key"] == delivery.idempotency_key
        assert request["from"] == "Noturiba"
        assert "Plūdi Ogrē" in request["text"]
        assert delivery.ack_token in request["text"]
    by_phone = {d.address: d for d in Delivery.objects.filter(alert=alert)}
    assert {d.state for d in by_phone.values()} == {Delivery.State.SENT}
    first, second, third = (by_phone[p.phone] for p in sms_people)

    # The gateway reports: the first delivered, the second failed, the third still pending.
    for provider_id, status in [
        (first.provider_id, "DELIVRD"),
        (second.provider_id, "UNDELIV"),
        (third.provider_id, "ACCEPTD"),
    ]:
        response = callback(client, "alerts:sms_report", {"id": provider_id, "status": status})
        assert response.status_code == 200
    states = {d.pk: d.state for d in Delivery.objects.filter(alert=alert)}
    assert states == {
        first.pk: Delivery.State.DELIVERED,
        second.pk: Delivery.State.FAILED,
        third.pk: Delivery.State.SENT,
    }

    # The people reply, as the gateway forwards it (often without the "+").
    for person, text in zip(sms_people, ["2", "palīdzība", "safe"], strict=True):
        sender = person.phone.lstrip("+")
        response = callback(client, "alerts:sms_inbound", {"from": sender, "text": text})
        assert response.json()["recorded"] is True
    answers = dict(
        Acknowledgement.objects.filter(alert=alert).values_list("person__phone", "answer")
    )
    assert answers == {
        sms_people[0].phone: "need_help",
        sms_people[1].phone: "need_help",
        sms_people[2].phone: "safe",
    }
    assert set(Acknowledgement.objects.values_list("via", flat=True)) == {"sms"}


def test_the_gateway_refusing_a_number_marks_that_delivery_failed(
    coordinator: User,
    sms_people: list[Person],
    httpserver: HTTPServer,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = IMMEDIATE
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "url": httpserver.url_for("/sms/send")}
    httpserver.expect_request("/sms/send", method="POST").respond_with_json(
        {"error": "unknown number"}, status=422
    )

    alert = send_ogre_alert(coordinator, django_capture_on_commit_callbacks)

    deliveries = Delivery.objects.filter(alert=alert)
    assert {d.state for d in deliveries} == {Delivery.State.FAILED}
    assert all("422" in d.last_error for d in deliveries)
