"""Who may open the alerts list, an alert's dashboard, its live region, its CSV and its
cancel page: from the outside, for each of the named people."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.models import Alert
from noturiba.conftest import client_for
from noturiba.network.models import Municipality, Organisation

pytestmark = pytest.mark.django_db

SECRET = "Slepens virsraksts"  # the alert's headline: never in a refusal


@pytest.fixture
def ogre_alert(officer: User, org_a: Organisation) -> Alert:
    """An Ogre alert written by the Ogre officer."""
    alert = Alert.objects.create(sender="s", event="e", headline=SECRET, created_by=officer)
    alert.municipalities.set([Municipality.objects.get(code="LV-067")])
    return alert


@pytest.fixture
def liepaja_alert(coordinator: User) -> Alert:
    alert = Alert.objects.create(sender="s", event="e", headline=SECRET, created_by=coordinator)
    alert.municipalities.set([Municipality.objects.get(code="LV-LPX")])
    return alert


ALERT_PAGES = ["alerts:detail", "alerts:live", "alerts:unreached_csv", "alerts:cancel"]


def get(client: Client, name: str, alert: Alert) -> int:
    response = client.get(reverse(name, args=[alert.pk]))
    if response.status_code != 200:
        assert SECRET.encode() not in response.content
    return response.status_code


def test_a_coordinator_opens_everything(
    client_coordinator: Client, ogre_alert: Alert, liepaja_alert: Alert
) -> None:
    assert client_coordinator.get(reverse("alerts:list")).status_code == 200
    for alert in (ogre_alert, liepaja_alert):
        assert [get(client_coordinator, name, alert) for name in ALERT_PAGES] == [200] * 4


def test_the_author_officer_opens_their_alert(client_officer: Client, ogre_alert: Alert) -> None:
    assert client_officer.get(reverse("alerts:list")).status_code == 200
    assert [get(client_officer, name, ogre_alert) for name in ALERT_PAGES] == [200] * 4


def test_an_officer_outside_the_area_gets_not_found(
    client_officer: Client, liepaja_alert: Alert
) -> None:
    assert [get(client_officer, name, liepaja_alert) for name in ALERT_PAGES] == [404] * 4
    assert SECRET not in client_officer.get(reverse("alerts:list")).content.decode()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "trainer"])
def test_people_who_do_not_write_alerts_are_refused(
    who: str, request: pytest.FixtureRequest, ogre_alert: Alert
) -> None:
    client = client_for(request.getfixturevalue(who))
    response = client.get(reverse("alerts:list"))
    assert response.status_code == 403
    assert SECRET not in response.content.decode()
    assert [get(client, name, ogre_alert) for name in ALERT_PAGES] == [404] * 4


def test_an_author_who_no_longer_writes_alerts_follows_it_but_cannot_cancel_it(
    admin_b: User,
) -> None:
    alert = Alert.objects.create(sender="s", event="e", headline=SECRET, created_by=admin_b)
    alert.municipalities.set([Municipality.objects.get(code="LV-LPX")])
    client = client_for(admin_b)
    assert [get(client, name, alert) for name in ALERT_PAGES] == [200, 200, 200, 403]
    assert client.post(reverse("alerts:cancel", args=[alert.pk])).status_code == 403
    alert.refresh_from_db()
    assert alert.state == Alert.State.DRAFT


def test_anonymous_visitors_are_sent_to_sign_in(ogre_alert: Alert) -> None:
    client = Client()
    urls = [reverse("alerts:list")] + [reverse(name, args=[ogre_alert.pk]) for name in ALERT_PAGES]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url
    response = client.post(reverse("alerts:cancel", args=[ogre_alert.pk]))
    assert response.status_code == 302
    ogre_alert.refresh_from_db()
    assert ogre_alert.state == Alert.State.DRAFT


def test_a_missing_alert_is_not_found(client_coordinator: Client, reference: None) -> None:
    for name in ALERT_PAGES:
        assert client_coordinator.get(reverse(name, args=[999999])).status_code == 404
