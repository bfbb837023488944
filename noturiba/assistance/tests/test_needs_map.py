"""The map of needs and responding organisations: its page (tables as the text alternative)
and its GeoJSON, filtered, with each role seeing only what it may."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.assistance.tests.follow_data import (
    LIEPAJA_TITLE,
    Situation,
    make_request,
    make_situation,
)
from noturiba.conftest import client_for
from noturiba.network.models import Organisation

PAGE = reverse("assistance:map")
GEOJSON = reverse("assistance:map_geojson")


@pytest.fixture
def situation(org_a: Organisation, org_b: Organisation) -> Situation:
    return make_situation(org_a, org_b)


def _features(client: Client, query: dict[str, str] | None = None) -> list[dict[str, Any]]:
    response = client.get(GEOJSON, query or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    features: list[dict[str, Any]] = collection["features"]
    return features


def _by_kind(features: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {f["properties"]["name"]: f for f in features if f["properties"]["kind"] == kind}


def test_open_requests_are_points_in_longitude_latitude_order(
    client_coordinator: Client, situation: Situation
) -> None:
    requests = _by_kind(_features(client_coordinator), "request")

    assert set(requests) == {
        situation.ogre_water.title,
        situation.ogre_warm_room.title,
        situation.ogre_first_aid.title,
        LIEPAJA_TITLE,
    }
    water = requests[situation.ogre_water.title]
    assert water["geometry"] == {"type": "Point", "coordinates": [24.6, 56.82]}
    assert water["properties"]["exact"] is True
    assert water["properties"]["lines"][0] == {
        "capability": "transport",
        "unit": "seats",
        "quantity": 10.0,
        "claimed": 7.0,
        "remaining": 3.0,
    }


def test_a_request_without_coordinates_is_at_its_municipality_centre_marked_approximate(
    client_coordinator: Client, situation: Situation
) -> None:
    warm_room = _by_kind(_features(client_coordinator), "request")[situation.ogre_warm_room.title]

    assert warm_room["geometry"]["coordinates"] == [24.614, 56.8162]  # Ogre's centre
    assert warm_room["properties"]["exact"] is False


def test_coverage_is_said_in_words(
    client_coordinator: Client, situation: Situation, english: None
) -> None:
    water = _by_kind(_features(client_coordinator), "request")[situation.ogre_water.title]

    assert water["properties"]["coverage"] == [
        "Transport (seats): 7 of 10 seats, 3 missing",
        "Drinking water: 200 of 500 litres, 300 missing",
    ]


def test_responders_are_shown_with_what_they_do(
    client_coordinator: Client, situation: Situation, org_a: Organisation, english: None
) -> None:
    features = _features(client_coordinator)
    responders = {
        f["properties"]["id"]: f for f in features if f["properties"]["kind"] == "organisation"
    }

    assert set(responders) == {org_a.pk, situation.liepaja.lines.get().claims.get().organisation_id}
    a = responders[org_a.pk]
    assert a["geometry"]["coordinates"] == [24.614, 56.8162]
    assert {(x["capability"], x["quantity"]) for x in a["properties"]["activities"]} == {
        ("Transport (seats)", 7.0),
        ("Premises", 50.0),
    }


def test_the_page_lists_the_same_data_in_tables(
    client_coordinator: Client, situation: Situation, org_b: Organisation, english: None
) -> None:
    response = client_coordinator.get(PAGE)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-map="collection"' in body
    assert 'data-zoom-in-label="Zoom in"' in body
    assert "7 of 10 seats, 3 missing" in body
    assert "approximate: municipality centre" in body  # the warm room
    assert "Responding organisations" in body
    assert org_b.name in body
    assert "overdue" in body


def test_an_officer_sees_only_their_jurisdiction(
    client_officer: Client, situation: Situation, org_b: Organisation
) -> None:
    features = _features(client_officer)
    body = client_officer.get(PAGE).content.decode()

    titles = set(_by_kind(features, "request"))
    assert LIEPAJA_TITLE not in titles
    assert situation.ogre_water.title in titles
    b = [
        f
        for f in features
        if f["properties"]["id"] == org_b.pk and f["properties"]["kind"] == "organisation"
    ]
    assert [x["unit"] for x in b[0]["properties"]["activities"]] == ["litres"]
    assert LIEPAJA_TITLE not in str(features)
    assert LIEPAJA_TITLE not in body


def test_organisation_people_see_the_open_requests_they_may_but_no_responders(
    client_member_a: Client, situation: Situation, org_b: Organisation
) -> None:
    hidden = make_request(
        title="Tikai uzaicinātajiem",
        municipality="LV-067",
        lines=[("food", 5)],
        offered_to_network=False,
    )

    features = _features(client_member_a)
    body = client_member_a.get(PAGE).content.decode()

    assert {f["properties"]["kind"] for f in features} == {"request"}
    titles = set(_by_kind(features, "request"))
    assert situation.ogre_water.title in titles
    assert hidden.title not in titles
    assert situation.ogre_old.title not in titles
    assert hidden.title not in body
    assert org_b.name not in body


def test_filters_narrow_the_map(client_coordinator: Client, situation: Situation) -> None:
    assert set(_by_kind(_features(client_coordinator, {"municipality": "LV-LPX"}), "request")) == {
        LIEPAJA_TITLE
    }
    assert set(_by_kind(_features(client_coordinator, {"capability": "premises"}), "request")) == {
        situation.ogre_warm_room.title
    }
    assert set(_by_kind(_features(client_coordinator, {"urgency": "Future"}), "request")) == {
        situation.ogre_first_aid.title
    }


def test_a_bad_filter_is_ignored_with_a_message_not_an_error(
    client_coordinator: Client, situation: Situation
) -> None:
    response = client_coordinator.get(PAGE, {"municipality": "LV-XXX", "urgency": "Soon"})

    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert response.context["page"].paginator.count == 4
    assert client_coordinator.get(GEOJSON, {"capability": "<script>"}).status_code == 200


@pytest.mark.parametrize("url", [PAGE, GEOJSON])
def test_people_outside_the_response_get_403(trainer: User, situation: Situation, url: str) -> None:
    response = client_for(trainer).get(url)

    assert response.status_code == 403
    assert situation.ogre_water.title not in response.content.decode()


@pytest.mark.parametrize("url", [PAGE, GEOJSON])
def test_the_anonymous_are_sent_to_sign_in(client: Client, situation: Situation, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302


def test_the_page_runs_a_fixed_number_of_queries(
    client_coordinator: Client, situation: Situation, django_assert_max_num_queries: Any
) -> None:
    for number in range(40):
        make_request(
            title=f"Papildu {number}",
            municipality="LV-RIX",
            lines=[("transport", 5), ("food", 10)],
        )
    client_coordinator.get(PAGE)

    with django_assert_max_num_queries(16):
        response = client_coordinator.get(PAGE)

    assert response.context["page"].paginator.count == 44
    with django_assert_max_num_queries(12):
        assert client_coordinator.get(GEOJSON).status_code == 200


def test_only_an_uncovered_request_past_its_deadline_is_overdue(
    client_coordinator: Client, situation: Situation
) -> None:
    requests = _by_kind(_features(client_coordinator), "request")

    assert requests[situation.ogre_first_aid.title]["properties"]["overdue"] is True
    assert requests[situation.ogre_warm_room.title]["properties"]["overdue"] is False  # covered
    assert requests[situation.ogre_water.title]["properties"]["overdue"] is False
