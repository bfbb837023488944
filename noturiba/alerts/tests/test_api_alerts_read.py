"""``GET /api/v1/alerts``, ``/alerts/{id}`` and ``/alerts/{id}/cap``: what each caller may see."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import etree
from pytest_django import DjangoAssertNumQueries

from noturiba.accounts.models import User
from noturiba.alerts.actions import send_alert
from noturiba.alerts.models import Acknowledgement, Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.alerts.tests.api_alerts_support import (
    ApiClient,
    api_for,
    draft,
    liepaja_officer,
    ogre_draft,
)
from noturiba.api.tests.conftest import error_of
from noturiba.lib import cap
from noturiba.lib.cap.schema import SCHEMA_PATH
from noturiba.network.models import Person

pytestmark = pytest.mark.django_db

SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


@pytest.fixture
def alerts(coordinator: User, officer: User, admin_a: User, member_a: User) -> dict[str, Alert]:
    """An Ogre alert by the coordinator (sent), a Liepāja one, and the Ogre officer's own."""
    ogre = ogre_draft(coordinator, headline="Ogre")
    send_alert(coordinator, alert=ogre)
    return {
        "ogre": ogre,
        "liepaja": draft(coordinator, "LV-LPX", headline="Liepāja"),
        "own": ogre_draft(officer, headline="Officer's own"),
    }


def headlines(response: object) -> list[str]:
    return sorted(item["headline"] for item in response.json()["items"])  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("coordinator", ["Liepāja", "Officer's own", "Ogre"]),
        ("officer", ["Officer's own", "Ogre"]),
        ("admin_a", []),
        ("member_a", []),
        ("admin_b", []),
        ("trainer", []),
    ],
)
def test_it_lists_the_alerts_the_caller_may_follow(
    request: pytest.FixtureRequest, alerts: dict[str, Alert], who: str, expected: list[str]
) -> None:
    response = api_for(request.getfixturevalue(who)).get("/alerts")

    assert response.status_code == 200
    assert headlines(response) == expected
    assert response.json()["count"] == len(expected)


def test_an_officer_of_another_municipality_sees_only_theirs(alerts: dict[str, Alert]) -> None:
    response = api_for(liepaja_officer()).get("/alerts")

    assert headlines(response) == ["Liepāja"]


def test_it_filters_the_list_by_state(coordinator: User, alerts: dict[str, Alert]) -> None:
    response = api_for(coordinator).get("/alerts", {"state": "sending"})

    assert headlines(response) == ["Ogre"]


def test_the_list_is_paginated_newest_first(coordinator: User, alerts: dict[str, Alert]) -> None:
    api = api_for(coordinator)

    first = api.get("/alerts", {"page_size": "2"}).json()
    second = api.get("/alerts", {"page": "2", "page_size": "2"}).json()

    assert [item["headline"] for item in first["items"]] == ["Officer's own", "Liepāja"]
    assert [item["headline"] for item in second["items"]] == ["Ogre"]
    assert first["count"] == 3 and first["next"] and second["previous"]


def test_the_list_works_with_the_pages_session(
    client_officer: Client, alerts: dict[str, Alert]
) -> None:
    response = client_officer.get("/api/v1/alerts")

    assert response.status_code == 200
    assert headlines(response) == ["Officer's own", "Ogre"]


def test_the_list_loads_a_page_in_a_fixed_number_of_queries(
    coordinator: User, officer: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    api = api_for(coordinator)
    for number in range(3):
        ogre_draft(coordinator, headline=f"Plūdi {number}")
    api.get("/alerts")  # the token's first use is recorded once
    with django_assert_max_num_queries(9) as few:
        api.get("/alerts")
    for number in range(20):
        draft(coordinator, "LV-LPX" if number % 2 else "LV-067", headline=f"Vētra {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get("/alerts")
    assert response.json()["count"] == 23


def test_it_shows_one_alert_with_its_progress(
    coordinator: User, alerts: dict[str, Alert], member_a: User
) -> None:
    alert = alerts["ogre"]
    Delivery.objects.filter(alert=alert, person__user=member_a).update(state="sent")
    Acknowledgement.objects.create(
        alert=alert, person=Person.objects.get(user=member_a), answer=Answer.SAFE, via="link"
    )

    response = api_for(coordinator).get(f"/alerts/{alert.pk}")

    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "sending" and body["municipalities"] == ["LV-067"]
    assert body["progress"] == {
        "deliveries": 2,
        "by_state": {"queued": 1, "sent": 1},
        "by_channel": {"email": {"queued": 1, "sent": 1}},
        "by_answer": {"safe": 1},
        "acknowledged": 1,
    }


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "trainer"])
@pytest.mark.parametrize("path", ["", "/cap", "/deliveries"])
def test_an_alert_is_a_404_to_those_who_may_not_follow_it(
    request: pytest.FixtureRequest, alerts: dict[str, Alert], who: str, path: str
) -> None:
    alert = alerts["ogre"]

    response = api_for(request.getfixturevalue(who)).get(f"/alerts/{alert.pk}{path}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    assert alert.identifier.encode() not in response.content
    assert b"Ogre" not in response.content


@pytest.mark.parametrize("path", ["", "/cap", "/deliveries"])
def test_an_officer_may_not_follow_an_alert_outside_the_jurisdiction(
    officer: User, alerts: dict[str, Alert], path: str
) -> None:
    response = api_for(officer).get(f"/alerts/{alerts['liepaja'].pk}{path}")

    assert response.status_code == 404


@pytest.mark.parametrize("path", ["", "/cap", "/deliveries"])
def test_anonymous_callers_and_bad_tokens_are_401(alerts: dict[str, Alert], path: str) -> None:
    for api in (ApiClient(), ApiClient(token="ntr_forged")):
        response = api.get(f"/alerts/{alerts['ogre'].pk}{path}")
        assert response.status_code == 401
        assert error_of(response)["code"] == "unauthenticated"


@pytest.mark.parametrize("alert_id", ["999999", "0", "-1", "abc", str(2**63)])
def test_an_unknown_or_malformed_id_is_a_404(coordinator: User, alert_id: str) -> None:
    response = api_for(coordinator).get(f"/alerts/{alert_id}")

    assert response.status_code == 404
    error_of(response)


@pytest.mark.parametrize("query", [{"state": "lost"}, {"page": "0"}, {"page_size": "10000"}])
def test_a_bad_list_query_is_a_422(coordinator: User, query: dict[str, str]) -> None:
    response = api_for(coordinator).get("/alerts", query)

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


# --- CAP ----------------------------------------------------------------------------------------


def test_it_gives_the_alert_as_cap_valid_against_the_xsd(
    coordinator: User, alerts: dict[str, Alert]
) -> None:
    alert = alerts["ogre"]

    response = api_for(coordinator).get(f"/alerts/{alert.pk}/cap")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml"
    document = etree.fromstring(response.content)
    SCHEMA.assertValid(document)
    parsed = cap.parse(response.content)
    assert parsed.identifier == alert.identifier
    assert parsed.status == cap.Status.EXERCISE
    assert parsed.infos[0].areas[0].area_desc == "Ogres novads"


def test_a_draft_says_cap_status_draft(officer: User, alerts: dict[str, Alert]) -> None:
    response = api_for(officer).get(f"/alerts/{alerts['own'].pk}/cap")

    assert response.status_code == 200
    SCHEMA.assertValid(etree.fromstring(response.content))
    assert cap.parse(response.content).status == cap.Status.DRAFT


def test_cap_with_a_polygon_a_circle_and_english_is_valid(coordinator: User) -> None:
    api = api_for(coordinator)
    created = api.post(
        "/alerts",
        {
            "event": "Vētra",
            "headline": "Vētra",
            "headline_en": "Storm",
            "description_en": "Gusts <30 m/s> & rain",
            "municipalities": ["LV-067"],
            "area_polygon": "56.80,24.50 56.90,24.50 56.90,24.70 56.80,24.50",
            "area_circle": "56.8162,24.614 5",
            "effective": "2026-12-01T10:00:00+02:00",
            "expires": "2026-12-02T10:00:00+02:00",
        },
    ).json()

    response = api.get(f"/alerts/{created['id']}/cap")

    SCHEMA.assertValid(etree.fromstring(response.content))
    parsed = cap.parse(response.content)
    assert [info.language for info in parsed.infos] == ["lv-LV", "en-US"]
    assert parsed.infos[1].description == "Gusts <30 m/s> & rain"
    assert parsed.infos[0].areas[0].polygons and parsed.infos[0].areas[0].circles


@pytest.mark.parametrize("path", ["", "/cap", "/deliveries"])
def test_one_alert_works_with_the_pages_session(
    client_officer: Client, alerts: dict[str, Alert], path: str
) -> None:
    response = client_officer.get(f"/api/v1/alerts/{alerts['ogre'].pk}{path}")

    assert response.status_code == 200


def test_a_signed_out_session_is_a_401(client_officer: Client, alerts: dict[str, Alert]) -> None:
    client_officer.logout()

    response = client_officer.get(f"/api/v1/alerts/{alerts['ogre'].pk}")

    assert response.status_code == 401


def test_an_audience_naming_a_row_deleted_since_still_shows(
    coordinator: User, alerts: dict[str, Alert]
) -> None:
    alert = alerts["liepaja"]
    Alert.objects.filter(pk=alert.pk).update(
        audience={"target_groups": [999999], "capabilities": [999998], "roles": ["admin"]}
    )

    response = api_for(coordinator).get(f"/alerts/{alert.pk}")

    assert response.status_code == 200
    audience = response.json()["audience"]
    assert audience["target_groups"] == [] and audience["capabilities"] == []
    assert audience["roles"] == ["admin"]
