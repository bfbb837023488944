"""The alerts list: the alerts the user may follow, newest first, with counts and a filter."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert
from noturiba.alerts.tests.dashboard_support import Scene, make_scene
from noturiba.network.models import Municipality, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


def alert(headline: str, *, days_ago: int = 0, state: str = "draft", code: str = "") -> Alert:
    created = timezone.now() - datetime.timedelta(days=days_ago)
    made = Alert.objects.create(
        sender="s", event="e", headline=headline, state=state, created_at=created
    )
    if code:
        made.municipalities.set([Municipality.objects.get(code=code)])
    return made


def listing(client: Client, query: str = "") -> str:
    response = client.get(reverse("alerts:list") + query)
    assert response.status_code == 200
    return response.content.decode()


def test_newest_first_with_counts_and_sent_time_in_riga(
    client_coordinator: Client, scene: Scene, english: None
) -> None:
    scene.alert.sent = datetime.datetime(2026, 1, 15, 10, 30, tzinfo=datetime.UTC)
    scene.alert.save(update_fields=["sent"])
    alert("Vecāks brīdinājums", days_ago=3)
    html = listing(client_coordinator)
    assert html.index("Plūdi Ogrē un Liepājā") < html.index("Vecāks brīdinājums")
    assert "2 / 9" in html  # answered / messages
    assert "12:30" in html  # 10:30 UTC in Riga (winter: UTC+2)
    assert reverse("alerts:detail", args=[scene.alert.pk]) in html
    assert f'href="{reverse("alerts:compose")}"' in html


def test_it_filters_by_state_and_ignores_a_bad_state(
    client_coordinator: Client, scene: Scene
) -> None:
    alert("Melnraksts")
    html = listing(client_coordinator, "?state=draft")
    assert "Melnraksts" in html and "Plūdi Ogrē" not in html
    html = listing(client_coordinator, "?state=<nonsense>")
    assert "Melnraksts" in html and "Plūdi Ogrē" in html
    assert "&lt;nonsense&gt;" not in html.split("</form>")[1]


def test_an_officer_sees_only_the_alerts_of_their_jurisdiction(
    client_officer: Client, reference: None
) -> None:
    alert("Ogres brīdinājums", code="LV-067")
    alert("Liepājas brīdinājums", code="LV-LPX")
    html = listing(client_officer)
    assert "Ogres brīdinājums" in html and "Liepājas brīdinājums" not in html


def test_it_is_paginated_with_a_fixed_number_of_queries(
    client_coordinator: Client, scene: Scene
) -> None:
    def queries(query: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            listing(client_coordinator, query)
        return len(captured)

    before = queries()
    for number in range(30):
        alert(f"Brīdinājums {number}", days_ago=1)
    assert queries() == before
    html = listing(client_coordinator, "?page=2")
    assert "Plūdi Ogrē" not in html  # 31 alerts, the newest 25 on page one
    assert listing(client_coordinator, "?page=999")  # past the end: the last page


def test_writers_see_the_alerts_link_in_the_navigation(
    client_coordinator: Client, client_officer: Client, client_admin_a: Client
) -> None:
    link = f'href="{reverse("alerts:list")}"'
    home = reverse("network:directory")
    assert link in client_coordinator.get(home).content.decode()
    assert link in client_officer.get(home).content.decode()
    assert link not in client_admin_a.get(home).content.decode()
