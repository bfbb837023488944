"""An SMS reply ("1", "2", "3" or the words) answers the latest open alert sent to that phone."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.actions import acknowledge_alert, acknowledge_by_sms
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.replies import Answer, parse_sms_reply
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db
PHONE = "+37120000002"  # member_a's


def sent_alert(person: Person, channel: str, minutes_ago: int, **fields: object) -> Delivery:
    alert = Alert.objects.create(
        sender="s",
        event="Plūdi",
        headline=f"Plūdi {minutes_ago}",
        state=Alert.State.SENT,
        sent=timezone.now() - datetime.timedelta(minutes=minutes_ago),
        **fields,
    )
    address = person.phone if channel == "sms" else person.email
    return Delivery.objects.create(
        alert=alert,
        person=person,
        channel=channel,
        address=address,
        idempotency_key=f"{alert.identifier}/{channel}",
        state=Delivery.State.SENT,
    )


@pytest.fixture
def person(member_a: User) -> Person:
    return Person.objects.get(user=member_a)


def test_a_reply_answers_the_latest_open_alert_sent_by_sms(person: Person) -> None:
    sent_alert(person, "sms", 60)
    latest = sent_alert(person, "sms", 5)

    answer = acknowledge_by_sms(None, sender=PHONE, answer=Answer.NEED_HELP)

    assert answer is not None
    assert (answer.alert_id, answer.answer, answer.via) == (latest.alert_id, "need_help", "sms")
    assert answer.delivery_id == latest.pk


def test_a_reply_to_an_emailed_alert_counts_by_the_persons_phone(person: Person) -> None:
    emailed = sent_alert(person, "email", 5)
    parsed = parse_sms_reply("Drošībā!")
    assert parsed is not None
    answer = acknowledge_by_sms(None, sender=PHONE, answer=parsed)
    assert answer is not None and answer.alert_id == emailed.alert_id
    assert answer.answer == Answer.SAFE


def test_a_reply_after_a_link_answer_updates_it(person: Person) -> None:
    delivery = sent_alert(person, "sms", 5)
    acknowledge_alert(None, delivery=delivery, answer=Answer.NEED_HELP, note="Pagrabā ūdens.")

    acknowledge_by_sms(None, sender=PHONE, answer=Answer.SAFE)

    answer = Acknowledgement.objects.get()
    assert (answer.answer, answer.via, answer.note) == ("safe", "sms", "")


def test_a_reply_to_a_cancelled_or_expired_alert_or_from_a_stranger_records_nothing(
    person: Person,
) -> None:
    sent_alert(person, "sms", 5, expires=timezone.now() - datetime.timedelta(minutes=1))
    cancelled = sent_alert(person, "sms", 3)
    Alert.objects.filter(pk=cancelled.alert_id).update(state=Alert.State.CANCELLED)

    assert acknowledge_by_sms(None, sender=PHONE, answer=Answer.SAFE) is None
    assert acknowledge_by_sms(None, sender="+37129999999", answer=Answer.SAFE) is None
    assert not Acknowledgement.objects.exists()
