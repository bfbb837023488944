"""The dashboard's live region (alerts:live), which HTMX fetches again every few seconds."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.models import Acknowledgement, Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.tests.dashboard_support import Scene, answer, make_scene
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


def live(client: Client, scene: Scene, query: str = "") -> str:
    response = client.get(
        reverse("alerts:live", args=[scene.alert.pk]) + query, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    return response.content.decode()


def polled(html: str) -> str:
    """The address the region polls (its ``hx-get``), query included."""
    return html.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")


def test_it_returns_the_region_alone_polling_itself(
    client_coordinator: Client, scene: Scene
) -> None:
    html = live(client_coordinator, scene)
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="alert-live"')
    assert 'hx-trigger="every 10s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert "Pagrabs applūdis" in html
    assert 'id="alert-map-points"' in html


def test_nothing_is_sent_when_nothing_changed(client_coordinator: Client, scene: Scene) -> None:
    address = polled(live(client_coordinator, scene))
    response = client_coordinator.get(address, headers={"HX-Request": "true"})
    assert response.status_code == 204
    # A delivery changing state is a change, even with the same totals.
    Delivery.objects.filter(alert=scene.alert, state="queued").update(state="sent")
    assert client_coordinator.get(address).status_code == 200


def test_an_answer_changed_is_a_change(client_coordinator: Client, scene: Scene) -> None:
    address = polled(live(client_coordinator, scene))
    berta = Acknowledgement.objects.get(alert=scene.alert, person=scene.people["berta"])
    berta.note = "Ūdens jau līdz ceļiem"
    berta.answered_at = timezone.now()
    berta.save(update_fields=["note", "answered_at"])
    response = client_coordinator.get(address)
    assert response.status_code == 200
    assert "Ūdens jau līdz ceļiem" in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()  # the summary's counts are the same


def test_the_summary_line_is_sent_only_when_its_counts_changed(
    client_coordinator: Client, scene: Scene, english: None
) -> None:
    first = live(client_coordinator, scene)
    assert 'hx-swap-oob="innerHTML"' in first  # the page's own counts are not known
    address = polled(first)
    answer(scene.alert, scene.people["dace"], Answer.AVAILABLE)
    changed = client_coordinator.get(address).content.decode()
    assert 'hx-swap-oob="innerHTML"' in changed
    assert "3 of 6 people answered" in changed


def test_it_keeps_the_pages_of_the_lists(client_coordinator: Client, scene: Scene) -> None:
    html = live(client_coordinator, scene, "?unreached=1&help=1&seen=x")
    assert "unreached=1&amp;help=1" in html.split('hx-get="')[1].split('"')[0]
    # Anything else in the query is dropped, not echoed.
    html = live(client_coordinator, scene, '?unreached="><script>')
    assert "<script>" not in html


def test_a_cancelled_alert_stops_polling(client_coordinator: Client, scene: Scene) -> None:
    scene.alert.state = "cancelled"
    scene.alert.save(update_fields=["state"])
    assert "hx-trigger" not in live(client_coordinator, scene)
