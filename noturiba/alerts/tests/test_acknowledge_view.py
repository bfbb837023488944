"""The acknowledgement page ``/ack/<token>/``: one tap, no sign-in, answering again updates."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db


def url(delivery: Delivery) -> str:
    return reverse("alerts:ack", args=[delivery.ack_token])


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def post_answer(client: Client, delivery: Delivery, answer: str, note: str = "") -> object:
    page = client.get(url(delivery))
    token = page.context["csrf_token"]  # type: ignore[attr-defined]
    return client.post(
        url(delivery), {"answer": answer, "note": note, "csrfmiddlewaretoken": str(token)}
    )


def test_it_shows_the_alert_in_the_persons_language_with_three_answers(
    client: Client, delivery: Delivery
) -> None:
    response = client.get(url(delivery))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Plūdi Ogrē" in body and "Dodieties uz augstāku vietu." in body
    assert body.count('name="answer"') == 3
    assert 'for="id_note"' in body
    assert "csrfmiddlewaretoken" in body

    assert delivery.person_id is not None
    Person.objects.filter(pk=delivery.person_id).update(preferred_language="en")
    english = client.get(url(delivery)).content.decode()
    assert "Floods in Ogre" in english and "How are you?" in english


def test_it_records_an_answer_without_signing_in(delivery: Delivery) -> None:
    client = csrf_client()
    response = post_answer(client, delivery, "need_help", "  Pagrabā ir ūdens.  ")

    assert response.status_code == 302  # type: ignore[attr-defined]
    answer = Acknowledgement.objects.get()
    assert (answer.answer, answer.note, answer.via) == ("need_help", "Pagrabā ir ūdens.", "link")
    assert answer.person_id == delivery.person_id and answer.delivery_id == delivery.pk
    assert client.get(url(delivery)).context["answered"] == answer  # type: ignore[attr-defined]


def test_answering_twice_updates_the_same_acknowledgement(delivery: Delivery) -> None:
    client = csrf_client()
    post_answer(client, delivery, "need_help")
    post_answer(client, delivery, "safe", "Viss kārtībā.")

    answer = Acknowledgement.objects.get()
    assert (answer.answer, answer.note) == ("safe", "Viss kārtībā.")


def test_it_refuses_a_post_without_the_csrf_token(delivery: Delivery) -> None:
    response = csrf_client().post(url(delivery), {"answer": "safe"})
    assert response.status_code == 403
    assert not Acknowledgement.objects.exists()


def test_it_refuses_an_answer_that_is_not_one_of_the_three(delivery: Delivery) -> None:
    response = Client().post(url(delivery), {"answer": "maybe"})
    assert response.status_code == 400
    assert not Acknowledgement.objects.exists()


def test_an_unknown_token_is_not_found_and_shows_nothing(
    client: Client, delivery: Delivery
) -> None:
    response = client.get(reverse("alerts:ack", args=["x" * 32]))
    assert response.status_code == 404
    assert "Plūdi" not in response.content.decode()
    assert (
        client.post(reverse("alerts:ack", args=["x" * 32]), {"answer": "safe"}).status_code == 404
    )
    assert not Acknowledgement.objects.exists()


def test_a_cancelled_alert_says_so_and_records_nothing(client: Client, delivery: Delivery) -> None:
    Alert.objects.filter(pk=delivery.alert_id).update(state=Alert.State.CANCELLED)

    page = client.get(url(delivery)).content.decode()
    assert "cancelled" in page or "atcelts" in page
    assert 'name="answer"' not in page
    assert client.post(url(delivery), {"answer": "safe"}).status_code == 410
    assert not Acknowledgement.objects.exists()


def test_an_expired_alert_says_so_and_records_nothing(client: Client, delivery: Delivery) -> None:
    assert delivery.person_id is not None
    Person.objects.filter(pk=delivery.person_id).update(preferred_language="en")
    Alert.objects.filter(pk=delivery.alert_id).update(
        expires=timezone.now() - datetime.timedelta(minutes=1)
    )

    page = client.get(url(delivery)).content.decode()
    assert "This alert has expired" in page
    assert 'name="answer"' not in page
    assert client.post(url(delivery), {"answer": "safe"}).status_code == 410
    assert not Acknowledgement.objects.exists()


def test_the_page_is_not_cached_nor_leaks_the_link(client: Client, delivery: Delivery) -> None:
    response = client.get(url(delivery))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
