"""``GET /api/v1/alerts/{id}/deliveries``: the outbox rows of an alert, addresses masked unless
the caller may see the person's contacts; and the whole flow through a real SMTP server."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.alerts.actions import send_alert
from noturiba.alerts.api.alerts import mask_address
from noturiba.alerts.models import Acknowledgement, Alert, Delivery, WebhookEndpoint
from noturiba.alerts.replies import Answer
from noturiba.alerts.tasks import send_deliveries
from noturiba.alerts.tests.api_alerts_support import BODY, api_for, ogre_draft
from noturiba.alerts.tests.conftest import Mailbox
from noturiba.api.tests.conftest import error_of
from noturiba.network.models import Membership, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(coordinator: User, admin_a: User, member_a: User) -> Alert:
    """An Ogre alert sent to organisation A's admin and member (email)."""
    alert = ogre_draft(coordinator)
    send_alert(coordinator, alert=alert)
    return alert


def addresses(response: Any) -> list[str]:
    return sorted(item["address"] for item in response.json()["items"])


def test_it_lists_the_deliveries_with_person_state_and_answer(
    coordinator: User, sent: Alert, member_a: User
) -> None:
    member = Person.objects.get(user=member_a)
    Acknowledgement.objects.create(alert=sent, person=member, answer=Answer.NEED_HELP, via="sms")

    response = api_for(coordinator).get(f"/alerts/{sent.pk}/deliveries")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    row = next(item for item in body["items"] if item["person"]["id"] == member.pk)
    assert row == {
        "id": Delivery.objects.get(alert=sent, person=member).pk,
        "person": {"id": member.pk, "name": "Mārtiņš Bērziņš"},
        "recipient": "person",
        "channel": "email",
        "address": "member.a@noturiba.example",
        "state": "queued",
        "attempts": 0,
        "step": 0,
        "sent_at": None,
        "last_error": "",
        "answer": "need_help",
    }


def test_the_officer_of_the_area_sees_the_addresses_of_its_people(
    officer: User, sent: Alert
) -> None:
    response = api_for(officer).get(f"/alerts/{sent.pk}/deliveries")

    assert addresses(response) == ["admin.a@noturiba.example", "member.a@noturiba.example"]


def test_addresses_of_people_whose_contacts_the_caller_may_not_see_are_masked(
    coordinator: User, officer: User, sent: Alert, member_a: User, org_a: Organisation
) -> None:
    # Mārtiņš left organisation A after the alert went out: the Ogre officer no longer sees
    # his contacts, even in the alert's deliveries (and an SMTP refusal quoting the address).
    Delivery.objects.filter(alert=sent, person__user=member_a).update(
        state="failed", last_error="550 <member.a@noturiba.example>: no such mailbox"
    )
    Membership.objects.filter(person__user=member_a, organisation=org_a).delete()

    as_officer = api_for(officer).get(f"/alerts/{sent.pk}/deliveries")
    as_coordinator = api_for(coordinator).get(f"/alerts/{sent.pk}/deliveries")

    assert addresses(as_officer) == ["admin.a@noturiba.example", "m***@noturiba.example"]
    assert b"member.a@" not in as_officer.content
    failed = next(item for item in as_officer.json()["items"] if item["state"] == "failed")
    assert failed["last_error"] == "550 <m***@noturiba.example>: no such mailbox"
    assert addresses(as_coordinator) == ["admin.a@noturiba.example", "member.a@noturiba.example"]


def test_a_webhooks_address_shows_only_to_coordinators(
    coordinator: User, officer: User, sent: Alert
) -> None:
    endpoint = WebhookEndpoint.objects.create(name="Ogre SCADA", url="https://scada.ogre.lv/h")
    Delivery.objects.create(
        alert=sent,
        endpoint=endpoint,
        recipient=Delivery.Recipient.ENDPOINT,
        channel="webhook",
        address=endpoint.url,
        idempotency_key=f"{sent.identifier}/webhook/{endpoint.pk}",
    )

    def webhook(api_user: User) -> dict[str, Any]:
        items = api_for(api_user).get(f"/alerts/{sent.pk}/deliveries", {"channel": "webhook"})
        return items.json()["items"][0]  # type: ignore[no-any-return]

    assert webhook(coordinator)["address"] == "https://scada.ogre.lv/h"
    seen = webhook(officer)
    assert seen["address"] == "***" and seen["person"] is None and seen["recipient"] == "system"


@pytest.mark.parametrize(
    ("channel", "address", "masked"),
    [
        ("email", "martins@example.lv", "m***@example.lv"),
        ("sms", "+37120000002", "+3712*****02"),
        ("sms", "+371", "***"),
        ("webhook", "https://x.example/a@b", "***"),
    ],
)
def test_mask_address(channel: str, address: str, masked: str) -> None:
    assert mask_address(channel, address) == masked


def test_it_filters_by_state_and_channel(coordinator: User, sent: Alert, member_a: User) -> None:
    Delivery.objects.filter(alert=sent, person__user=member_a).update(state="sent")
    api = api_for(coordinator)

    by_state = api.get(f"/alerts/{sent.pk}/deliveries", {"state": "sent"})
    by_channel = api.get(f"/alerts/{sent.pk}/deliveries", {"channel": "sms"})
    both = api.get(f"/alerts/{sent.pk}/deliveries", {"state": "queued", "channel": "email"})

    assert addresses(by_state) == ["member.a@noturiba.example"]
    assert by_channel.json()["count"] == 0
    assert addresses(both) == ["admin.a@noturiba.example"]


@pytest.mark.parametrize(
    "query",
    [{"state": "lost"}, {"channel": "E-MAIL!"}, {"channel": "x" * 21}, {"page_size": "0"}],
)
def test_a_bad_filter_is_a_422(coordinator: User, sent: Alert, query: dict[str, str]) -> None:
    response = api_for(coordinator).get(f"/alerts/{sent.pk}/deliveries", query)

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


def test_the_pages_session_may_list_them(client_officer: Client, sent: Alert) -> None:
    response = client_officer.get(f"/api/v1/alerts/{sent.pk}/deliveries")

    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_page_of_deliveries_takes_a_fixed_number_of_queries(
    coordinator: User,
    officer: User,
    org_a: Organisation,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    alert = ogre_draft(coordinator)
    send_alert(coordinator, alert=alert)  # nobody yet: sent at once, no deliveries
    api = api_for(officer)
    api.get(f"/alerts/{alert.pk}/deliveries")  # the token's first use is recorded once

    def add_people(count: int, start: int) -> None:
        for number in range(start, start + count):
            person = Person.objects.create(full_name=f"Persona {number}", email=f"p{number}@x.lv")
            Membership.objects.create(person=person, organisation=org_a)
            delivery = Delivery.objects.create(
                alert=alert,
                person=person,
                channel="email",
                address=person.email,
                idempotency_key=f"{alert.identifier}/{person.pk}/email",
            )
            Acknowledgement.objects.create(
                alert=alert, person=person, answer=Answer.SAFE, via="link", delivery=delivery
            )

    add_people(2, 0)
    with django_assert_max_num_queries(12) as few:
        assert api.get(f"/alerts/{alert.pk}/deliveries").json()["count"] == 2
    add_people(30, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(f"/alerts/{alert.pk}/deliveries")
    assert response.json()["count"] == 32
    assert {item["answer"] for item in response.json()["items"]} == {"safe"}


# --- The whole flow -----------------------------------------------------------------------------


def test_create_send_deliver_and_follow_through_the_api(
    mailbox: Mailbox, coordinator: User, admin_a: User, member_a: User
) -> None:
    api = api_for(coordinator)

    created = api.post("/alerts", {**BODY, "headline_en": "Floods in Ogre"})
    alert_id = created.json()["id"]
    sending = api.post(f"/alerts/{alert_id}/send")
    queued = api.get(f"/alerts/{alert_id}/deliveries", {"state": "queued"})

    assert created.status_code == 201 and sending.status_code == 202
    assert sending.json()["queued"] == 2
    assert queued.json()["count"] == 2

    send_deliveries([item["id"] for item in queued.json()["items"]])

    followed = api.get(f"/alerts/{alert_id}")
    deliveries = api.get(f"/alerts/{alert_id}/deliveries").json()["items"]

    assert mailbox.recipients() == ["admin.a@noturiba.example", "member.a@noturiba.example"]
    assert followed.json()["progress"]["by_state"] == {"sent": 2}
    assert followed.json()["progress"]["by_channel"] == {"email": {"sent": 2}}
    assert {(item["state"], item["attempts"]) for item in deliveries} == {("sent", 1)}
    assert all(item["sent_at"] for item in deliveries)
