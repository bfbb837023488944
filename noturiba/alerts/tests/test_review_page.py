"""The review page: the alert as it goes out, its audience, and who may see and send it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_alert, send_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import AudienceFilters
from noturiba.conftest import client_for
from noturiba.network.models import Membership, Municipality, Organisation, Person

pytestmark = pytest.mark.django_db

DATA = {
    "status": "Exercise",
    "event": "Plūdi",
    "headline": "Plūdi Ogrē",
    "description": "Daugava kāpj.",
    "instruction": "Dodieties uz augstāku vietu.",
    "headline_en": "Floods in Ogre",
    "instruction_en": "Go to higher ground.",
}


def draft(author: User, code: str = "LV-067", **audience: Any) -> Alert:
    return create_alert(
        author,
        data=DATA,
        municipalities=[Municipality.objects.get(code=code)],
        audience=AudienceFilters(**audience),
    )


def url(alert: Alert) -> str:
    return reverse("alerts:review", args=[alert.pk])


def test_it_shows_both_languages_the_audience_and_the_buttons(
    client_officer: Client,
    officer: User,
    admin_a: User,
    member_a: User,
    org_a: Organisation,
    english: None,
) -> None:
    nobody = Person.objects.create(full_name="Zane Bezkontakta")
    Membership.objects.create(person=nobody, organisation=org_a)
    alert = draft(officer, roles=frozenset({"member"}))
    assert url(alert) == f"/alerts/{alert.pk}/review/"
    response = client_officer.get(url(alert))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Plūdi Ogrē" in page and "Daugava kāpj." in page
    assert "Floods in Ogre" in page and "Go to higher ground." in page
    assert "2 people" in page and "Email: 1 message" in page
    assert "1 person has no email address or phone number" in page and "Zane" in page
    assert "member / volunteer" in page  # the role filter, described
    assert reverse("alerts:edit", args=[alert.pk]) in page
    assert reverse("alerts:send", args=[alert.pk]) in page


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_outsiders_get_404_and_no_data(who: str, coordinator: User, request: Any) -> None:
    alert = draft(coordinator)
    response = client_for(request.getfixturevalue(who)).get(url(alert))
    assert response.status_code == 404
    assert "Plūdi" not in response.content.decode()


def test_an_officer_does_not_see_an_alert_outside_the_jurisdiction(
    client_officer: Client, coordinator: User
) -> None:
    alert = draft(coordinator, code="LV-LPX")
    response = client_officer.get(url(alert))
    assert response.status_code == 404 and "Plūdi" not in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, coordinator: User) -> None:
    response = client.get(url(draft(coordinator)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_sent_alert_has_no_send_button(
    client_coordinator: Client, coordinator: User, admin_a: User
) -> None:
    alert = draft(coordinator)
    send_alert(coordinator, alert=alert)
    page = client_coordinator.get(url(alert)).content.decode()
    assert reverse("alerts:send", args=[alert.pk]) not in page
    assert reverse("alerts:detail", args=[alert.pk]) in page
