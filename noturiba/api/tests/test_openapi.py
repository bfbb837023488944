"""``/api/openapi.json``: the OpenAPI 3 document describes every endpoint, and holds together."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

EXPECTED = {
    "/api/v1/municipalities": {"get"},
    "/api/v1/capabilities": {"get"},
    "/api/v1/target-groups": {"get"},
    "/api/v1/organisations": {"get", "post"},
    "/api/v1/organisations/export": {"get"},
    "/api/v1/organisations/{organisation_id}": {"get", "patch"},
    "/api/v1/organisations/{organisation_id}/capabilities": {"get"},
    "/api/v1/organisations/{organisation_id}/capabilities/{code}": {"get", "put", "delete"},
    "/api/v1/organisations/{organisation_id}/people": {"post"},
    "/api/v1/people": {"get"},
    "/api/v1/people/{person_id}": {"get", "patch"},
    "/api/v1/institutions": {"get", "post"},
    "/api/v1/institutions/{institution_id}": {"get", "patch"},
    "/api/v1/agreements": {"get", "post"},
    "/api/v1/agreements/{agreement_id}": {"get"},
    "/api/v1/alerts": {"get", "post"},
    "/api/v1/alerts/{alert_id}": {"get"},
    "/api/v1/alerts/{alert_id}/cap": {"get"},
    "/api/v1/alerts/{alert_id}/send": {"post"},
    "/api/v1/alerts/{alert_id}/approve": {"post"},
    "/api/v1/alerts/{alert_id}/cancel": {"post"},
    "/api/v1/alerts/{alert_id}/deliveries": {"get"},
    "/api/v1/cap/import": {"post"},
    "/api/v1/cap/alerts": {"get"},
    "/api/v1/cap/alerts/{alert_id}": {"get"},
    "/api/v1/training/modules": {"get"},
    "/api/v1/training/sessions": {"get"},
    "/api/v1/training/sessions/{session_id}": {"get"},
    "/api/v1/training/sessions/{session_id}/enrolments": {"post"},
    "/api/v1/training/enrolments/{enrolment_id}": {"delete"},
    "/api/v1/people/{person_id}/learning-record": {"get"},
    "/api/v1/requests": {"get", "post"},
    "/api/v1/requests/{request_id}": {"get"},
    "/api/v1/requests/{request_id}/lines/{line_id}/matches": {"get"},
    "/api/v1/requests/{request_id}/lines/{line_id}/claims": {"get", "post"},
    "/api/v1/claims/{claim_id}/updates": {"post"},
    "/api/v1/shelters": {"get"},
    "/api/v1/shelters/{shelter_id}": {"get"},
    "/api/v1/shelters/{shelter_id}/occupancy": {"post"},
}
PUBLIC = {
    ("/api/v1/municipalities", "get"),
    ("/api/v1/capabilities", "get"),
    ("/api/v1/target-groups", "get"),
    ("/api/v1/organisations", "get"),
    ("/api/v1/organisations/{organisation_id}", "get"),
    ("/api/v1/shelters", "get"),
    ("/api/v1/shelters/{shelter_id}", "get"),
}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def test_it_is_an_openapi_3_document(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "Noturība API"
    assert document["info"]["version"] == "1"
    assert set(document) >= {"openapi", "info", "paths", "components"}


def test_it_lists_every_endpoint_with_its_methods(document: dict[str, Any]) -> None:
    found = {
        path: {method for method in item if method in METHODS}
        for path, item in document["paths"].items()
    }

    assert found == EXPECTED


def test_every_reference_resolves(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for reference in references(document):
        prefix, _, name = reference.rpartition("/")
        assert prefix == "#/components/schemas"
        assert name in schemas, reference


def test_every_operation_has_a_unique_id_a_summary_and_documents_its_errors(
    document: dict[str, Any],
) -> None:
    ids = [operation["operationId"] for _path, _method, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(document):
        assert operation["summary"], (path, method)
        responses = operation["responses"]
        assert "422" in responses, (path, method)
        assert responses["422"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }
        if (path, method) not in PUBLIC:
            assert "401" in responses, (path, method)


def test_it_describes_token_and_session_authentication(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]

    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"


def test_it_marks_credentials_optional_only_on_public_endpoints(
    document: dict[str, Any],
) -> None:
    for path, method, operation in operations(document):
        optional = {} in operation["security"]
        assert optional == ((path, method) in PUBLIC), (path, method)


def test_it_describes_the_fields_of_the_schemas(document: dict[str, Any]) -> None:
    organisation = document["components"]["schemas"]["OrganisationIn"]

    assert organisation["required"] == ["name"]
    assert organisation["additionalProperties"] is False
    assert organisation["properties"]["phone"]["description"]
    assert organisation["properties"]["legal_form"]["enum"][0] == "association"


def test_it_describes_the_export_formats(document: dict[str, Any]) -> None:
    export = document["paths"]["/api/v1/organisations/export"]["get"]

    assert set(export["responses"]["200"]["content"]) == {
        "text/csv",
        "application/geo+json",
        "text/vcard",
    }
    format_parameter = next(item for item in export["parameters"] if item["name"] == "format")
    assert format_parameter["required"] is True
    assert set(format_parameter["schema"]["enum"]) == {"csv", "hxl", "geojson", "vcard"}


def test_it_serves_the_interactive_documentation(db: None) -> None:
    response = Client().get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
