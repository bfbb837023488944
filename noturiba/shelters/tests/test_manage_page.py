"""The managers' list: every shelter the user may see, any status, with the links they may use."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.shelters.models import Shelter
from noturiba.shelters.tests.conftest import make_shelter

pytestmark = pytest.mark.usefixtures("english")

NAMES = {
    "ogre": "Ogres kultūras centra patvertne",
    "liepaja": "Karostas slēptā patvertne",
    "ogre_hidden": "Ikšķiles aizsegtā vieta",
    "riga_closed": "Rīgas slēgtā patvertne",
}


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("client_coordinator", {"ogre", "liepaja", "ogre_hidden", "riga_closed"}),
        ("client_officer", {"ogre", "ogre_hidden", "riga_closed"}),
        ("client_admin_a", {"ogre", "riga_closed"}),
        ("client_member_a", {"ogre", "riga_closed"}),
        ("client_admin_b", {"ogre", "liepaja", "riga_closed"}),
    ],
)
def test_each_role_sees_what_the_policy_allows(
    request: pytest.FixtureRequest, shelters: dict[str, Shelter], who: str, visible: set[str]
) -> None:
    client: Client = request.getfixturevalue(who)
    response = client.get(reverse("shelters:manage"))

    assert response.status_code == 200
    body = response.content.decode()
    assert {key for key, name in NAMES.items() if name in body} == visible


def test_the_officer_may_edit_in_the_jurisdiction_and_add(
    client_officer: Client, shelters: dict[str, Shelter]
) -> None:
    body = client_officer.get(reverse("shelters:manage")).content.decode()
    assert reverse("shelters:add") in body
    assert reverse("shelters:edit", args=[shelters["ogre"].pk]) in body
    assert reverse("shelters:update", args=[shelters["ogre_hidden"].pk]) in body
    assert reverse("shelters:edit", args=[shelters["riga_closed"].pk]) not in body


def test_an_organisation_member_may_update_its_shelter_but_not_edit_or_add(
    client_member_a: Client, shelters: dict[str, Shelter]
) -> None:
    body = client_member_a.get(reverse("shelters:manage")).content.decode()
    assert reverse("shelters:update", args=[shelters["ogre"].pk]) in body
    assert reverse("shelters:edit", args=[shelters["ogre"].pk]) not in body
    assert reverse("shelters:add") not in body


def test_status_filter(client_coordinator: Client, shelters: dict[str, Shelter]) -> None:
    body = client_coordinator.get(reverse("shelters:manage"), {"status": "closed"}).content.decode()
    assert NAMES["riga_closed"] in body and NAMES["ogre"] not in body


def test_the_public_is_sent_to_sign_in(reference: None) -> None:
    response = Client().get(reverse("shelters:manage"))
    assert response.status_code == 302


def test_the_list_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any, client_officer: Client, shelters: dict[str, Shelter]
) -> None:
    for number in range(30):
        make_shelter(name=f"Patvertne {number}", occupancy=number)
    with django_assert_max_num_queries(14):
        response = client_officer.get(reverse("shelters:manage"))
    assert response.status_code == 200
