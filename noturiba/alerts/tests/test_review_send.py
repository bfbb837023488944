"""Sending from the review page: a confirmation that states the number, then the dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert
from noturiba.alerts.models import Alert, Delivery
from noturiba.conftest import client_for
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db

DATA = {"status": "Exercise", "event": "Plūdi", "headline": "Plūdi Ogrē"}


def draft(author: User, code: str = "LV-067") -> Alert:
    return create_alert(author, data=DATA, municipalities=[Municipality.objects.get(code=code)])


def url(alert: Alert) -> str:
    return reverse("alerts:send", args=[alert.pk])


def test_the_first_post_asks_for_confirmation_with_the_number(
    client_coordinator: Client, coordinator: User, admin_a: User, member_a: User, english: None
) -> None:
    alert = draft(coordinator)
    response = client_coordinator.post(url(alert))
    assert response.status_code == 200
    assert "goes to 2 people" in response.content.decode()
    assert "Send to 2 people" in response.content.decode()
    alert.refresh_from_db()
    assert alert.state == Alert.State.DRAFT and not Delivery.objects.exists()


def test_confirming_sends_and_leads_to_the_dashboard(
    client_coordinator: Client, coordinator: User, admin_a: User, member_a: User
) -> None:
    alert = draft(coordinator)
    response = client_coordinator.post(url(alert), {"confirmed": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:detail", args=[alert.pk])
    alert.refresh_from_db()
    assert alert.state == Alert.State.SENDING
    assert Delivery.objects.filter(alert=alert, person__isnull=False).count() == 2


def test_sending_twice_sends_once(
    client_coordinator: Client, coordinator: User, admin_a: User
) -> None:
    alert = draft(coordinator)
    client_coordinator.post(url(alert), {"confirmed": "yes"})
    response = client_coordinator.post(url(alert), {"confirmed": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:review", args=[alert.pk])
    assert Delivery.objects.filter(alert=alert, person__isnull=False).count() == 1


def test_an_officer_sends_within_the_jurisdiction_only(
    client_officer: Client, officer: User, coordinator: User, admin_a: User
) -> None:
    own = draft(officer)
    assert client_officer.post(url(own), {"confirmed": "yes"}).status_code == 302
    elsewhere = draft(coordinator, code="LV-LPX")
    assert client_officer.post(url(elsewhere), {"confirmed": "yes"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.state == Alert.State.DRAFT


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_others_cannot_send(who: str, coordinator: User, request: Any) -> None:
    alert = draft(coordinator)
    response = client_for(request.getfixturevalue(who)).post(url(alert), {"confirmed": "yes"})
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.state == Alert.State.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, coordinator: User) -> None:
    alert = draft(coordinator)
    response = client.post(url(alert), {"confirmed": "yes"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    alert.refresh_from_db()
    assert alert.state == Alert.State.DRAFT
