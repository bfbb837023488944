"""The received-alert pages and the subscription pages, from the outside: who sees what."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.cap_import import import_cap
from noturiba.alerts.models import CapSubscription, ExternalAlert
from noturiba.alerts.tests.cap_support import followup, storm, storm_xml
from noturiba.conftest import client_for
from noturiba.lib import cap

PEOPLE = ["coordinator", "officer", "admin_a", "member_a", "trainer", None]


def as_client(who: str | None, request: pytest.FixtureRequest) -> Client:
    return client_for(request.getfixturevalue(who)) if who else Client()


@pytest.fixture
def received(coordinator: User) -> ExternalAlert:
    return import_cap(coordinator, data=storm_xml(), source=ExternalAlert.Source.UPLOAD).alert


@pytest.fixture
def feed(coordinator: User) -> CapSubscription:
    return CapSubscription.objects.create(name="LVĢMC brīdinājumi", url="https://lvgmc.example/a")


VIEWERS = {"coordinator", "officer"}


@pytest.mark.parametrize("who", PEOPLE)
def test_who_sees_the_received_alert_pages(
    who: str | None, request: pytest.FixtureRequest, received: ExternalAlert
) -> None:
    client = as_client(who, request)
    urls = [
        reverse("alerts:external_list"),
        reverse("alerts:external_detail", args=[received.pk]),
        reverse("alerts:external_download", args=[received.pk]),
        reverse("alerts:external_import"),
    ]

    statuses = [client.get(url).status_code for url in urls]

    if who in VIEWERS:
        assert statuses == [200, 200, 200, 200]
    elif who is None:
        assert all(status == 302 for status in statuses)
    else:
        assert statuses == [403, 403, 403, 403]
    if who not in VIEWERS:
        assert all("Vētra" not in client.get(url).content.decode() for url in urls)


@pytest.mark.parametrize("who", PEOPLE)
def test_only_coordinators_manage_subscriptions(
    who: str | None, request: pytest.FixtureRequest, feed: CapSubscription
) -> None:
    client = as_client(who, request)
    pages = [
        client.get(reverse("alerts:subscriptions")),
        client.get(reverse("alerts:subscription_delete", args=[feed.pk])),
    ]
    posts = [
        client.post(reverse("alerts:subscription_active", args=[feed.pk]), {"active": "0"}),
        client.post(reverse("alerts:subscription_poll", args=[feed.pk])),
        client.post(reverse("alerts:subscription_delete", args=[feed.pk])),
    ]
    if who == "coordinator":
        assert [r.status_code for r in pages] == [200, 200]
        assert not CapSubscription.objects.exists()
    else:
        expected = 302 if who is None else 403
        assert {r.status_code for r in pages + posts} == {expected}
        feed.refresh_from_db()
        assert feed.is_active
        assert "lvgmc.example" not in "".join(r.content.decode() for r in pages + posts)


def test_the_list_shows_cancelled_and_updated_alerts_and_filters(
    client_coordinator: Client, coordinator: User, feed: CapSubscription
) -> None:
    cancelled, updated, plain = storm("cancelled"), storm("updated"), storm("plain")
    for alert in (
        cancelled,
        updated,
        plain,
        followup(cancelled, "c-1", cap.MsgType.CANCEL),
        followup(updated, "u-1", cap.MsgType.UPDATE),
    ):
        import_cap(
            None, data=cap.to_xml(alert), source=ExternalAlert.Source.FEED, subscription=feed
        )

    with_status = {
        status: client_coordinator.get(reverse("alerts:external_list"), {"status": status})
        for status in ("cancelled", "updated", "active")
    }
    whole = client_coordinator.get(reverse("alerts:external_list")).content.decode()

    assert whole.count("status-expired") == 1  # the cancelled one
    assert whole.count("status-updated") == 1
    ids = {
        status: [a.identifier for a in response.context["page"].object_list]
        for status, response in with_status.items()
    }
    assert ids["cancelled"] == ["cancelled"]
    assert ids["updated"] == ["updated"]
    assert sorted(ids["active"]) == ["c-1", "plain", "u-1"]
    by_feed = client_coordinator.get(reverse("alerts:external_list"), {"subscription": feed.pk})
    assert len(by_feed.context["page"].object_list) == 5


def test_the_list_uses_a_fixed_number_of_queries(
    client_coordinator: Client, coordinator: User, django_assert_max_num_queries: object
) -> None:
    for number in range(30):
        import_cap(coordinator, data=storm_xml(f"n{number}"), source=ExternalAlert.Source.UPLOAD)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client_coordinator.get(reverse("alerts:external_list"))
    assert response.status_code == 200


def test_the_detail_shows_references_both_ways_and_the_raw_cap(
    client_officer: Client, coordinator: User
) -> None:
    original = storm()
    first = import_cap(coordinator, data=cap.to_xml(original), source=ExternalAlert.Source.API)
    update = followup(original, "u-1", cap.MsgType.UPDATE)
    second = import_cap(coordinator, data=cap.to_xml(update), source=ExternalAlert.Source.API)

    original_page = client_officer.get(
        reverse("alerts:external_detail", args=[first.alert.pk])
    ).content.decode()
    update_page = client_officer.get(
        reverse("alerts:external_detail", args=[second.alert.pk])
    ).content.decode()

    assert reverse("alerts:external_detail", args=[second.alert.pk]) in original_page
    assert reverse("alerts:external_detail", args=[first.alert.pk]) in update_page
    assert "<details>" in original_page
    assert "urn:oasis:names:tc:emergency:cap:1.2" in original_page
    download = client_officer.get(reverse("alerts:external_download", args=[first.alert.pk]))
    assert download["Content-Type"] == "application/cap+xml"
    assert download.content == cap.to_xml(original)


def test_an_unknown_alert_is_404(client_coordinator: Client, db: None) -> None:
    response = client_coordinator.get(reverse("alerts:external_detail", args=[99999]))
    assert response.status_code == 404
