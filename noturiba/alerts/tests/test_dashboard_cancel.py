"""Cancelling an alert from its dashboard: a confirmation page, then a POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.tests.dashboard_support import Scene, make_scene
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


def test_it_asks_first_and_changes_nothing_on_get(client_coordinator: Client, scene: Scene) -> None:
    url = reverse("alerts:cancel", args=[scene.alert.pk])
    response = client_coordinator.get(url)
    assert response.status_code == 200
    assert b'method="post"' in response.content
    scene.alert.refresh_from_db()
    assert scene.alert.state == Alert.State.SENDING


def test_it_cancels_and_stops_the_queued_messages(
    client_coordinator: Client, scene: Scene, english: None
) -> None:
    url = reverse("alerts:cancel", args=[scene.alert.pk])
    response = client_coordinator.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("alerts:detail", args=[scene.alert.pk])
    assert "1 queued message was stopped" in response.content.decode()
    scene.alert.refresh_from_db()
    assert scene.alert.state == Alert.State.CANCELLED
    assert not Delivery.objects.filter(alert=scene.alert, state="queued").exists()


def test_cancelling_twice_says_so(client_coordinator: Client, scene: Scene, english: None) -> None:
    url = reverse("alerts:cancel", args=[scene.alert.pk])
    client_coordinator.post(url)
    response = client_coordinator.post(url, follow=True)
    assert "already cancelled" in response.content.decode()
    assert client_coordinator.get(url).status_code == 302


def test_an_officer_cannot_cancel_an_alert_outside_their_jurisdiction(
    client_officer: Client, scene: Scene
) -> None:
    assert client_officer.post(reverse("alerts:cancel", args=[scene.alert.pk])).status_code == 404
    scene.alert.refresh_from_db()
    assert scene.alert.state == Alert.State.SENDING
