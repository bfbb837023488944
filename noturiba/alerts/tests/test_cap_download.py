"""GET /alerts/<id>/cap.xml: the alert as a CAP 1.2 file, for those who may see it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.actions import send_alert
from noturiba.alerts.models import Alert
from noturiba.conftest import municipality
from noturiba.lib import cap

pytestmark = pytest.mark.django_db


def make_alert(coordinator: User, **fields: str) -> Alert:
    alert = Alert.objects.create(
        sender="noturiba@noturiba.example",
        event="Plūdi",
        headline="Plūdi Ogrē",
        description="Daugava kāpj.",
        created_by=coordinator,
        **fields,
    )
    alert.municipalities.set([municipality("LV-067")])
    return alert


def test_it_downloads_the_alert_as_valid_cap(coordinator: User, client_coordinator: Client) -> None:
    alert = make_alert(coordinator, headline_en="Floods in Ogre")
    send_alert(coordinator, alert=alert)

    response = client_coordinator.get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml"
    assert response["Content-Disposition"] == f'attachment; filename="{alert.identifier}.xml"'
    document = cap.parse(response.content)  # validated against the CAP 1.2 schema
    assert document.identifier == alert.identifier
    assert document.status == cap.Status.ACTUAL
    assert [info.headline for info in document.infos] == ["Plūdi Ogrē", "Floods in Ogre"]


def test_it_marks_an_unsent_draft_as_cap_status_draft(
    coordinator: User, client_coordinator: Client
) -> None:
    alert = make_alert(coordinator)

    response = client_coordinator.get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 200
    assert cap.parse(response.content).status == cap.Status.DRAFT


def test_it_lets_the_officer_of_the_area_download(
    coordinator: User, officer: User, client_officer: Client
) -> None:
    alert = make_alert(coordinator)

    response = client_officer.get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["client_member_a", "client_admin_b", "anonymous"])
def test_it_hides_a_restricted_alert_from_outsiders(
    request: pytest.FixtureRequest, coordinator: User, who: str
) -> None:
    alert = make_alert(coordinator)
    send_alert(coordinator, alert=alert)
    client = Client() if who == "anonymous" else request.getfixturevalue(who)

    response = client.get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 404
    assert alert.identifier.encode() not in response.content
    assert "Plūdi".encode() not in response.content


def test_it_hides_an_unsent_public_alert_from_anonymous_visitors(coordinator: User) -> None:
    alert = make_alert(coordinator, scope="Public")

    response = Client().get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 404
    assert alert.identifier.encode() not in response.content


@pytest.mark.parametrize("status", ["Exercise", "Test"])
def test_it_hides_a_sent_public_exercise_or_test_from_anonymous_visitors(
    coordinator: User, status: str
) -> None:
    alert = make_alert(coordinator, scope="Public", status=status)
    send_alert(coordinator, alert=alert)

    response = Client().get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 404


def test_it_lets_anyone_download_a_sent_public_actual_alert(coordinator: User) -> None:
    alert = make_alert(coordinator, scope="Public")
    send_alert(coordinator, alert=alert)

    response = Client().get(reverse("alerts:cap", args=[alert.pk]))

    assert response.status_code == 200
    document = cap.parse(response.content)
    assert document.scope == cap.Scope.PUBLIC and document.restriction is None


def test_it_answers_404_for_an_unknown_alert(client_coordinator: Client) -> None:
    response = client_coordinator.get(reverse("alerts:cap", args=[999999]))

    assert response.status_code == 404
