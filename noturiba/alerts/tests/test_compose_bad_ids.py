"""Ids no database row can have (past 64 bits) are refused or ignored, never a server error."""

from __future__ import annotations

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_saved_list
from noturiba.alerts.models import Alert, SavedList
from noturiba.alerts.tests.compose_support import form_data

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
HTMX = {"HX-Request": "true"}


@pytest.mark.parametrize("field", ["municipalities", "lists", "organisations", "target_groups"])
def test_the_live_count_ignores_them(client_coordinator: Client, field: str) -> None:
    response = client_coordinator.get("/alerts/audience/", {field: HUGE}, headers=HTMX)
    assert response.status_code == 200


def test_the_compose_page_refuses_them(client_coordinator: Client) -> None:
    assert client_coordinator.get("/alerts/new/", {"references": HUGE}).status_code == 200
    for data in [
        form_data(references=HUGE, msg_type="Update"),
        form_data(municipalities=[HUGE]),
        form_data(lists=[HUGE]),
    ]:
        assert client_coordinator.post("/alerts/new/", data).status_code == 400
    counted = client_coordinator.post(
        "/alerts/new/", form_data(action="count", municipalities=[HUGE])
    )
    assert counted.status_code == 200
    assert not Alert.objects.exists()


def test_the_list_pages_answer_404(client_coordinator: Client, coordinator: User) -> None:
    saved = create_saved_list(coordinator, name="Sargi")
    assert client_coordinator.get(f"/alerts/lists/{HUGE}/").status_code == 404
    response = client_coordinator.post(f"/alerts/lists/{saved.pk}/remove/{HUGE}/")
    assert response.status_code == 404
    response = client_coordinator.post(
        "/alerts/lists/",
        form_data(municipalities=[HUGE], **{"list-name": "x", "from_audience": "1"}),
    )
    assert response.status_code == 302  # the unknown area is ignored: the whole network
    assert client_coordinator.get(f"/alerts/{HUGE}/review/").status_code == 404
    assert SavedList.objects.count() == 2
