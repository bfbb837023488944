"""``GET /api/v1/requests/{id}/lines/{line_id}/matches``: the ranking with structured reasons,
under the page's rules (404 when the request is not visible, 403 when visible but not managed)."""

from __future__ import annotations

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.assistance.models import RequestLine
from noturiba.assistance.tests.matching_support import (
    OGRE,
    RIGA,
    make_line,
    make_organisation,
    make_request,
)
from noturiba.conftest import client_for

pytestmark = pytest.mark.django_db


def url(line: RequestLine) -> str:
    return f"/api/v1/requests/{line.request_id}/lines/{line.pk}/matches"


@pytest.fixture
def line(officer: User) -> RequestLine:
    return make_line(make_request(created_by=officer), quantity=10, claimed=4)


def test_it_returns_the_ranking_with_structured_reasons(
    line: RequestLine, client_officer: Client, english: None
) -> None:
    near = make_organisation("Ogre", at=OGRE, startup_hours=0)
    far = make_organisation("Rīga", at=RIGA)

    response = client_officer.get(url(line))

    assert response.status_code == 200
    body = response.json()
    assert (body["capability"], body["quantity"], body["remaining"], body["total"]) == (
        "transport",
        "10.00",
        "6.00",
        2,
    )
    first, second = body["matches"]
    assert (first["rank"], first["organisation_id"]) == (1, near.pk)
    assert (second["organisation_id"], second["distance_km"]) == (far.pk, 34.3)
    assert [reason["code"] for reason in first["reasons"]] == [
        "capacity",
        "distance",
        "startup",
        "training",
        "availability",
        "load",
    ]
    startup = first["reasons"][2]
    assert startup == {
        "code": "startup",
        "value": 0.0,
        "points": 15.0,
        "text": "Can start at once",
    }
    assert first["reasons"][3]["value"] is None
    assert first["score"] == pytest.approx(sum(r["points"] for r in first["reasons"]), abs=0.05)


def test_a_claimed_out_line_has_no_matches(officer: User, client_officer: Client) -> None:
    line = make_line(make_request(created_by=officer), quantity=3, claimed=3)
    make_organisation("Ogre", at=OGRE)

    body = client_officer.get(url(line)).json()

    assert body["matches"] == [] and body["total"] == 0


def test_an_organisation_admin_who_sees_the_request_is_forbidden(
    line: RequestLine, client_admin_a: Client
) -> None:
    make_organisation("Ogre", at=OGRE)

    response = client_admin_a.get(url(line))

    assert response.status_code == 403
    assert response.json()["error"]["code"]
    assert "Ogre" not in response.content.decode()


def test_an_invisible_request_is_not_found(officer: User, admin_a: User) -> None:
    line = make_line(make_request(created_by=officer, offered_to_network=False))

    response = client_for(admin_a).get(url(line))

    assert response.status_code == 404


def test_a_line_of_another_request_is_not_found(
    line: RequestLine, officer: User, client_officer: Client
) -> None:
    other = make_request(created_by=officer, title="Cits")

    response = client_officer.get(f"/api/v1/requests/{other.pk}/lines/{line.pk}/matches")

    assert response.status_code == 404


def test_without_credentials_it_is_unauthorised(line: RequestLine) -> None:
    assert Client().get(url(line)).status_code == 401


@pytest.mark.parametrize("path", ["0/lines/1", "1/lines/99999999999999999999", "x/lines/1"])
def test_hostile_ids_are_not_errors(client_officer: Client, path: str) -> None:
    response = client_officer.get(f"/api/v1/requests/{path}/matches")
    assert response.status_code in (404, 422)
