"""The dashboard page: the alert, its counts, the table by municipality, who needs help and who
is not reached yet, complete without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.tests.dashboard_support import Scene, answer, deliver, make_scene, person
from noturiba.network.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(org_a: Organisation, org_b: Organisation, coordinator: User) -> Scene:
    return make_scene(org_a, org_b, coordinator)


def page(client: Client, scene: Scene, query: str = "") -> str:
    response = client.get(reverse("alerts:detail", args=[scene.alert.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_alert_and_its_counts(
    client_coordinator: Client, scene: Scene, english: None
) -> None:
    html = page(client_coordinator, scene)
    assert "Plūdi Ogrē un Liepājā" in html
    assert "2 of 6 people answered; 1 need help; messages to 2 failed." in html
    assert '<progress id="answered-progress"' in html
    assert 'max="6" value="2"' in html
    assert "Answered: 2 of 6 (33%)" in html
    assert '<th scope="row">Email</th>' in html
    assert '<th scope="row">Liepāja</th>' in html
    assert "not recorded" in html  # Dace's organisation has no seat


def test_it_lists_who_needs_help_with_their_note_and_phone(
    client_coordinator: Client, scene: Scene
) -> None:
    html = page(client_coordinator, scene)
    assert "Pagrabs applūdis" in html
    assert 'href="tel:+37121000002"' in html


def test_it_lists_the_unreached_failed_first_with_the_reason(
    client_coordinator: Client, scene: Scene, english: None
) -> None:
    html = page(client_coordinator, scene)
    section = html[html.index('id="unreached-heading"') :]
    assert "Not reached yet (4)" in section
    order = [section.index(name) for name in ("Cilda", "Frida", "Dace", "Elza")]
    assert order == sorted(order)
    assert 'every message failed: <span class="error-text">Numurs neeksistē</span>' in section
    assert 'href="tel:+37121000003"' in section
    assert "not answered" in section
    assert reverse("alerts:unreached_csv", args=[scene.alert.pk]) in section


def test_it_works_without_javascript(client_coordinator: Client, scene: Scene) -> None:
    html = page(client_coordinator, scene)
    assert 'http-equiv="refresh"' not in html.lower()
    assert f'href="{reverse("alerts:detail", args=[scene.alert.pk])}"' in html  # Refresh
    assert 'role="status" aria-live="polite"' in html
    assert 'hx-trigger="every 10s"' in html


def test_it_polls_at_the_configured_interval(
    client_coordinator: Client, scene: Scene, settings: Any
) -> None:
    settings.ALERT_DASHBOARD_POLL_SECONDS = 2
    assert 'hx-trigger="every 2s"' in page(client_coordinator, scene)


def test_a_cancelled_alert_is_not_polled_and_cannot_be_cancelled_again(
    client_coordinator: Client, scene: Scene
) -> None:
    scene.alert.state = "cancelled"
    scene.alert.save(update_fields=["state"])
    html = page(client_coordinator, scene)
    assert "hx-trigger" not in html
    assert reverse("alerts:cancel", args=[scene.alert.pk]) not in html


def test_a_sent_alert_offers_an_update_a_cancel_message_and_its_cap_file(
    client_coordinator: Client, scene: Scene
) -> None:
    scene.alert.sent = timezone.now()
    scene.alert.save(update_fields=["sent"])
    html = page(client_coordinator, scene)
    compose = reverse("alerts:compose")
    assert f"{compose}?references={scene.alert.pk}&amp;msg_type=Update" in html
    assert f"{compose}?references={scene.alert.pk}&amp;msg_type=Cancel" in html
    assert reverse("alerts:cap", args=[scene.alert.pk]) in html
    assert reverse("alerts:cancel", args=[scene.alert.pk]) in html


def test_the_lists_are_paginated_keeping_the_other_list_s_page(
    client_coordinator: Client, scene: Scene, org_a: Organisation
) -> None:
    for number in range(30):
        deliver(scene.alert, person(f"Zane{number:02}", org_a), "email", "sent")
    html = page(client_coordinator, scene, "?unreached=2")
    assert "Zane29" in html and "Cilda" not in html.split('id="unreached-heading"')[1]
    assert "?unreached=1&amp;help=1#unreached-heading" in html
    assert "unreached=2" in html.split('hx-get="')[1].split('"')[0]  # polling keeps the page
    assert page(client_coordinator, scene, "?unreached=x&help=-1")  # bad numbers: first page


def test_it_asks_the_database_a_fixed_number_of_times(
    client_coordinator: Client, scene: Scene, org_a: Organisation
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(client_coordinator, scene)
        return len(captured)

    before = queries()
    for number in range(40):
        someone = person(f"Extra{number}", org_a)
        deliver(scene.alert, someone, "email", "failed" if number % 3 else "sent", "no")
        if number % 4 == 0:
            answer(scene.alert, someone, "need_help", "palīgā")
    assert queries() == before <= 20
