"""API authentication: personal tokens and verified sessions, on a tiny API of its own."""

from __future__ import annotations

import datetime
from typing import Any, cast

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import path
from django.utils import timezone
from ninja import NinjaAPI

from noturiba.accounts.actions import create_api_token, revoke_api_token
from noturiba.accounts.api_auth import SESSION_OR_TOKEN_AUTH, TokenAuth
from noturiba.accounts.models import ApiToken, User
from noturiba.accounts.tests.helpers import add_totp_device, next_code, post_sign_in
from noturiba.urls import urlpatterns as project_urlpatterns

pytestmark = [pytest.mark.django_db, pytest.mark.urls("noturiba.accounts.tests.test_api_auth")]

api = NinjaAPI(urls_namespace="accounts-auth-test", docs_url=None)


@api.get("/token-only", auth=TokenAuth())
def token_only(request: HttpRequest) -> dict[str, Any]:
    user = cast(User, request.user)
    return {"auth": request.auth.email, "user": user.email}  # type: ignore[attr-defined]


@api.get("/either", auth=SESSION_OR_TOKEN_AUTH)
def either(request: HttpRequest) -> dict[str, Any]:
    return {"auth": request.auth.email}  # type: ignore[attr-defined]


@api.post("/either", auth=SESSION_OR_TOKEN_AUTH)
def either_post(request: HttpRequest) -> dict[str, Any]:
    return {"auth": request.auth.email}  # type: ignore[attr-defined]


urlpatterns = [path("api/test/", api.urls), *project_urlpatterns]


def bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


# --- Tokens -----------------------------------------------------------------------------------


def test_a_valid_token_authenticates_its_user(client: Client, member_a: User) -> None:
    _token, raw = create_api_token(member_a, name="script")
    response = client.get("/api/test/token-only", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"auth": member_a.email, "user": member_a.email}


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Bearer ",
        "Bearer ntr_not-a-real-token",
        "Bearer something-else",
        "Basic bWVtYmVyOnBhc3M=",
    ],
)
def test_anything_but_a_valid_token_is_401(
    client: Client, member_a: User, header: str | None
) -> None:
    create_api_token(member_a, name="script")
    headers = {"Authorization": header} if header is not None else {}
    response = client.get("/api/test/token-only", headers=headers)
    assert response.status_code == 401
    assert member_a.email not in response.content.decode()


def test_a_revoked_token_is_refused(client: Client, member_a: User) -> None:
    token, raw = create_api_token(member_a, name="script")
    revoke_api_token(member_a, token=token)
    assert client.get("/api/test/token-only", headers=bearer(raw)).status_code == 401


def test_a_token_of_a_switched_off_account_is_refused(client: Client, member_a: User) -> None:
    _token, raw = create_api_token(member_a, name="script")
    member_a.is_active = False
    member_a.save(update_fields=["is_active"])
    assert client.get("/api/test/token-only", headers=bearer(raw)).status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(client: Client, member_a: User) -> None:
    token, raw = create_api_token(member_a, name="script")
    client.get("/api/test/token-only", headers=bearer(raw))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None

    half_a_minute_ago = timezone.now() - datetime.timedelta(seconds=30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=half_a_minute_ago)
    client.get("/api/test/token-only", headers=bearer(raw))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == half_a_minute_ago

    two_minutes_ago = timezone.now() - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=two_minutes_ago)
    client.get("/api/test/token-only", headers=bearer(raw))
    latest = ApiToken.objects.get(pk=token.pk).last_used_at
    assert latest is not None and latest > two_minutes_ago


def test_a_token_needs_no_second_factor(client: Client, coordinator: User, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    add_totp_device(coordinator)
    _token, raw = create_api_token(coordinator, name="script")
    response = client.get("/api/test/either", headers=bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"auth": coordinator.email}


def test_a_token_needs_no_csrf_token(member_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    _token, raw = create_api_token(member_a, name="script")
    response = client.post("/api/test/either", headers=bearer(raw))
    assert response.status_code == 200


# --- Sessions ---------------------------------------------------------------------------------


def test_a_signed_in_session_is_accepted(client_member_a: Client, member_a: User) -> None:
    response = client_member_a.get("/api/test/either")
    assert response.status_code == 200
    assert response.json() == {"auth": member_a.email}


def test_a_session_is_not_a_token(client_member_a: Client) -> None:
    assert client_member_a.get("/api/test/token-only").status_code == 401


def test_anonymous_is_401(client: Client) -> None:
    assert client.get("/api/test/either").status_code == 401
    assert Client(enforce_csrf_checks=True).post("/api/test/either").status_code == 401


def test_a_session_owing_a_second_factor_is_refused(coordinator: User, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    device = add_totp_device(coordinator)
    client = Client()
    post_sign_in(client, coordinator.email)
    assert client.get("/api/test/either").status_code == 401
    client.post("/accounts/two-factor/verify/", {"code": next_code(device)})
    assert client.get("/api/test/either").status_code == 200


def test_a_session_of_a_user_with_a_device_must_give_the_code(member_a: User) -> None:
    device = add_totp_device(member_a)
    client = Client()
    post_sign_in(client, member_a.email)
    assert client.get("/api/test/either").status_code == 401
    client.post("/accounts/two-factor/verify/", {"code": next_code(device)})
    assert client.get("/api/test/either").status_code == 200


def test_a_session_owing_a_new_password_is_refused(member_a: User) -> None:
    member_a.must_change_password = True
    member_a.save(update_fields=["must_change_password"])
    client = Client()
    post_sign_in(client, member_a.email)
    assert client.get("/api/test/either").status_code == 401


def test_a_session_post_needs_the_csrf_token(member_a: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member_a)
    assert client.post("/api/test/either").status_code == 403
