from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from noturiba.conftest import municipality
from noturiba.network.models import Organisation
from noturiba.network.tests.page_helpers import english, make_organisations  # noqa: F401
from noturiba.network.views import directory

pytestmark = pytest.mark.usefixtures("english")

MAP = reverse("network:map")
GEOJSON = reverse("network:map_geojson")


def geojson(client: Client, query: dict[str, str] | None = None) -> dict[str, Any]:
    response = client.get(GEOJSON, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection: dict[str, Any] = json.loads(response.content)
    return collection


def test_it_is_an_rfc_7946_feature_collection_in_lon_lat_order(
    client_member_a: Client, org_a: Organisation
) -> None:
    collection = geojson(client_member_a)
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [24.614, 56.8162]}
    assert feature["properties"] == {
        "id": org_a.pk,
        "name": org_a.name,
        "url": reverse("network:organisation", args=[org_a.pk]),
        "municipality": "Ogre Municipality",
        "exact": True,
    }
    assert collection["truncated"] is False and collection["total"] == 1


def test_it_takes_the_directory_filters(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    names = [
        feature["properties"]["name"]
        for feature in geojson(client_member_a, {"capability": "transport"})["features"]
    ]
    assert names == [org_b.name]


def test_the_public_gets_public_organisations_at_their_municipality(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    [feature] = geojson(client)["features"]
    ogre = municipality("LV-067")
    assert feature["geometry"]["coordinates"] == [float(ogre.longitude), float(ogre.latitude)]
    assert feature["properties"]["exact"] is False


def test_an_organisation_without_any_place_is_left_off(
    client_member_a: Client, reference: None
) -> None:
    Organisation.objects.create(name="Bez adreses")
    features = geojson(client_member_a)["features"]
    assert "Bez adreses" not in [f["properties"]["name"] for f in features]
    assert len(features) == 1


def test_it_caps_the_features_and_says_so(
    client_member_a: Client, reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_organisations(4)  # and organisation A
    monkeypatch.setattr(directory, "MAP_LIMIT", 3)
    collection = geojson(client_member_a)
    assert len(collection["features"]) == 3
    assert collection["truncated"] is True and collection["total"] == 5


def test_the_page_wires_the_map_to_the_filtered_geojson_and_the_tiles(
    client_member_a: Client, org_a: Organisation, settings: Any
) -> None:
    settings.MAP_TILE_URL = "http://tiles.local/{z}/{x}/{y}.png"
    response = client_member_a.get(MAP, {"municipality": "LV-067"})
    body = response.content.decode()
    assert f'data-geojson-url="{GEOJSON}?municipality=LV-067"' in body
    assert 'data-tile-url="http://tiles.local/{z}/{x}/{y}.png"' in body
    assert "vendor/leaflet/leaflet.js" in body and "network/map.js" in body
    assert "<script>" not in body  # no inline script: CSP-friendly


def test_the_page_lists_the_organisations_as_text_for_use_without_tiles_or_js(
    client_member_a: Client, org_a: Organisation, org_b: Organisation
) -> None:
    body = client_member_a.get(MAP).content.decode()
    assert '<th scope="row"><a href="' in body
    assert org_a.name in body and org_b.name in body
    assert "Ogre Municipality" in body and "Liepāja" in body


def test_the_public_map_lists_only_public_organisations(
    client: Client, org_a: Organisation, org_b: Organisation
) -> None:
    body = client.get(MAP).content.decode()
    assert org_a.name in body and org_b.name not in body


def test_the_page_warns_when_the_map_cannot_show_them_all(
    client_member_a: Client, reference: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_organisations(3)
    monkeypatch.setattr(directory, "MAP_LIMIT", 2)
    assert "The map shows at most 2 organisations" in client_member_a.get(MAP).content.decode()


def test_the_text_list_costs_the_same_for_any_number_of_rows(
    client_member_a: Client, reference: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    make_organisations(2)
    with CaptureQueriesContext(connection) as few:
        client_member_a.get(MAP)
    make_organisations(20, prefix="Vēl")
    with django_assert_num_queries(len(few)):
        client_member_a.get(MAP)
