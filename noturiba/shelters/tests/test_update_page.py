"""The operator's update page: works without JavaScript (−/+ are submit buttons), says what
was saved, refuses too many people with a clear message, and is closed to others."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.shelters.models import Shelter, ShelterUpdate

pytestmark = pytest.mark.usefixtures("english")


def url(shelter: Shelter) -> str:
    return reverse("shelters:update", args=[shelter.pk])


def test_it_shows_the_current_status_and_number(
    client_member_a: Client, ogre_shelter: Shelter
) -> None:
    response = client_member_a.get(url(ogre_shelter))

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="occupancy"' in body and 'value="10"' in body
    assert 'name="adjust" value="+5"' in body and 'name="adjust" value="-10"' in body


def test_a_plus_button_adds_to_the_typed_number_without_saving(
    client_member_a: Client, ogre_shelter: Shelter
) -> None:
    response = client_member_a.post(
        url(ogre_shelter), {"status": "open", "occupancy": "30", "adjust": "+5"}
    )

    assert response.status_code == 200
    assert 'value="35"' in response.content.decode()
    assert not ShelterUpdate.objects.exists()


def test_a_minus_button_never_goes_below_zero(
    client_member_a: Client, ogre_shelter: Shelter
) -> None:
    response = client_member_a.post(
        url(ogre_shelter), {"status": "open", "occupancy": "3", "adjust": "-10"}
    )
    assert 'value="0"' in response.content.decode()


def test_saving_says_what_was_saved(client_member_a: Client, ogre_shelter: Shelter) -> None:
    response = client_member_a.post(
        url(ogre_shelter), {"status": "open", "occupancy": "34", "save": "1"}, follow=True
    )

    assert response.status_code == 200
    assert "Saved: open, 34 people inside, 116 free places" in response.content.decode()
    ogre_shelter.refresh_from_db()
    assert ogre_shelter.occupancy == 34


def test_too_many_people_for_an_open_shelter_are_refused_with_a_clear_message(
    client_member_a: Client, ogre_shelter: Shelter
) -> None:
    response = client_member_a.post(
        url(ogre_shelter), {"status": "open", "occupancy": "200", "save": "1"}
    )

    assert response.status_code == 400
    assert "Set the status to Full" in response.content.decode()
    ogre_shelter.refresh_from_db()
    assert ogre_shelter.occupancy == 10


@pytest.mark.parametrize(
    "data",
    [
        {"status": "open", "occupancy": "abc"},
        {"status": "nonsense", "occupancy": "1"},
        {"occupancy": "-3"},
        {"status": "open", "occupancy": "99999999999999999999"},
        {"status": "open", "occupancy": "1", "adjust": "+1000"},
        {"status": "open", "occupancy": "zz", "adjust": "+5"},
        {"status": "open", "occupancy": "1", "note": "x" * 500},
    ],
)
def test_invalid_input_is_never_a_server_error(
    client_member_a: Client, ogre_shelter: Shelter, data: dict[str, str]
) -> None:
    response = client_member_a.post(url(ogre_shelter), data)
    assert response.status_code in (200, 400)


def test_others_are_refused(
    client_admin_b: Client, client_officer: Client, ogre_shelter: Shelter, liepaja_hidden: Shelter
) -> None:
    assert client_admin_b.get(url(ogre_shelter)).status_code == 403
    assert client_officer.get(url(liepaja_hidden)).status_code == 404
    assert Client().get(url(ogre_shelter)).status_code == 302  # to sign in
    assert (
        client_admin_b.post(url(ogre_shelter), {"status": "full", "occupancy": "1"}).status_code
        == 403
    )
