"""Lockout after repeated failed sign-ins (django-axes, per account)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.accounts.tests.helpers import post_sign_in
from noturiba.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def fail(client: Client, email: str, times: int) -> Any:
    response = None
    for _attempt in range(times):
        response = client.post(LOGIN, {"username": email, "password": "wrong password"})
    return response


def english_client() -> Client:
    client = Client()
    client.cookies["noturiba_language"] = "en"
    return client


def test_it_locks_the_account_at_the_limit_even_for_the_right_password(member_a: User) -> None:
    client = english_client()
    before_limit = fail(client, member_a.email, settings.AXES_FAILURE_LIMIT - 1)
    assert before_limit.status_code == 200

    at_limit = fail(client, member_a.email, 1)
    assert at_limit.status_code == 429

    right_password = client.post(LOGIN, {"username": member_a.email, "password": PASSWORD})
    assert right_password.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_locked_out_page_says_when_to_try_again(member_a: User) -> None:
    client = english_client()
    response = fail(client, member_a.email, settings.AXES_FAILURE_LIMIT)
    body = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Sign-in paused</h1>" in body
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert f"Try again in {minutes} minutes." in body
    assert 'href="/accounts/login/"' in body


def test_the_locked_out_page_follows_the_language(member_a: User) -> None:
    client = Client()  # Latvian, the default
    response = fail(client, member_a.email, settings.AXES_FAILURE_LIMIT)
    assert response.status_code == 429
    assert response["Content-Language"] == "lv"
    assert '<html lang="lv">' in response.content.decode()


def test_the_email_counts_in_any_case(member_a: User) -> None:
    client = english_client()
    fail(client, member_a.email.upper(), settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": member_a.email, "password": PASSWORD})
    assert response.status_code == 429


def test_other_accounts_are_not_locked(member_a: User, admin_a: User) -> None:
    client = english_client()
    fail(client, member_a.email, settings.AXES_FAILURE_LIMIT)
    assert post_sign_in(client, admin_a.email) == reverse("network:directory")


def test_a_successful_sign_in_resets_the_count(member_a: User) -> None:
    client = english_client()
    fail(client, member_a.email, settings.AXES_FAILURE_LIMIT - 1)
    assert post_sign_in(client, member_a.email) == reverse("network:directory")
    client.post("/accounts/logout/")

    almost = fail(client, member_a.email, settings.AXES_FAILURE_LIMIT - 1)
    assert almost.status_code == 200
    assert post_sign_in(client, member_a.email) == reverse("network:directory")


def test_the_limit_comes_from_the_setting(member_a: User, settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 2
    client = english_client()
    assert fail(client, member_a.email, 1).status_code == 200
    assert fail(client, member_a.email, 1).status_code == 429
