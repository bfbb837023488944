"""The admin site shows alerts, deliveries and answers read-only, to coordinators only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db
MODELS = ["alert", "delivery", "acknowledgement"]


@pytest.fixture
def delivery(member_a: User) -> Delivery:
    alert = Alert.objects.create(
        sender="s", event="Plūdi", headline="Plūdi Ogrē", state="sent", sent=timezone.now()
    )
    person = Person.objects.get(user=member_a)
    delivery = Delivery.objects.create(
        alert=alert, person=person, channel="email", address=person.email, idempotency_key="k"
    )
    Acknowledgement.objects.create(
        alert=alert, person=person, answer=Answer.SAFE, via="link", delivery=delivery
    )
    return delivery


@pytest.mark.parametrize("model", MODELS)
def test_the_coordinator_sees_each_list_without_the_ack_link(
    client_coordinator: Client, delivery: Delivery, model: str
) -> None:
    response = client_coordinator.get(reverse(f"admin:alerts_{model}_changelist"))
    assert response.status_code == 200
    assert "Plūdi Ogrē" in response.content.decode()
    detail = client_coordinator.get(reverse("admin:alerts_delivery_change", args=[delivery.pk]))
    assert delivery.ack_token not in detail.content.decode()


@pytest.mark.parametrize("model", MODELS)
def test_nobody_adds_rows_there(client_coordinator: Client, model: str) -> None:
    assert client_coordinator.get(reverse(f"admin:alerts_{model}_add")).status_code == 403


@pytest.mark.parametrize("model", MODELS)
def test_others_are_kept_out(client_admin_a: Client, delivery: Delivery, model: str) -> None:
    response = client_admin_a.get(reverse(f"admin:alerts_{model}_changelist"))
    assert response.status_code in {302, 403}
    assert "Plūdi" not in response.content.decode()
