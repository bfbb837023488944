"""``/api/v1/shelters``: public shelters without a token, the policy's view with one; 401 for a
broken token; the operator's occupancy update."""

from __future__ import annotations

import json

import pytest

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, api_for
from noturiba.shelters.models import Shelter, ShelterUpdate


def names(response: object) -> set[str]:
    return {item["name"] for item in response.json()["items"]}  # type: ignore[attr-defined]


def test_without_a_token_only_public_shelters_are_listed(shelters: dict[str, Shelter]) -> None:
    response = ApiClient().get("/shelters")

    assert response.status_code == 200
    assert names(response) == {"Ogres kultūras centra patvertne", "Rīgas slēgtā patvertne"}
    item = next(i for i in response.json()["items"] if i["municipality"] == "LV-067")
    assert (item["short_stay_capacity"], item["sphere_capacity"], item["free_places"]) == (
        150,
        32,
        140,
    )
    assert item["accessibility"]["step_free"] is True


def test_with_a_token_the_caller_sees_what_the_policy_gives(
    admin_b: User, coordinator: User, shelters: dict[str, Shelter]
) -> None:
    assert "Karostas slēptā patvertne" in names(api_for(admin_b).get("/shelters"))
    assert len(names(api_for(coordinator).get("/shelters"))) == 4


def test_an_invalid_token_is_401(shelters: dict[str, Shelter]) -> None:
    response = ApiClient(token="not-a-token").get("/shelters")
    assert response.status_code == 401
    assert "Ogres" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"municipality": "LV-067"}, {"Ogres kultūras centra patvertne"}),
        ({"status": "closed"}, {"Rīgas slēgtā patvertne"}),
        ({"need": "step_free"}, {"Ogres kultūras centra patvertne"}),
        ({"need": "lift"}, set()),
        ({"free": "true"}, {"Ogres kultūras centra patvertne"}),
    ],
)
def test_filters(shelters: dict[str, Shelter], params: dict[str, str], expected: set[str]) -> None:
    assert names(ApiClient().get("/shelters", params)) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"need": "x"},
        {"page": "0"},
        {"page_size": "100000"},
        {"format": "xml"},
        {"municipality": "x" * 50},
    ],
)
def test_invalid_filters_are_422_not_500(
    shelters: dict[str, Shelter], params: dict[str, str]
) -> None:
    response = ApiClient().get("/shelters", params)
    assert response.status_code == 422
    assert response.json()["error"]["code"]


def test_geojson_format(shelters: dict[str, Shelter]) -> None:
    response = ApiClient().get("/shelters", {"format": "geojson"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["name"] for f in collection["features"]} == {
        "Ogres kultūras centra patvertne",
        "Rīgas slēgtā patvertne",
    }


def test_one_shelter_and_404_for_an_invisible_one(shelters: dict[str, Shelter]) -> None:
    ok = ApiClient().get(f"/shelters/{shelters['ogre'].pk}")
    assert ok.status_code == 200 and ok.json()["free_places"] == 140
    hidden = ApiClient().get(f"/shelters/{shelters['liepaja'].pk}")
    assert hidden.status_code == 404
    assert "Karostas" not in hidden.content.decode()


def test_the_operator_reports_occupancy(member_a: User, ogre_shelter: Shelter) -> None:
    response = api_for(member_a).post(
        f"/shelters/{ogre_shelter.pk}/occupancy", {"status": "open", "occupancy": 34}
    )

    assert response.status_code == 200
    assert (response.json()["occupancy"], response.json()["free_places"]) == (34, 116)
    assert ShelterUpdate.objects.get().author == member_a


def test_too_many_people_for_an_open_shelter_is_422(member_a: User, ogre_shelter: Shelter) -> None:
    response = api_for(member_a).post(
        f"/shelters/{ogre_shelter.pk}/occupancy", {"status": "open", "occupancy": 151}
    )
    assert response.status_code == 422
    assert "occupancy" in response.json()["error"]["fields"]


def test_those_who_may_not_update_get_403_or_404(
    admin_b: User, officer: User, shelters: dict[str, Shelter]
) -> None:
    body = {"status": "full", "occupancy": 1}
    assert (
        api_for(admin_b).post(f"/shelters/{shelters['ogre'].pk}/occupancy", body).status_code == 403
    )
    assert (
        api_for(officer).post(f"/shelters/{shelters['liepaja'].pk}/occupancy", body).status_code
        == 404
    )
    assert ApiClient().post(f"/shelters/{shelters['ogre'].pk}/occupancy", body).status_code == 401
    assert not ShelterUpdate.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        '{"status": "open"}',
        '{"status": "open", "occupancy": -1}',
        "not json",
        "[]",
        '{"status": "x", "occupancy": 1}',
        '{"status": "open", "occupancy": 1, "note": 5}',
    ],
)
def test_invalid_bodies_are_never_500(member_a: User, ogre_shelter: Shelter, raw: str) -> None:
    response = api_for(member_a).post(f"/shelters/{ogre_shelter.pk}/occupancy", raw=raw)
    assert 400 <= response.status_code < 500
