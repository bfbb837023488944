"""Answering by the link's token in one statement: saved once, updated on a second answer,
refused (None, nothing written) for unknown tokens and for cancelled or expired alerts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from noturiba.alerts.actions import acknowledge_by_token
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.replies import Answer

pytestmark = pytest.mark.django_db


def test_an_answer_is_saved_with_its_delivery_and_a_second_one_replaces_it(
    delivery: Delivery,
) -> None:
    first = acknowledge_by_token(None, token=delivery.ack_token, answer=Answer.SAFE, note=" Mājās ")
    second = acknowledge_by_token(
        None, token=delivery.ack_token, answer=Answer.NEED_HELP, note="Pagrabā ūdens."
    )

    saved = Acknowledgement.objects.get()
    assert first == second == saved.pk
    assert (saved.alert_id, saved.person_id, saved.delivery_id) == (
        delivery.alert_id,
        delivery.person_id,
        delivery.pk,
    )
    assert (saved.answer, saved.note, saved.via) == (
        Answer.NEED_HELP,
        "Pagrabā ūdens.",
        Acknowledgement.Via.LINK,
    )
    assert abs(saved.answered_at - timezone.now()) < datetime.timedelta(minutes=1)


def test_an_unknown_token_records_nothing(delivery: Delivery) -> None:
    assert acknowledge_by_token(None, token="not-a-token", answer=Answer.SAFE) is None
    assert not Acknowledgement.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"state": Alert.State.CANCELLED},
        {"state": Alert.State.DRAFT},
        {"expires": timezone.now() - datetime.timedelta(minutes=1)},
    ],
    ids=["cancelled", "not sent", "expired"],
)
def test_a_closed_alert_records_nothing(delivery: Delivery, change: dict[str, object]) -> None:
    Alert.objects.filter(pk=delivery.alert_id).update(**change)

    assert acknowledge_by_token(None, token=delivery.ack_token, answer=Answer.SAFE) is None
    assert not Acknowledgement.objects.exists()


def test_an_alert_expiring_later_still_takes_answers(delivery: Delivery) -> None:
    Alert.objects.filter(pk=delivery.alert_id).update(
        expires=timezone.now() + datetime.timedelta(hours=1)
    )

    assert acknowledge_by_token(None, token=delivery.ack_token, answer=Answer.AVAILABLE)
    assert Acknowledgement.objects.get().answer == Answer.AVAILABLE


def test_answers_past_the_statement_preparation_threshold_keep_being_recorded(
    delivery: Delivery,
) -> None:
    """On PostgreSQL the statement is prepared on the connection after five runs; the answers
    after that (closed-alert checks included) must behave exactly as the first ones."""
    answers = [Answer.SAFE, Answer.NEED_HELP, Answer.AVAILABLE] * 4
    for number, answer in enumerate(answers):
        assert (
            acknowledge_by_token(None, token=delivery.ack_token, answer=answer, note=f"{number}")
            is not None
        )
        assert acknowledge_by_token(None, token=f"unknown-{number}", answer=answer) is None

    saved = Acknowledgement.objects.get()
    assert (saved.answer, saved.note) == (answers[-1], str(len(answers) - 1))

    Alert.objects.filter(pk=delivery.alert_id).update(state=Alert.State.CANCELLED)
    assert acknowledge_by_token(None, token=delivery.ack_token, answer=Answer.SAFE) is None
    assert Acknowledgement.objects.get().answer == answers[-1]
