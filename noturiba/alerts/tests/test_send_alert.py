"""Sending an alert: deliveries saved in bulk, queued in batches, emailed once over real SMTP."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from noturiba.accounts.models import User
from noturiba.alerts import actions
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.tasks import CLAIM_LEASE, ack_url, send_deliveries
from noturiba.alerts.tests.conftest import Mailbox
from noturiba.lib.cap import parse
from noturiba.network.models import Membership, Municipality, Organisation, Person

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def mailbox(mailbox: Mailbox, settings: Any) -> Mailbox:
    """The shared SMTP server, with tasks run as soon as they are enqueued."""
    settings.TASKS = IMMEDIATE
    return mailbox


def add_members(organisation: Organisation, count: int, **fields: Any) -> list[Person]:
    people = [
        Person.objects.create(full_name=f"Brīvprātīgais {n}", email=f"v{n}@example.lv", **fields)
        for n in range(count)
    ]
    Membership.objects.bulk_create(
        Membership(person=person, organisation=organisation) for person in people
    )
    return people


def ogre_alert(**fields: Any) -> Alert:
    alert = Alert.objects.create(
        event="Plūdi",
        headline="Plūdi Ogrē",
        description="Ūdens līmenis Ogrē ceļas.",
        instruction="Dodieties uz augstāku vietu.",
        headline_en="Floods in Ogre",
        instruction_en="Move to higher ground.",
        **fields,
    )
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    return alert


def test_it_saves_one_delivery_per_person_in_bulk_and_queues_them_in_batches(
    coordinator: User,
    org_a: Organisation,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: Callable[..., Any],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = DATABASE_QUEUE
    settings.DEFAULT_FROM_EMAIL = "Noturība <brideni@noturiba.example.lv>"
    monkeypatch.setattr(actions, "BATCH_SIZE", 20)
    add_members(org_a, 45)
    Person.objects.create(full_name="Bez kontakta").memberships.create(organisation=org_a)
    alert = ogre_alert()

    with django_capture_on_commit_callbacks(execute=True):
        with django_assert_max_num_queries(20):
            count = actions.send_alert(coordinator, alert=alert)

    assert count == 45 == Delivery.objects.filter(alert=alert, state="queued").count()
    assert DBTaskResult.objects.count() == 3  # 20 + 20 + 5, not 45 tasks
    keys = set(Delivery.objects.values_list("idempotency_key", flat=True))
    tokens = set(Delivery.objects.values_list("ack_token", flat=True))
    assert len(keys) == len(tokens) == 45
    alert.refresh_from_db()
    assert alert.state == Alert.State.SENDING and alert.sent is not None
    assert alert.sender == "brideni@noturiba.example.lv"


def test_it_emails_everyone_once_with_their_ack_link_and_the_cap_file(
    coordinator: User,
    member_a: User,
    admin_a: User,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    english_reader = Person.objects.get(user=admin_a)
    english_reader.preferred_language = "en"
    english_reader.save()
    alert = ogre_alert()

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_alert(coordinator, alert=alert)

    assert mailbox.recipients() == ["admin.a@noturiba.example", "member.a@noturiba.example"]
    by_recipient = {message["To"]: message for message in mailbox.messages()}
    for delivery in Delivery.objects.select_related("person"):
        assert delivery.state == Delivery.State.SENT and delivery.attempts == 1
        message = by_recipient[delivery.address]
        assert ack_url(delivery) in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert f'href="{ack_url(delivery)}"' in html
        cap_file = next(part for part in message.iter_attachments())
        assert parse(cap_file.get_content()).identifier == alert.identifier
    assert by_recipient["admin.a@noturiba.example"]["Subject"] == "Floods in Ogre"
    assert 'lang="en"' in by_recipient["admin.a@noturiba.example"].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert by_recipient["member.a@noturiba.example"]["Subject"] == "Plūdi Ogrē"
    alert.refresh_from_db()
    assert alert.state == Alert.State.SENT


def test_it_marks_a_refused_address_failed_and_sends_the_rest(
    coordinator: User,
    org_a: Organisation,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    add_members(org_a, 3)
    mailbox.refuse["v1@example.lv"] = "550 No such user"
    alert = ogre_alert()

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_alert(coordinator, alert=alert)

    failed = Delivery.objects.get(address="v1@example.lv")
    assert failed.state == Delivery.State.FAILED and "550" in failed.last_error
    assert mailbox.recipients() == ["v0@example.lv", "v2@example.lv"]


def test_a_temporary_refusal_is_queued_again_for_later(
    coordinator: User,
    org_a: Organisation,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    add_members(org_a, 1)
    mailbox.refuse["v0@example.lv"] = "451 Try again later"
    alert = ogre_alert()

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_alert(coordinator, alert=alert)

    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.QUEUED and delivery.attempts == 1
    assert delivery.next_attempt_at is not None and delivery.next_attempt_at > delivery.created_at
    send_deliveries([delivery.pk])  # not due yet: nothing is tried
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_running_a_batch_again_sends_nothing_twice(
    coordinator: User,
    org_a: Organisation,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    add_members(org_a, 4)
    alert = ogre_alert()
    with django_capture_on_commit_callbacks(execute=True):
        actions.send_alert(coordinator, alert=alert)
    ids = list(Delivery.objects.values_list("pk", flat=True))

    send_deliveries(ids)
    send_deliveries(ids)

    assert len(mailbox.received) == 4
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_it_refuses_to_send_an_alert_twice(
    coordinator: User, member_a: User, mailbox: Mailbox
) -> None:
    alert = ogre_alert()
    actions.send_alert(coordinator, alert=alert)
    with pytest.raises(ValidationError):
        actions.send_alert(coordinator, alert=alert)
    assert Delivery.objects.count() == 1


def test_an_officer_may_not_alert_outside_the_jurisdiction(
    officer: User, admin_b: User, member_a: User
) -> None:
    alert = ogre_alert()
    alert.municipalities.add(Municipality.objects.get(code="LV-LPX"))
    with pytest.raises(PermissionDenied):
        actions.send_alert(officer, alert=alert)
    assert not Delivery.objects.exists()
    alert.refresh_from_db()
    assert alert.state == Alert.State.DRAFT


def test_an_organisation_admin_may_not_send_alerts(admin_a: User, member_a: User) -> None:
    with pytest.raises(PermissionDenied):
        actions.send_alert(admin_a, alert=ogre_alert())
    assert not Delivery.objects.exists()


def test_a_delivery_abandoned_by_a_dead_worker_is_claimed_again_after_its_lease(
    coordinator: User, org_a: Organisation, mailbox: Mailbox
) -> None:
    add_members(org_a, 2)
    actions.send_alert(coordinator, alert=ogre_alert())  # the tasks never run: no commit
    abandoned, in_progress = Delivery.objects.order_by("pk")
    past, future = timezone.now() - CLAIM_LEASE, timezone.now() + CLAIM_LEASE
    Delivery.objects.filter(pk=abandoned.pk).update(state="sending", next_attempt_at=past)
    Delivery.objects.filter(pk=in_progress.pk).update(state="sending", next_attempt_at=future)

    send_deliveries([abandoned.pk, in_progress.pk])

    assert mailbox.recipients() == [abandoned.address]
    abandoned.refresh_from_db()
    in_progress.refresh_from_db()
    assert abandoned.state == Delivery.State.SENT and abandoned.next_attempt_at is None
    assert in_progress.state == Delivery.State.SENDING


def test_a_temporary_refusal_enqueues_the_batch_again_for_its_next_attempt(
    coordinator: User, org_a: Organisation, mailbox: Mailbox, settings: Any
) -> None:
    add_members(org_a, 2)
    mailbox.refuse["v0@example.lv"] = "421 Too busy"
    actions.send_alert(coordinator, alert=ogre_alert())
    settings.TASKS = DATABASE_QUEUE
    ids = list(Delivery.objects.values_list("pk", flat=True))

    send_deliveries(ids)

    retry = DBTaskResult.objects.get()
    busy = Delivery.objects.get(address="v0@example.lv")
    assert busy.state == Delivery.State.QUEUED
    assert retry.run_after == busy.next_attempt_at
    assert retry.args_kwargs["args"] == [ids]


def test_someone_with_no_channel_of_their_own_is_reached_through_their_second_contact_at_once(
    coordinator: User, org_a: Organisation, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    add_members(org_a, 2)
    cared_for = Person.objects.create(
        full_name="Ilga Bez Tālruņa",
        second_contact_name="Meita",
        second_contact_phone="+37120000001",
    )
    nobody = Person.objects.create(full_name="Bez kontakta")
    for person in (cared_for, nobody):
        person.memberships.create(organisation=org_a)
    alert = ogre_alert()

    assert actions.send_alert(coordinator, alert=alert) == 3

    second = Delivery.objects.get(alert=alert, person=cared_for)
    assert (second.recipient, second.channel, second.address, second.step) == (
        Delivery.Recipient.SECOND_CONTACT,
        "sms",
        "+37120000001",
        0,
    )
    assert second.state == Delivery.State.QUEUED
    assert not Delivery.objects.filter(alert=alert, person=nobody).exists()
