"""GeoJSON (RFC 7946) and CSV with HXL: public shelters for the public, what a manager may see
with ``scope=all``; cells safe from formula injection."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.shelters.models import Shelter
from noturiba.shelters.tests.conftest import make_shelter


def content(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


def read_csv(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content(response))))


def test_geojson_has_public_open_shelters_in_lon_lat_order(shelters: dict[str, Shelter]) -> None:
    response = Client().get(reverse("shelters:geojson"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = json.loads(content(response))
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [24.6052, 56.8175]}
    properties = feature["properties"]
    assert properties["name"] == "Ogres kultūras centra patvertne"
    assert properties["municipality_code"] == "LV-067"
    assert (properties["short_stay_capacity"], properties["sphere_capacity"]) == (150, 32)
    assert (properties["occupancy"], properties["free_places"]) == (10, 140)
    assert properties["accessibility"]["step_free"] is True
    assert properties["accessibility"]["wheelchair_spaces"] == 4
    assert properties["facilities"] == {
        "water": True,
        "toilets": False,
        "heating": True,
        "power_backup": False,
        "first_aid": False,
    }
    assert properties["status"] == "open"
    assert properties["url"].endswith(reverse("shelters:detail", args=[shelters["ogre"].pk]))
    assert "updated" in properties


def test_shelters_without_coordinates_are_left_out_of_geojson(ogre_shelter: Shelter) -> None:
    make_shelter(name="Bez koordinātām", is_public=True)
    collection = json.loads(content(Client().get(reverse("shelters:geojson"))))
    assert [f["properties"]["name"] for f in collection["features"]] == [ogre_shelter.name]


def test_csv_has_a_heading_row_an_hxl_row_and_the_values(shelters: dict[str, Shelter]) -> None:
    response = Client().get(reverse("shelters:csv"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    headings, hashtags, *rows = read_csv(response)
    assert headings[0] == "Name"
    for tag in (
        "#loc+name",
        "#adm1+code",
        "#adm1+name",
        "#geo+lat",
        "#geo+lon",
        "#capacity+num+short_stay",
        "#capacity+num+sphere",
        "#population+num+sheltered",
        "#status",
        "#indicator+access+step_free",
        "#indicator+facility+water",
        "#org+name",
        "#date+updated",
    ):
        assert tag in hashtags
    assert len(rows) == 1
    row = dict(zip(hashtags, rows[0], strict=True))
    assert row["#loc+name"] == "Ogres kultūras centra patvertne"
    assert row["#adm1+code"] == "LV-067"
    assert (row["#geo+lat"], row["#geo+lon"]) == ("56.81750", "24.60520")
    assert (row["#capacity+num+short_stay"], row["#capacity+num+sphere"]) == ("150", "32")
    assert row["#population+num+sheltered"] == "10"
    assert row["#indicator+access+step_free"] == "yes"
    assert row["#indicator+access+lift"] == "no"
    assert row["#org+name"] == "Ogres Samariešu biedrība"
    assert row["#contact+phone"] == "+37167000001"


def test_csv_cells_are_safe_from_formula_injection(reference: None) -> None:
    make_shelter(name='=HYPERLINK("http://evil")', address="@SUM(A1)", is_public=True)
    _headings, hashtags, row = read_csv(Client().get(reverse("shelters:csv")))
    values = dict(zip(hashtags, row, strict=True))
    assert values["#loc+name"] == '\'=HYPERLINK("http://evil")'
    assert values["#loc+address"] == "'@SUM(A1)"


def test_the_public_cannot_ask_for_everything(shelters: dict[str, Shelter]) -> None:
    response = Client().get(reverse("shelters:csv"), {"scope": "all"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("who", "count"),
    [("client_coordinator", 4), ("client_officer", 3), ("client_admin_b", 3)],
)
def test_managers_export_what_they_see_with_scope_all(
    request: pytest.FixtureRequest, shelters: dict[str, Shelter], who: str, count: int
) -> None:
    client: Client = request.getfixturevalue(who)
    _headings, _hashtags, *rows = read_csv(client.get(reverse("shelters:csv"), {"scope": "all"}))
    assert len(rows) == count
    # Without scope=all, everyone gets the public export.
    _headings, _hashtags, *rows = read_csv(client.get(reverse("shelters:csv")))
    assert len(rows) == 1


def test_filters_apply_to_exports(shelters: dict[str, Shelter]) -> None:
    response = Client().get(reverse("shelters:geojson"), {"need": "lift"})
    assert json.loads(content(response))["features"] == []
