"""The saved-list pages: the lists, one list's people, create from the compose page, delete."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.actions import create_saved_list
from noturiba.alerts.models import SavedList
from noturiba.alerts.selectors import AudienceFilters
from noturiba.alerts.tests.compose_support import form_data, liepaja_id
from noturiba.conftest import client_for
from noturiba.network.models import Municipality, Person

pytestmark = pytest.mark.django_db

URL = "/alerts/lists/"


def ogre_list(author: User) -> SavedList:
    ogre = frozenset({Municipality.objects.get(code="LV-067").pk})
    return create_saved_list(author, name="Ogre", audience=AudienceFilters(municipalities=ogre))


def test_the_lists_page_shows_the_users_lists(
    client_officer: Client, officer: User, coordinator: User, admin_a: User
) -> None:
    assert reverse("alerts:lists") == URL
    ogre_list(officer)
    create_saved_list(coordinator, name="Koordinatora saraksts")
    page = client_officer.get(URL).content.decode()
    assert "Ogre" in page and "Koordinatora saraksts" not in page
    page = client_for(coordinator).get(URL).content.decode()
    assert "Ogre" in page and "Koordinatora saraksts" in page


def test_an_empty_list_is_created_by_name(client_coordinator: Client) -> None:
    response = client_coordinator.post(URL, {"list-name": "Tukšs"})
    saved = SavedList.objects.get()
    assert response["Location"] == reverse("alerts:saved_list", args=[saved.pk])
    assert saved.name == "Tukšs" and not saved.people.exists()
    assert client_coordinator.post(URL, {"list-name": ""}).status_code == 400


def test_the_compose_pages_audience_becomes_a_list(
    client_officer: Client, admin_a: User, member_a: User
) -> None:
    data = form_data(roles=["admin"], **{"list-name": "Ogres admini", "from_audience": "1"})
    response = client_officer.post(URL, data)
    saved = SavedList.objects.get()
    assert response["Location"] == reverse("alerts:saved_list", args=[saved.pk])
    assert list(saved.people.values_list("full_name", flat=True)) == ["Anna Ozola"]


def test_an_officer_cannot_list_people_outside_the_jurisdiction(
    client_officer: Client, admin_b: User
) -> None:
    data = form_data(municipalities=[liepaja_id()], **{"list-name": "X", "from_audience": "1"})
    response = client_officer.post(URL, data)
    assert response.status_code in {302, 400}
    assert not SavedList.objects.exists()


def test_a_list_shows_its_people_and_removes_one(
    client_officer: Client, officer: User, admin_a: User, member_a: User
) -> None:
    saved = ogre_list(officer)
    page = client_officer.get(reverse("alerts:saved_list", args=[saved.pk])).content.decode()
    assert "Anna Ozola" in page and "Mārtiņš Bērziņš" in page
    anna = Person.objects.get(full_name="Anna Ozola")
    remove = reverse("alerts:saved_list_remove", args=[saved.pk, anna.pk])
    assert remove in page
    assert client_officer.get(remove).status_code == 405
    response = client_officer.post(remove)
    assert response["Location"] == reverse("alerts:saved_list", args=[saved.pk])
    assert list(saved.people.values_list("full_name", flat=True)) == ["Mārtiņš Bērziņš"]


def test_deleting_asks_first(client_officer: Client, officer: User, admin_a: User) -> None:
    saved = ogre_list(officer)
    url = reverse("alerts:saved_list_delete", args=[saved.pk])
    page = client_officer.get(url)
    assert page.status_code == 200 and "Ogre" in page.content.decode()
    assert SavedList.objects.exists()
    response = client_officer.post(url)
    assert response["Location"] == URL
    assert not SavedList.objects.exists()


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
def test_others_are_refused_and_see_nothing(who: str, officer: User, request: Any) -> None:
    saved = ogre_list(officer)
    client = client_for(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"list-name": "X"}).status_code == 403
    for name in ["alerts:saved_list", "alerts:saved_list_delete"]:
        response = client.get(reverse(name, args=[saved.pk]))
        assert response.status_code == 404 and "Anna" not in response.content.decode()
    assert client.post(reverse("alerts:saved_list_delete", args=[saved.pk])).status_code == 404
    assert SavedList.objects.filter(pk=saved.pk).exists()


def test_another_officers_list_is_404(officer: User, coordinator: User) -> None:
    saved = create_saved_list(coordinator, name="Koordinatora")
    response = client_for(officer).get(reverse("alerts:saved_list", args=[saved.pk]))
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, reference: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
