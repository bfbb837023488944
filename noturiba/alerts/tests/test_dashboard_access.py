"""Who may open the alerts list and an alert's dashboard."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert
from noturiba.network.models import Municipality

pytestmark = pytest.mark.django_db


def alert_in(code: str, created_by: User | None = None) -> Alert:
    alert = Alert.objects.create(sender="s", event="e", headline="Plūdi", created_by=created_by)
    alert.municipalities.set([Municipality.objects.get(code=code)])
    return alert


def test_a_coordinator_opens_the_list_and_a_dashboard(client_coordinator: Client) -> None:
    alert = alert_in("LV-067")
    assert client_coordinator.get(reverse("alerts:list")).status_code == 200
    response = client_coordinator.get(reverse("alerts:detail", args=[alert.pk]))
    assert response.status_code == 200
    assert "Plūdi" in response.content.decode()


def test_an_officer_outside_the_area_gets_not_found(client_officer: Client) -> None:
    alert = alert_in("LV-LPX")
    assert client_officer.get(reverse("alerts:detail", args=[alert.pk])).status_code == 404
