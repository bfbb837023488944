"""The alert, delivery and acknowledgement tables: constraints, tokens and the CAP document."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.lib.cap import parse, to_xml
from noturiba.network.models import Municipality, Person

pytestmark = pytest.mark.django_db


def make_alert(**fields: object) -> Alert:
    values: dict[str, object] = {
        "sender": "noturiba@noturiba.example",
        "event": "Plūdi",
        "headline": "Plūdi Ogrē",
        "instruction": "Dodieties uz augstāku vietu.",
    }
    values.update(fields)
    return Alert.objects.create(**values)


def test_it_generates_a_unique_identifier_and_starts_as_a_draft() -> None:
    first, second = make_alert(), make_alert()
    assert first.identifier != second.identifier
    assert " " not in first.identifier and "," not in first.identifier
    assert first.state == Alert.State.DRAFT


def test_it_refuses_an_update_without_the_alert_it_refers_to() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make_alert(msg_type="Update")


def test_it_refuses_expiry_before_the_start() -> None:
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_alert(effective=now, expires=now - datetime.timedelta(hours=1))


def test_it_keeps_one_delivery_per_person_and_channel_with_distinct_tokens() -> None:
    alert = make_alert()
    person = Person.objects.create(full_name="Anna", email="anna@example.lv")
    first = Delivery.objects.create(
        alert=alert, person=person, channel="email", address=person.email, idempotency_key="k1"
    )
    second = Delivery.objects.create(
        alert=alert, person=person, channel="sms", address="+37120000001", idempotency_key="k2"
    )
    assert first.ack_token != second.ack_token and len(first.ack_token) >= 32
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(
            alert=alert,
            person=person,
            channel="email",
            address="x@example.lv",
            idempotency_key="k3",
        )


def test_it_keeps_one_acknowledgement_per_alert_and_person() -> None:
    alert = make_alert()
    person = Person.objects.create(full_name="Anna")
    Acknowledgement.objects.create(alert=alert, person=person, answer=Answer.SAFE, via="link")
    with pytest.raises(IntegrityError), transaction.atomic():
        Acknowledgement.objects.create(
            alert=alert, person=person, answer=Answer.NEED_HELP, via="sms"
        )


def test_it_writes_a_valid_cap_document_with_both_languages(reference: None) -> None:
    original = make_alert(sent=timezone.now())
    alert = make_alert(
        msg_type="Update",
        references=original,
        sent=timezone.now(),
        headline_en="Floods in Ogre",
        instruction_en="Move to higher ground.",
        expires=timezone.now() + datetime.timedelta(hours=6),
    )
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    document = parse(to_xml(alert.to_cap()))
    assert document.identifier == alert.identifier
    assert [info.headline for info in document.infos] == ["Plūdi Ogrē", "Floods in Ogre"]
    assert document.infos[0].areas[0].area_desc == "Ogres novads"
    assert document.references[0].identifier == original.identifier
