from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from noturiba import settings as project_settings
from noturiba.accounts.models import User
from noturiba.accounts.tests.helpers import post_sign_in
from noturiba.audit.models import AuditEntry
from noturiba.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def signed_in_user_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def test_it_shows_a_form_that_works_without_javascript(client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<form method="post" action="/accounts/login/"' in body
    assert 'name="username"' in body and 'type="email"' in body
    assert 'name="password"' in body and 'type="password"' in body
    assert '<label for="id_username">' in body and '<label for="id_password">' in body


def test_it_signs_in_with_email_and_password(client: Client, member_a: User) -> None:
    location = post_sign_in(client, member_a.email)
    assert location == reverse("network:directory")
    assert signed_in_user_id(client) == str(member_a.pk)


def test_it_accepts_the_email_in_any_case(client: Client, member_a: User) -> None:
    assert post_sign_in(client, "  Member.A@Noturiba.Example ") == reverse("network:directory")
    assert signed_in_user_id(client) == str(member_a.pk)


def test_it_records_the_sign_in_in_the_audit_log(client: Client, member_a: User) -> None:
    post_sign_in(client, member_a.email)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.LOGIN)
    assert entry.actor == member_a
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(member_a.pk))
    assert entry.changes == {"step": "password"}


def test_a_wrong_password_shows_a_clear_error_and_signs_nobody_in(
    client: Client, member_a: User
) -> None:
    client.cookies["noturiba_language"] = "en"
    response = client.post(LOGIN, {"username": member_a.email, "password": "not it"})
    assert response.status_code == 200
    assert "The email address or the password is not right." in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert signed_in_user_id(client) is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.LOGIN).exists()


def test_an_unknown_email_gets_the_same_error(client: Client, member_a: User) -> None:
    client.cookies["noturiba_language"] = "en"
    response = client.post(LOGIN, {"username": "nobody@example.org", "password": PASSWORD})
    assert "The email address or the password is not right." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_a_switched_off_account_cannot_sign_in(client: Client, member_a: User) -> None:
    member_a.is_active = False
    member_a.save(update_fields=["is_active"])
    assert post_sign_in(client, member_a.email) == ""
    assert signed_in_user_id(client) is None


def test_it_goes_to_a_safe_next_page(client: Client, member_a: User) -> None:
    assert post_sign_in(client, member_a.email, next_url="/directory/map/") == "/directory/map/"


def test_it_ignores_a_next_page_on_another_site(client: Client, member_a: User) -> None:
    location = post_sign_in(client, member_a.email, next_url="https://evil.example/")
    assert location == reverse("network:directory")


def test_a_signed_in_user_is_sent_on_from_the_form(client_member_a: Client) -> None:
    response = client_member_a.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("network:directory")


def test_sign_out_is_a_post(client_member_a: Client) -> None:
    assert client_member_a.get("/accounts/logout/").status_code == 405
    assert signed_in_user_id(client_member_a) is not None
    response = client_member_a.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert signed_in_user_id(client_member_a) is None


def test_passwords_are_hashed_with_argon2(member_a: User, settings: Any) -> None:
    # The tests run with a fast hasher; the platform's own setting is Argon2.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    member_a.set_password("a long enough passphrase")
    member_a.save(update_fields=["password"])
    assert member_a.password.startswith("argon2$")
    assert post_sign_in(Client(), member_a.email, "a long enough passphrase") != ""
