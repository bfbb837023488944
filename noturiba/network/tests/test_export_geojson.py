"""GeoJSON export (RFC 7946) of the filtered directory."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from noturiba.accounts.models import User
from noturiba.network.exports import export_organisations
from noturiba.network.models import Municipality, Organisation
from noturiba.network.selectors import DirectoryFilters
from noturiba.network.tests.export_helpers import export_text

pytestmark = pytest.mark.usefixtures("reference", "english")


def collection(actor: Any, **query: str) -> dict[str, Any]:
    data = json.loads(export_text(actor, "geojson", **query))
    assert data["type"] == "FeatureCollection" and "crs" not in data
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
    return data


def test_it_exports_located_organisations_as_longitude_latitude_points(
    coordinator: User, org_a: Organisation, org_b: Organisation
) -> None:
    Organisation.objects.create(name="Bez koordinātām", registration_number="40008000009")
    export = export_organisations(coordinator, DirectoryFilters(), "geojson")
    assert export.content_type == "application/geo+json"
    assert export.filename.endswith(".geojson")
    features = {f["properties"]["name"]: f for f in collection(coordinator)["features"]}
    assert set(features) == {"Ogres Samariešu biedrība", "Liepājas Jauniešu centrs"}
    ogre = features["Ogres Samariešu biedrība"]
    assert ogre["id"] == org_a.pk
    assert ogre["geometry"]["coordinates"] == [24.614, 56.8162]
    assert ogre["properties"]["exact"] is True
    assert ogre["properties"]["registration_number"] == "40008000001"
    assert ogre["properties"]["capabilities"] == {"first_aid": 12.0}


def test_it_follows_the_filters(
    coordinator: User, org_a: Organisation, org_b: Organisation
) -> None:
    features = collection(coordinator, municipality="LV-LPX")["features"]
    assert [f["properties"]["name"] for f in features] == ["Liepājas Jauniešu centrs"]


def test_the_public_sees_public_organisations_at_their_municipality_without_details(
    org_a: Organisation, org_b: Organisation
) -> None:
    Organisation.objects.filter(pk=org_a.pk).update(
        latitude=Decimal("56.90001"), longitude=Decimal("24.70001")
    )
    text = export_text(AnonymousUser(), "geojson")
    [feature] = collection(AnonymousUser())["features"]
    ogre = Municipality.objects.get(code="LV-067")
    assert feature["geometry"]["coordinates"] == [float(ogre.longitude), float(ogre.latitude)]
    assert feature["properties"]["exact"] is False
    assert "registration_number" not in feature["properties"]
    assert "Liepāj" not in text and "info@ogre" not in text and "24.70001" not in text


def test_an_empty_result_is_a_valid_empty_collection(coordinator: User) -> None:
    assert collection(coordinator, q="nekā tāda nav") == {
        "type": "FeatureCollection",
        "features": [],
    }
