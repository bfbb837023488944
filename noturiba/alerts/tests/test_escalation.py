"""Escalation: unanswered → the person's next channel → their second contact; never twice."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from noturiba.accounts.models import User
from noturiba.alerts import actions
from noturiba.alerts.escalation import escalate, escalate_alert
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.tasks import build_message, send_deliveries
from noturiba.alerts.tests.conftest import Mailbox
from noturiba.network.models import Membership, Municipality, Organisation, Person

pytestmark = pytest.mark.django_db

DELAY = datetime.timedelta(minutes=30)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
Recipient = Delivery.Recipient


@pytest.fixture
def person(org_a: Organisation) -> Person:
    """Email first, then SMS; a second contact with an email address; speaks English."""
    person = Person.objects.create(
        full_name="Jānis Liepa",
        email="janis@example.lv",
        phone="+37129000001",
        preferred_channels=["email", "sms"],
        preferred_language="en",
        second_contact_name="Līga Liepa",
        second_contact_email="liga@example.lv",
    )
    Membership.objects.create(person=person, organisation=org_a)
    return person


def sent_alert(**fields: Any) -> Alert:
    fields.setdefault("state", Alert.State.SENT)
    fields.setdefault("sent", timezone.now())
    alert = Alert.objects.create(
        sender="brideni@noturiba.example.lv",
        event="Plūdi",
        headline="Plūdi Ogrē",
        headline_en="Floods in Ogre",
        instruction="Augstāk!",
        escalate_after=fields.pop("escalate_after", DELAY),
        **fields,
    )
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    return alert


def first_message(alert: Alert, person: Person, **fields: Any) -> Delivery:
    values = {"state": Delivery.State.SENT, "sent_at": timezone.now() - DELAY - DELAY / 30}
    values.update(fields)
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel="email",
        address=person.email,
        idempotency_key=f"{alert.identifier}/{person.pk}/email",
        **values,
    )


def chain(alert: Alert) -> list[tuple[int, str, str, str]]:
    rows = Delivery.objects.filter(alert=alert).order_by("step")
    return list(rows.values_list("step", "recipient", "channel", "address"))


def test_unanswered_after_the_delay_the_next_channel_is_tried_once(person: Person) -> None:
    alert = sent_alert()
    first_message(alert, person)

    outcome = escalate(alert.pk)
    again = escalate(alert.pk)

    assert chain(alert) == [
        (0, Recipient.PERSON, "email", "janis@example.lv"),
        (1, Recipient.PERSON, "sms", "+37129000001"),
    ]
    assert len(outcome.created) == 1
    assert again.created == []
    escalated = Delivery.objects.get(pk=outcome.created[0])
    assert escalated.state == Delivery.State.QUEUED
    assert escalated.idempotency_key.endswith("/sms/person/step1")
    assert Alert.objects.get(pk=alert.pk).state == Alert.State.SENDING  # out again


def test_before_the_delay_nothing_happens_and_the_next_look_is_when_it_is_due(
    person: Person,
) -> None:
    alert = sent_alert()
    sent_at = timezone.now() - datetime.timedelta(minutes=10)
    first_message(alert, person, sent_at=sent_at)

    outcome = escalate(alert.pk)

    assert outcome.created == []
    assert outcome.next_check == sent_at + DELAY
    assert Delivery.objects.count() == 1


def test_when_the_persons_channels_are_used_up_the_second_contact_is_asked_to_check(
    person: Person, client: Client
) -> None:
    alert = sent_alert()
    first_message(alert, person)
    long_ago = timezone.now() - DELAY * 2
    escalate(alert.pk)
    Delivery.objects.filter(alert=alert, step=1).update(state=Delivery.State.SENT, sent_at=long_ago)

    outcome = escalate(alert.pk)
    done = escalate(alert.pk, now=timezone.now() + DELAY * 10)

    assert chain(alert)[-1] == (2, Recipient.SECOND_CONTACT, "email", "liga@example.lv")
    assert done.created == [] and done.next_check is None
    second = Delivery.objects.get(pk=outcome.created[0])
    message = build_message(second, b"<alert/>")
    assert message.language == "en"  # the person's language
    assert "Jānis Liepa could not be reached" in message.subject
    assert "please check on them" in message.text
    assert "Floods in Ogre" in message.text
    assert message.html is not None and "Jānis Liepa" in message.html

    # The second contact's link answers for the person.
    response = client.post(reverse("alerts:ack", args=[second.ack_token]), {"answer": "safe"})
    assert response.status_code in {200, 302, 303}
    acknowledgement = Acknowledgement.objects.get(alert=alert)
    assert (acknowledgement.person_id, acknowledgement.via) == (person.pk, "link")
    assert acknowledgement.delivery_id == second.pk


def test_a_person_who_answered_is_not_escalated(person: Person) -> None:
    alert = sent_alert()
    delivery = first_message(alert, person)
    Acknowledgement.objects.create(
        alert=alert, person=person, answer="safe", via="link", delivery=delivery
    )

    outcome = escalate(alert.pk)

    assert outcome.created == [] and outcome.next_check is None


@pytest.mark.parametrize(
    "fields",
    [
        {"state": Alert.State.CANCELLED},
        {"expires": timezone.now() - datetime.timedelta(minutes=1)},
        {"escalate_after": None},
    ],
    ids=["cancelled", "expired", "never"],
)
def test_a_closed_alert_or_one_without_a_delay_never_escalates(
    person: Person, fields: dict[str, Any]
) -> None:
    alert = sent_alert(**fields)
    first_message(alert, person)

    outcome = escalate(alert.pk)

    assert outcome.created == [] and outcome.next_check is None


def test_a_message_still_on_its_way_is_waited_for(person: Person) -> None:
    alert = sent_alert()
    first_message(alert, person, state=Delivery.State.QUEUED, sent_at=None)
    now = timezone.now()

    outcome = escalate(alert.pk, now=now)

    assert outcome.created == []
    assert outcome.next_check is not None and now < outcome.next_check <= now + DELAY


def test_a_permanent_failure_escalates_without_waiting(
    person: Person,
    mailbox: Mailbox,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The mail server refuses the address (550): the SMS goes at once, not 30 minutes later;
    no SMS gateway is configured, so that fails for good too, and the second contact is emailed."""
    settings.TASKS = IMMEDIATE
    settings.SMS_GATEWAY = {**settings.SMS_GATEWAY, "url": ""}
    mailbox.refuse["janis@example.lv"] = "550 No such user"
    alert = sent_alert(state=Alert.State.SENDING)
    delivery = first_message(alert, person, state=Delivery.State.QUEUED, sent_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        send_deliveries([delivery.pk])

    rows = Delivery.objects.filter(alert=alert).order_by("step")
    assert [(d.step, d.recipient, d.channel, d.state) for d in rows] == [
        (0, Recipient.PERSON, "email", Delivery.State.FAILED),
        (1, Recipient.PERSON, "sms", Delivery.State.FAILED),
        (2, Recipient.SECOND_CONTACT, "email", Delivery.State.SENT),
    ]
    assert mailbox.recipients() == ["liga@example.lv"]
    assert "Jānis Liepa" in str(mailbox.messages()[0]["Subject"])


def test_sending_an_alert_schedules_its_first_escalation_run(
    coordinator: User,
    person: Person,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.TASKS = DATABASE_QUEUE
    alert = sent_alert(state=Alert.State.DRAFT, sent=None)
    before = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        actions.send_alert(coordinator, alert=alert)

    runs = DBTaskResult.objects.filter(task_path__endswith="escalate_alert")
    assert runs.count() == 1
    run = runs.get()
    assert run.args_kwargs["args"][0] == alert.pk
    assert run.run_after is not None and run.run_after >= before + DELAY


def test_the_escalation_task_reschedules_itself_while_escalations_remain(
    person: Person, settings: Any
) -> None:
    settings.TASKS = DATABASE_QUEUE
    alert = sent_alert()
    first_message(alert, person, sent_at=timezone.now() - datetime.timedelta(minutes=10))

    written = escalate_alert.call(alert.pk, True)

    assert written == 0
    again = DBTaskResult.objects.filter(task_path__endswith="escalate_alert").get()
    assert again.run_after is not None
