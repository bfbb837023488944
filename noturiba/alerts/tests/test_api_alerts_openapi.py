"""The alerts' endpoints in ``/api/openapi.json``: listed, with their errors and formats."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

ALERT_PATHS = {
    "/api/v1/alerts": {"get", "post"},
    "/api/v1/alerts/{alert_id}": {"get"},
    "/api/v1/alerts/{alert_id}/cap": {"get"},
    "/api/v1/alerts/{alert_id}/send": {"post"},
    "/api/v1/alerts/{alert_id}/approve": {"post"},
    "/api/v1/alerts/{alert_id}/cancel": {"post"},
    "/api/v1/alerts/{alert_id}/deliveries": {"get"},
}
ERROR = {"$ref": "#/components/schemas/ErrorOut"}


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_it_lists_every_alert_endpoint_with_its_methods(document: dict[str, Any]) -> None:
    for path, methods in ALERT_PATHS.items():
        assert set(document["paths"][path]) & {"get", "post"} == methods, path


def test_every_alert_operation_needs_credentials_and_documents_its_errors(
    document: dict[str, Any],
) -> None:
    for path, methods in ALERT_PATHS.items():
        for method in methods:
            operation = document["paths"][path][method]
            assert operation["summary"] and operation["tags"] == ["alerts"]
            assert {} not in operation["security"], (path, method)
            for status in ("401", "422"):
                content = operation["responses"][status]["content"]
                assert content["application/json"]["schema"] == ERROR, (path, method, status)


def test_it_says_which_state_changes_conflict_and_what_they_answer(
    document: dict[str, Any],
) -> None:
    paths = document["paths"]
    assert {"202", "403", "404", "409"} <= set(
        paths["/api/v1/alerts/{alert_id}/send"]["post"]["responses"]
    )
    assert "201" in paths["/api/v1/alerts"]["post"]["responses"]
    assert "409" in paths["/api/v1/alerts/{alert_id}/cancel"]["post"]["responses"]


def test_it_describes_the_cap_document_and_the_create_body(document: dict[str, Any]) -> None:
    cap = document["paths"]["/api/v1/alerts/{alert_id}/cap"]["get"]["responses"]["200"]
    assert set(cap["content"]) == {"application/cap+xml"}
    body = document["components"]["schemas"]["AlertIn"]
    assert body["additionalProperties"] is False
    assert set(body["required"]) == {"event", "headline"}
    assert body["properties"]["status"]["enum"] == ["Actual", "Exercise", "Test", "Draft"]
    deliveries = document["paths"]["/api/v1/alerts/{alert_id}/deliveries"]["get"]
    assert {item["name"] for item in deliveries["parameters"]} >= {
        "alert_id",
        "state",
        "channel",
        "page",
        "page_size",
    }
