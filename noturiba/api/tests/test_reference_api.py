"""``GET /api/v1/capabilities`` and ``GET /api/v1/target-groups``: the public catalogues."""

from __future__ import annotations

from noturiba.api.tests.conftest import ApiClient

ALL = {"page_size": "200"}


def test_it_lists_the_capability_catalogue_with_units(
    api_anonymous: ApiClient, reference: None
) -> None:
    response = api_anonymous.get("/capabilities", ALL)

    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    assert {"transport", "premises", "first_aid", "power_generators", "volunteers"} <= set(items)
    assert items["transport"]["unit"] == "seats"
    assert items["premises"]["unit"] == "m2"
    assert items["transport"]["name_en"] == "Transport (seats)"
    assert items["transport"]["hxl_sector"] == "logistics"


def test_it_labels_units_in_the_interface_language(
    api_anonymous: ApiClient, reference: None
) -> None:
    api_anonymous.client.cookies["noturiba_language"] = "en"

    items = {item["code"]: item for item in api_anonymous.get("/capabilities", ALL).json()["items"]}

    assert items["premises"]["unit_label"] == "m²"


def test_it_lists_target_groups_with_their_parents(
    api_anonymous: ApiClient, reference: None
) -> None:
    response = api_anonymous.get("/target-groups", ALL)

    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    assert items["disability"]["parent"] is None
    assert items["disability_mobility"]["parent"] == "disability"
    assert "seniors" in items
