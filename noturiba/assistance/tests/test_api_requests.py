"""The requests API: ``POST /api/v1/requests``, ``GET /api/v1/requests`` and ``/{id}``."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest
from noturiba.assistance.tests.requests_data import make_request
from noturiba.network.models import Institution

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests"


def body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Interpreters for the reception centre",
        "description": "Ukrainian and Russian.",
        "municipality": "LV-067",
        "latitude": "56.81620",
        "longitude": "24.61400",
        "urgency": "Expected",
        "deadline": "2030-03-01T12:00:00",
        "contact_name": "Jānis Liepa",
        "contact_phone": "+37120000000",
        "contact_email": "janis@ogre.example",
        "lines": [
            {"capability": "translation", "quantity": 16, "notes": "Ukrainian"},
            {"capability": "transport", "quantity": "4.5", "unit": "seats"},
        ],
        **extra,
    }


def post(client: Client, data: dict[str, Any]) -> Any:
    return client.post(URL, data, content_type="application/json")


def test_an_officer_posts_a_request(
    client_officer: Client, officer: User, ogre_commission: Institution
) -> None:
    response = post(client_officer, body())
    assert response.status_code == 201, response.content
    data = response.json()
    posted = AssistanceRequest.objects.get()
    assert data["id"] == posted.pk
    assert data["municipality"] == "LV-067"
    assert data["institution"] == {"id": ogre_commission.pk, "name": ogre_commission.name}
    assert data["deadline"] == "2030-03-01T12:00:00+02:00"  # Riga time without an offset
    assert data["coverage"] == "uncovered" and data["state"] == "open"
    assert [line["capability"]["code"] for line in data["lines"]] == ["translation", "transport"]
    first = data["lines"][0]
    assert first["unit"] == "hours"
    assert Decimal(first["quantity"]) == Decimal(16) == Decimal(first["remaining"])
    assert data["url"].endswith(f"/requests/{posted.pk}/")
    assert posted.created_by == officer


def test_an_officer_gets_403_outside_their_jurisdiction(client_officer: Client) -> None:
    response = post(client_officer, body(municipality="LV-RIX"))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not AssistanceRequest.objects.exists()


def test_organisation_admins_get_403(client_admin_a: Client) -> None:
    assert post(client_admin_a, body()).status_code == 403


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"municipality": "LV-999"}, "municipality"),
        ({"municipality": "Ogre"}, "municipality"),
        ({"lines": []}, "lines"),
        ({"lines": [{"capability": "unicorns", "quantity": 1}]}, "lines.0.capability"),
        ({"lines": [{"capability": "transport", "quantity": 0}]}, "lines.0.quantity"),
        ({"latitude": "52.5", "longitude": "13.4"}, "latitude"),
        ({"latitude": None}, "latitude"),
        ({"contact_phone": "12"}, "contact_phone"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"urgency": "Past"}, "urgency"),
        ({"starts_at": "2030-03-02T10:00", "ends_at": "2030-03-01T10:00"}, "ends_at"),
        ({"alert_id": 999999}, "alert_id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_bodies_get_422_with_the_field(
    client_coordinator: Client, extra: dict[str, Any], field: str
) -> None:
    response = post(client_coordinator, body(**extra))
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert not AssistanceRequest.objects.exists()


def test_a_body_that_is_not_json_gets_400(client_coordinator: Client) -> None:
    response = client_coordinator.post(URL, "{", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_the_list_filters_by_status_state_and_municipality(
    client_coordinator: Client, reference: None
) -> None:
    later = timezone.now() + datetime.timedelta(hours=3)
    make_request(title="Open", deadline=later)
    make_request(title="Partly", lines=[("transport", 10, 4)], deadline=later)
    make_request(title="Riga", municipality="LV-RIX", deadline=later)
    make_request(title="Closed", state=AssistanceRequest.State.CLOSED)

    def titles(**query: str) -> list[str]:
        response = client_coordinator.get(URL, query)
        assert response.status_code == 200, response.content
        return sorted(item["title"] for item in response.json()["items"])

    assert titles() == ["Closed", "Open", "Partly", "Riga"]
    assert titles(status="partly") == ["Partly"]
    assert titles(state="closed") == ["Closed"]
    assert titles(municipality="LV-RIX") == ["Riga"]
    assert titles(status="open", municipality="lv-067") == ["Open"]
    response = client_coordinator.get(URL, {"status": "bogus"})
    assert response.status_code == 422
    response = client_coordinator.get(URL, {"municipality": "LV-999"})
    assert response.status_code == 422


def test_the_list_is_paginated(client_coordinator: Client, reference: None) -> None:
    for index in range(3):
        make_request(title=f"Request {index}")
    response = client_coordinator.get(URL, {"page_size": 2})
    data = response.json()
    assert data["count"] == 3 and len(data["items"]) == 2 and data["next"]


def test_the_list_runs_a_fixed_number_of_queries(
    client_coordinator: Client, reference: None, django_assert_max_num_queries: Any
) -> None:
    for index in range(20):
        make_request(title=f"Request {index}", lines=[("transport", 5, 1), ("food", 3, 0)])
    client_coordinator.get(URL)
    with django_assert_max_num_queries(6):
        response = client_coordinator.get(URL)
    assert len(response.json()["items"]) == 20


def test_one_request_shows_remaining_quantities(client_admin_a: Client, reference: None) -> None:
    need = make_request(lines=[("transport", 10, 7)])
    response = client_admin_a.get(f"{URL}/{need.pk}")
    assert response.status_code == 200
    line = response.json()["lines"][0]
    assert Decimal(line["remaining"]) == 3 and Decimal(line["claimed"]) == 7
    assert response.json()["coverage"] == "partly"


def test_an_unparseable_id_is_a_404(client_coordinator: Client) -> None:
    assert client_coordinator.get(f"{URL}/0").status_code == 404
    assert client_coordinator.get(f"{URL}/99999999999999999999999").status_code == 404
