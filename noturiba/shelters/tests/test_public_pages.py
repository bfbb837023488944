"""The public shelter list/map and a shelter's page: public shelters only, for everyone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.shelters.models import Shelter
from noturiba.shelters.tests.conftest import make_shelter

pytestmark = pytest.mark.usefixtures("english")


def test_the_public_sees_open_public_shelters_with_capacities_and_features(
    shelters: dict[str, Shelter],
) -> None:
    response = Client().get(reverse("shelters:public"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ogres kultūras centra patvertne" in body
    assert "Karostas slēptā patvertne" not in body  # not public
    assert "Ikšķiles aizsegtā vieta" not in body  # not public
    assert "Rīgas slēgtā patvertne" not in body  # public but closed
    assert "140" in body  # free places: 150 − 10
    assert "For longer stays (Sphere)" in body and ">32<" in body
    assert "step-free entrance" in body and "drinking water" in body
    assert 'data-map="collection"' in body
    assert reverse("shelters:geojson") in body


def test_signed_in_people_also_see_only_public_shelters_here(
    client_coordinator: Client, shelters: dict[str, Shelter]
) -> None:
    body = client_coordinator.get(reverse("shelters:public")).content.decode()
    assert "Ogres kultūras centra patvertne" in body
    assert "Karostas slēptā patvertne" not in body


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ({"need": "lift"}, {"Lifts"}),
        ({"need": ["step_free", "wheelchair_spaces"]}, {"Ogres kultūras centra patvertne"}),
        ({"need": "hearing_loop"}, set()),
        ({"facility": "heating"}, {"Ogres kultūras centra patvertne"}),
        ({"municipality": "LV-RIX"}, {"Lifts"}),
        ({"kind": "warm_room"}, {"Lifts"}),
        ({"free": "1"}, {"Ogres kultūras centra patvertne"}),
        ({"municipality": "bogus", "need": "nonsense", "page": "x"}, set()),
    ],
)
def test_filters(shelters: dict[str, Shelter], query: dict[str, Any], shown: set[str]) -> None:
    make_shelter(
        name="Lifts",
        municipality="LV-RIX",
        kind=Shelter.Kind.WARM_ROOM,
        lift=True,
        floor_area=75,
        occupancy=100,
        status=Shelter.Status.FULL,
        is_public=True,
    )
    body = Client().get(reverse("shelters:public"), query).content.decode()
    names = {"Lifts", "Ogres kultūras centra patvertne"}
    assert {name for name in names if name in body} == shown


def test_full_and_opening_are_shown_distinctly(ogre_shelter: Shelter) -> None:
    make_shelter(name="Pilnā", status=Shelter.Status.FULL, is_public=True)
    make_shelter(name="Atveramā", status=Shelter.Status.OPENING, is_public=True)
    body = Client().get(reverse("shelters:public")).content.decode()
    assert "shelter-status-full" in body and "shelter-status-opening" in body
    assert "shelter-status-open" in body


def test_the_list_runs_a_fixed_number_of_queries(
    django_assert_max_num_queries: Any, ogre_shelter: Shelter
) -> None:
    for number in range(30):
        make_shelter(name=f"Patvertne {number}", is_public=True, occupancy=number)
    with django_assert_max_num_queries(8):
        response = Client().get(reverse("shelters:public"), {"need": "step_free"})
    assert response.status_code == 200


def test_a_public_shelter_has_a_public_page(ogre_shelter: Shelter) -> None:
    response = Client().get(reverse("shelters:detail", args=[ogre_shelter.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Brīvības iela 1" in body and "Ogres Samariešu biedrība" in body
    assert 'data-map="point"' in body
    assert reverse("shelters:update", args=[ogre_shelter.pk]) not in body


def test_a_hidden_shelter_is_not_found_for_the_public_and_outsiders(
    liepaja_hidden: Shelter, client_admin_a: Client, client_officer: Client
) -> None:
    page = reverse("shelters:detail", args=[liepaja_hidden.pk])
    for client in (Client(), client_admin_a, client_officer):
        response = client.get(page)
        assert response.status_code == 404
        assert "Karostas" not in response.content.decode()


def test_the_operator_sees_its_hidden_shelter_with_links_to_update(
    liepaja_hidden: Shelter, client_admin_b: Client
) -> None:
    body = client_admin_b.get(reverse("shelters:detail", args=[liepaja_hidden.pk])).content.decode()
    assert "Karostas slēptā patvertne" in body
    assert reverse("shelters:update", args=[liepaja_hidden.pk]) in body
    assert reverse("shelters:edit", args=[liepaja_hidden.pk]) not in body


def test_a_shelter_that_does_not_exist_is_not_found(reference: None) -> None:
    assert Client().get("/shelters/999999/").status_code == 404
