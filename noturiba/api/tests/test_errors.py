"""Every error of the API has one shape: ``{"error": {"code", "message", "fields"}}``."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, error_of
from noturiba.network.models import Organisation


def test_it_answers_malformed_json_with_400(api_coordinator: ApiClient) -> None:
    response = api_coordinator.post("/organisations", raw='{"name": "Unfinished')

    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_it_answers_a_body_that_is_not_an_object_with_422(api_coordinator: ApiClient) -> None:
    response = api_coordinator.post("/organisations", raw="[1, 2, 3]")

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"


def test_it_reports_wrong_types_by_field_path(api_coordinator: ApiClient) -> None:
    response = api_coordinator.post(
        "/organisations",
        {"name": 17, "capabilities": [{"code": "transport", "quantity": "many"}]},
    )

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"name", "capabilities.0.quantity"}


def test_it_refuses_unknown_fields(api_coordinator: ApiClient, org_a: Organisation) -> None:
    response = api_coordinator.patch(f"/organisations/{org_a.pk}", {"colour": "green"})

    assert response.status_code == 422
    assert "colour" in error_of(response)["fields"]


def test_it_reports_an_actions_validation_error_by_field(
    api_coordinator: ApiClient, org_a: Organisation
) -> None:
    response = api_coordinator.patch(f"/organisations/{org_a.pk}", {"phone": "12"})

    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["phone"]


def test_it_puts_errors_of_no_single_field_in_the_message(
    api_coordinator: ApiClient, org_a: Organisation, ogre_commission: object
) -> None:
    response = api_coordinator.post(
        "/agreements",
        {
            "organisation": org_a.pk,
            "institution": ogre_commission.pk,  # type: ignore[attr-defined]
            "scope": "Evacuation transport",
            "signed_on": "2025-05-01",
            "valid_until": "2024-05-01",
        },
    )

    assert response.status_code == 422
    error = error_of(response)
    assert "__all__" not in error["fields"]
    assert error["message"]


def test_it_answers_a_refused_permission_with_403(
    api_member_a: ApiClient, org_a: Organisation
) -> None:
    response = api_member_a.patch(f"/organisations/{org_a.pk}", {"name": "Renamed"})

    assert response.status_code == 403
    assert error_of(response)["code"] == "forbidden"


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/999999",
        "/organisations/not-a-number",
        "/organisations/99999999999999999999999999",
        "/organisations/0",
        "/no-such-endpoint",
        "/api/v2/organisations",
    ],
)
def test_it_answers_what_does_not_exist_with_404(api_coordinator: ApiClient, path: str) -> None:
    response = api_coordinator.get(path)

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_it_answers_hidden_and_missing_objects_alike(
    api_anonymous: ApiClient, org_b: Organisation
) -> None:
    hidden = api_anonymous.get(f"/organisations/{org_b.pk}")
    missing = api_anonymous.get("/organisations/999999")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert org_b.name.encode() not in hidden.content


def test_it_answers_a_missing_credential_with_401_and_a_challenge(
    api_anonymous: ApiClient,
) -> None:
    response = api_anonymous.get("/people")

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_answers_a_wrong_method_with_405_and_the_allowed_ones(
    api_coordinator: ApiClient,
) -> None:
    response = api_coordinator.delete("/municipalities")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_it_answers_a_too_large_body_with_413(api_coordinator: ApiClient, settings: object) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000  # type: ignore[attr-defined]

    response = api_coordinator.post("/organisations", {"name": "x" * 2000})

    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


@pytest.mark.parametrize(
    "query",
    [{"page": "0"}, {"page": "abc"}, {"page_size": "201"}, {"page_size": "-1"}, {"page": "1e3"}],
)
def test_it_answers_bad_paging_with_422(api_coordinator: ApiClient, query: dict[str, str]) -> None:
    response = api_coordinator.get("/municipalities", query)

    assert response.status_code == 422
    assert set(error_of(response)["fields"]) <= {"page", "page_size"}


def test_it_keeps_the_shape_when_the_csrf_check_fails(admin_a: User, org_a: Organisation) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)

    response = client.patch(
        f"/api/v1/organisations/{org_a.pk}", data="{}", content_type="application/json"
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "csrf_failed"


@pytest.mark.urls("noturiba.api.tests.broken_api")
def test_it_answers_an_unexpected_error_with_500_in_the_shape_and_logs_it(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="noturiba.api"):
        response = Client().get("/broken/explode")

    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"
    assert b"sensitive detail" not in response.content
    assert any(record.exc_info for record in caplog.records if record.name == "noturiba.api")


@pytest.mark.urls("noturiba.api.tests.broken_api")
def test_it_answers_a_lost_write_race_with_409(db: None) -> None:
    response = Client().get("/broken/conflict")

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
