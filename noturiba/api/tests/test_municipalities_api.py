"""``GET /api/v1/municipalities``: Latvia's local governments, current or with history."""

from __future__ import annotations

from noturiba.api.tests.conftest import ApiClient, error_of

ALL = {"page_size": "200"}


def codes(response: object) -> list[str]:
    return [item["code"] for item in response.json()["items"]]  # type: ignore[attr-defined]


def test_it_lists_the_42_current_municipalities(api_anonymous: ApiClient, reference: None) -> None:
    response = api_anonymous.get("/municipalities", ALL)

    assert response.status_code == 200
    assert response.json()["count"] == 42
    assert "LV-102" not in codes(response)
    assert {"LV-RIX", "LV-067", "LV-059"} <= set(codes(response))


def test_it_adds_the_merged_ones_when_asked(api_anonymous: ApiClient, reference: None) -> None:
    response = api_anonymous.get("/municipalities", {**ALL, "include_historical": "1"})

    assert response.json()["count"] == 43
    varaklani = next(item for item in response.json()["items"] if item["code"] == "LV-102")
    assert varaklani["valid_to"] == "2025-06-30"
    assert varaklani["successor"] == "LV-059"


def test_it_gives_each_municipality_its_keys_names_kind_centre_and_validity(
    api_anonymous: ApiClient, reference: None
) -> None:
    response = api_anonymous.get("/municipalities", ALL)

    ogre = next(item for item in response.json()["items"] if item["code"] == "LV-067")
    assert set(ogre) == {
        "code",
        "atvk_code",
        "name_lv",
        "name_en",
        "kind",
        "latitude",
        "longitude",
        "valid_from",
        "valid_to",
        "successor",
    }
    assert ogre["name_lv"] == "Ogres novads"
    assert ogre["kind"] == "novads"
    assert isinstance(ogre["latitude"], float)
    assert ogre["valid_to"] is None
    assert ogre["successor"] is None


def test_it_marks_state_cities(api_anonymous: ApiClient, reference: None) -> None:
    response = api_anonymous.get("/municipalities", ALL)

    riga = next(item for item in response.json()["items"] if item["code"] == "LV-RIX")
    assert riga["kind"] == "state_city"


def test_it_pages_with_links(api_anonymous: ApiClient, reference: None) -> None:
    first = api_anonymous.get("/municipalities", {"page_size": "20"}).json()
    last = api_anonymous.get("/municipalities", {"page_size": "20", "page": "3"}).json()

    assert first["count"] == 42
    assert len(first["items"]) == 20
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/municipalities?page_size=20&page=2")
    assert len(last["items"]) == 2
    assert last["next"] is None
    assert last["previous"].endswith("page=2")


def test_it_answers_a_page_past_the_end_with_an_empty_page(
    api_anonymous: ApiClient, reference: None
) -> None:
    body = api_anonymous.get("/municipalities", {"page_size": "20", "page": "50"}).json()

    assert body["items"] == []
    assert body["count"] == 42
    assert body["next"] is None
    assert body["previous"].endswith("page=3")


def test_it_refuses_a_meaningless_include_historical(
    api_anonymous: ApiClient, reference: None
) -> None:
    response = api_anonymous.get("/municipalities", {"include_historical": "perhaps"})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["include_historical"]
