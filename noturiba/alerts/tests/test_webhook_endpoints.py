"""Webhook endpoints: one signed delivery per active endpoint an alert concerns, sent over HTTP."""

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
from noturiba.alerts.channels.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify_signature
from noturiba.alerts.models import Alert, Delivery, WebhookEndpoint
from noturiba.alerts.selectors import AudienceFilters, audience_for
from noturiba.alerts.tasks import build_message, send_deliveries
from noturiba.alerts.webhooks import write_endpoint_deliveries
from noturiba.network.models import Municipality, Organisation

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def ogre_alert() -> Alert:
    alert = Alert.objects.create(
        sender="brideni@noturiba.example.lv",
        event="Plūdi",
        headline="Plūdi Ogrē",
        instruction="Augstāk!",
    )
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    return alert


def endpoint_deliveries(alert: Alert) -> dict[str, Delivery]:
    rows = Delivery.objects.filter(alert=alert, recipient=Delivery.Recipient.ENDPOINT)
    return {str(row.endpoint): row for row in rows.select_related("endpoint")}


def test_every_active_endpoint_of_the_audience_gets_one_delivery_and_no_other(
    coordinator: User, member_a: User, org_a: Organisation, org_b: Organisation, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    WebhookEndpoint.objects.create(name="Valsts", url="https://state.example/hook")
    WebhookEndpoint.objects.create(name="Ogre", url="https://ogre.example/hook", organisation=org_a)
    WebhookEndpoint.objects.create(name="Liepāja", url="https://lpx.example/h", organisation=org_b)
    WebhookEndpoint.objects.create(name="Off", url="https://off.example/h", is_active=False)
    alert = ogre_alert()

    count = actions.send_alert(coordinator, alert=alert)

    endpoints = endpoint_deliveries(alert)
    assert sorted(endpoints) == ["Ogre", "Valsts"]
    assert count == 3  # the member's own delivery and the two endpoints
    ogre = endpoints["Ogre"]
    assert (ogre.person, ogre.channel, ogre.address, ogre.state) == (
        None,
        "webhook",
        "https://ogre.example/hook",
        Delivery.State.QUEUED,
    )


def test_writing_the_endpoint_deliveries_twice_adds_nothing(org_a: Organisation) -> None:
    WebhookEndpoint.objects.create(name="Valsts", url="https://state.example/hook")
    alert = ogre_alert()
    people = audience_for(AudienceFilters(organisations=frozenset({org_a.pk})))
    now = alert.created_at

    first = write_endpoint_deliveries(alert, people, created_at=now)
    second = write_endpoint_deliveries(alert, people, created_at=now, known=first)

    assert len(first) == 1
    assert second == []
    assert Delivery.objects.filter(alert=alert).count() == 1


def test_the_message_to_an_endpoint_has_no_answer_link_and_uses_its_own_secret(
    org_a: Organisation,
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        name="Valsts", url="https://state.example/hook", secret="own-secret"
    )
    alert = ogre_alert()
    delivery = Delivery.objects.create(
        alert=alert,
        endpoint=endpoint,
        recipient=Delivery.Recipient.ENDPOINT,
        channel="webhook",
        address=endpoint.url,
        idempotency_key="k-endpoint",
    )

    message = build_message(delivery, b"<alert/>")

    assert message.ack_url == ""
    assert "/ack/" not in message.text
    assert message.signing_secret == "own-secret"
    assert "own-secret" not in repr(message)


def test_an_endpoint_receives_the_alert_signed_with_its_secret_or_the_platforms(
    coordinator: User,
    member_a: User,
    httpserver: HTTPServer,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Real HTTP: the receiver checks each signature with ``verify_signature``."""
    settings.TASKS = IMMEDIATE
    settings.WEBHOOK_SECRET = "platform-secret"
    WebhookEndpoint.objects.create(name="Own", url=httpserver.url_for("/own"), secret="own-secret")
    WebhookEndpoint.objects.create(name="Shared", url=httpserver.url_for("/shared"))
    verified: dict[str, dict[str, Any]] = {}

    def receiver(secret: str) -> Any:
        def handle(request: Request) -> Response:
            body = request.get_data()
            ok = verify_signature(
                secret,
                body,
                request.headers.get(SIGNATURE_HEADER),
                request.headers.get(TIMESTAMP_HEADER),
            )
            if not ok:
                return Response("bad signature", status=401)
            document = json.loads(body)
            assert request.headers["Idempotency-Key"] == document["idempotency_key"]
            verified[request.path] = document
            return Response("", status=204)

        return handle

    httpserver.expect_request("/own", method="POST").respond_with_handler(receiver("own-secret"))
    httpserver.expect_request("/shared", method="POST").respond_with_handler(
        receiver("platform-secret")
    )
    alert = ogre_alert()

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_alert(coordinator, alert=alert)

    assert sorted(verified) == ["/own", "/shared"]
    assert verified["/own"]["cap_identifier"] == alert.identifier
    assert verified["/own"]["ack_url"] == ""
    states = {name: d.state for name, d in endpoint_deliveries(alert).items()}
    assert states == {"Own": Delivery.State.SENT, "Shared": Delivery.State.SENT}


def test_a_wrong_secret_is_refused_by_the_receiver_and_the_delivery_fails(
    member_a: User, httpserver: HTTPServer
) -> None:
    endpoint = WebhookEndpoint.objects.create(
        name="Own", url=httpserver.url_for("/own"), secret="not-what-they-expect"
    )

    def handle(request: Request) -> Response:
        ok = verify_signature(
            "expected",
            request.get_data(),
            request.headers.get(SIGNATURE_HEADER),
            request.headers.get(TIMESTAMP_HEADER),
        )
        return Response("", status=204 if ok else 401)

    httpserver.expect_request("/own", method="POST").respond_with_handler(handle)
    alert = ogre_alert()
    alert.state = Alert.State.SENDING
    alert.save()
    delivery = Delivery.objects.create(
        alert=alert,
        endpoint=endpoint,
        recipient=Delivery.Recipient.ENDPOINT,
        channel="webhook",
        address=endpoint.url,
        idempotency_key="k-endpoint",
    )

    send_deliveries([delivery.pk])

    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.FAILED
    assert "401" in delivery.last_error


def test_coordinators_manage_endpoints_in_the_admin_and_the_secret_stays_hidden(
    client_coordinator: Client, client_admin_a: Client, org_a: Organisation
) -> None:
    add = reverse("admin:alerts_webhookendpoint_add")
    form = {"name": "Valsts", "url": "https://state.example/hook", "secret": "s3cret-value"}

    response = client_coordinator.post(add, {**form, "is_active": "on"})

    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret == "s3cret-value"
    change = reverse("admin:alerts_webhookendpoint_change", args=[endpoint.pk])
    page = client_coordinator.get(change)
    assert page.status_code == 200
    assert "s3cret-value" not in page.content.decode()
    renamed = {**form, "name": "Valsts ugunsdzēsēji", "secret": "", "is_active": "on"}
    assert client_coordinator.post(change, renamed).status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.secret) == ("Valsts ugunsdzēsēji", "s3cret-value")
    assert client_admin_a.get(add).status_code in {302, 403}
