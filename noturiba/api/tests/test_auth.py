"""Who the API lets in: personal tokens, the pages' session, and anonymous callers where a
public view exists."""

from __future__ import annotations

import pytest
from django.test import Client

from noturiba.accounts.actions import create_api_token, revoke_api_token
from noturiba.accounts.models import User
from noturiba.api.tests.conftest import ApiClient, api_for, error_of
from noturiba.network.models import Organisation

CSRF_SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"  # 32 characters, as Django's cookie carries

SIGNED_IN_ONLY = ["/people", "/institutions", "/agreements"]
PUBLIC = ["/municipalities", "/capabilities", "/target-groups", "/organisations"]


def test_it_accepts_a_personal_token(api_admin_a: ApiClient) -> None:
    response = api_admin_a.get("/people")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_it_refuses_an_unknown_token(db: None) -> None:
    response = ApiClient(token="ntr_not-a-token-anyone-was-given").get("/people")

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_it_refuses_a_revoked_token(admin_a: User) -> None:
    token, raw = create_api_token(admin_a, name="laptop")
    revoke_api_token(admin_a, token=token)

    response = ApiClient(token=raw).get("/people")

    assert response.status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(admin_a: User) -> None:
    api = api_for(admin_a)
    admin_a.is_active = False
    admin_a.save(update_fields=["is_active"])

    assert api.get("/people").status_code == 401


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.parametrize("header", ["Bearer ntr_wrong", "Bearer", "Basic YTpi", "Token abc"])
def test_it_refuses_a_broken_credential_even_where_anonymous_callers_are_welcome(
    db: None, path: str, header: str
) -> None:
    response = Client().get(f"/api/v1{path}", headers={"Authorization": header})

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


@pytest.mark.parametrize("path", PUBLIC)
def test_it_answers_anonymous_callers_of_public_lists(
    api_anonymous: ApiClient, org_a: Organisation, path: str
) -> None:
    assert api_anonymous.get(path).status_code == 200


@pytest.mark.parametrize("path", SIGNED_IN_ONLY)
def test_it_answers_anonymous_callers_of_other_lists_with_401(
    api_anonymous: ApiClient, org_a: Organisation, path: str
) -> None:
    response = api_anonymous.get(path)

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_it_answers_anonymous_writes_with_401_not_a_csrf_failure(
    reference: None, org_a: Organisation
) -> None:
    client = Client(enforce_csrf_checks=True)

    created = client.post("/api/v1/organisations", "{}", content_type="application/json")
    changed = client.patch(
        f"/api/v1/organisations/{org_a.pk}", "{}", content_type="application/json"
    )

    assert created.status_code == changed.status_code == 401


def test_it_accepts_the_signed_in_session_of_the_pages(client_admin_a: Client) -> None:
    response = client_admin_a.get("/api/v1/people")

    assert response.status_code == 200
    assert [item["email"] for item in response.json()["items"]] == ["admin.a@noturiba.example"]


def test_it_needs_the_csrf_token_for_writes_in_a_session(
    admin_a: User, org_a: Organisation
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_a)
    client.cookies["csrftoken"] = CSRF_SECRET

    without = client.patch(
        f"/api/v1/organisations/{org_a.pk}",
        '{"address": "Brīvības iela 1"}',
        content_type="application/json",
    )
    with_token = client.patch(
        f"/api/v1/organisations/{org_a.pk}",
        '{"address": "Brīvības iela 1"}',
        content_type="application/json",
        headers={"X-CSRFToken": CSRF_SECRET},
    )

    assert without.status_code == 403
    assert error_of(without)["code"] == "csrf_failed"
    assert with_token.status_code == 200
    assert with_token.json()["address"] == "Brīvības iela 1"


def test_it_needs_no_csrf_token_with_a_personal_token(
    api_admin_a: ApiClient, org_a: Organisation
) -> None:
    response = api_admin_a.patch(f"/organisations/{org_a.pk}", {"address": "Rīgas iela 2"})

    assert response.status_code == 200


def test_it_does_not_let_in_a_session_that_owes_the_second_factor(
    client_coordinator: Client, settings: object
) -> None:
    settings.REQUIRE_2FA = True  # type: ignore[attr-defined]

    response = client_coordinator.get("/api/v1/people")

    assert response.status_code == 401


def test_it_lets_in_a_token_of_a_coordinator_who_must_use_two_factor(
    coordinator: User, settings: object
) -> None:
    settings.REQUIRE_2FA = True  # type: ignore[attr-defined]

    assert api_for(coordinator).get("/people").status_code == 200
