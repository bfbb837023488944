"""Personal API tokens: the actions and the "My account" page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from noturiba.accounts.actions import create_api_token, revoke_api_token
from noturiba.accounts.models import ApiToken, User
from noturiba.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def revoke_url(token: ApiToken) -> str:
    return f"/accounts/tokens/{token.pk}/revoke/"


# --- Actions ----------------------------------------------------------------------------------


def test_create_returns_the_raw_token_and_stores_only_its_digest(member_a: User) -> None:
    token, raw = create_api_token(member_a, name="GIS import")
    assert raw.startswith("ntr_") and len(raw) > 40
    assert token.user == member_a and token.name == "GIS import"
    assert token.digest == ApiToken.digest_of(raw) and raw not in token.digest
    assert token.hint == raw[:8]
    stored_row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw not in {str(value) for value in stored_row.values()}


def test_create_is_audited(member_a: User) -> None:
    token, _raw = create_api_token(member_a, name="GIS import")
    entry = AuditEntry.objects.get(object_type="accounts.apitoken", object_id=str(token.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == member_a


def test_create_needs_a_name(member_a: User) -> None:
    with pytest.raises(ValidationError):
        create_api_token(member_a, name="   ")
    assert not ApiToken.objects.exists()


def test_a_user_cannot_create_a_token_for_someone_else(member_a: User, admin_b: User) -> None:
    with pytest.raises(PermissionDenied):
        create_api_token(member_a, name="sneaky", user=admin_b)
    assert not ApiToken.objects.exists()


def test_a_coordinator_can_create_a_token_for_someone(coordinator: User, admin_b: User) -> None:
    token, _raw = create_api_token(coordinator, name="for Baiba", user=admin_b)
    assert token.user == admin_b


def test_revoke_marks_the_token_and_is_audited_once(member_a: User) -> None:
    token, _raw = create_api_token(member_a, name="old script")
    revoke_api_token(member_a, token=token)
    first = ApiToken.objects.get(pk=token.pk).revoked_at
    assert first is not None
    revoke_api_token(member_a, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at == first
    assert (
        AuditEntry.objects.filter(object_id=str(token.pk), action=AuditEntry.Action.UPDATE).count()
        == 1
    )


def test_a_user_cannot_revoke_someone_elses_token(member_a: User, admin_b: User) -> None:
    token, _raw = create_api_token(admin_b, name="Baiba's")
    with pytest.raises(PermissionDenied):
        revoke_api_token(member_a, token=token)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


# --- The page ---------------------------------------------------------------------------------


def test_the_page_lists_the_users_own_tokens(
    client_member_a: Client, member_a: User, admin_b: User
) -> None:
    mine, _raw = create_api_token(member_a, name="Mārtiņa skripts")
    revoked, _raw = create_api_token(member_a, name="vecais")
    revoke_api_token(member_a, token=revoked)
    create_api_token(admin_b, name="Baibas tokens")
    client_member_a.cookies["noturiba_language"] = "en"
    body = client_member_a.get(PAGE).content.decode()
    assert "Mārtiņa skripts" in body and f"{mine.hint}…" in body
    assert "vecais" in body and "Revoked" in body
    assert "Baibas tokens" not in body
    assert f'action="{revoke_url(mine)}"' in body
    assert f'action="{revoke_url(revoked)}"' not in body


def test_the_page_links_to_two_factor_and_password_settings(client_member_a: Client) -> None:
    body = client_member_a.get(PAGE).content.decode()
    assert 'href="/accounts/two-factor/"' in body
    assert 'href="/accounts/password/"' in body


def test_creating_shows_the_token_once(client_member_a: Client, member_a: User) -> None:
    client_member_a.cookies["noturiba_language"] = "en"
    response = client_member_a.post(PAGE, {"name": "Pašvaldības GIS"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=member_a)
    body = response.content.decode()
    start = body.index('<code class="secret">') + len('<code class="secret">')
    raw = body[start : body.index("</code>", start)]
    assert ApiToken.digest_of(raw) == token.digest
    assert "will not be shown again" in body
    assert raw not in client_member_a.get(PAGE).content.decode()
    assert "no-store" in response["Cache-Control"]


def test_an_empty_name_is_refused(client_member_a: Client) -> None:
    response = client_member_a.post(PAGE, {"name": ""})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page(client_member_a: Client, member_a: User) -> None:
    token, _raw = create_api_token(member_a, name="old script")
    response = client_member_a.post(revoke_url(token))
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_is_a_post(client_member_a: Client, member_a: User) -> None:
    token, _raw = create_api_token(member_a, name="old script")
    assert client_member_a.get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_outsider_cannot_revoke_someone_elses_token(
    client_member_a: Client, admin_b: User
) -> None:
    token, _raw = create_api_token(admin_b, name="Baibas tokens")
    response = client_member_a.post(revoke_url(token))
    assert response.status_code == 404
    assert b"Baibas tokens" not in response.content
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_coordinator_cannot_revoke_others_tokens_from_this_page(
    client_coordinator: Client, admin_b: User
) -> None:
    token, _raw = create_api_token(admin_b, name="Baibas tokens")
    assert client_coordinator.post(revoke_url(token)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, member_a: User) -> None:
    token, _raw = create_api_token(member_a, name="old script")
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(revoke_url(token))["Location"].startswith("/accounts/login/")
    assert client.post(PAGE, {"name": "x"})["Location"].startswith("/accounts/login/")
    assert ApiToken.objects.count() == 1


def test_the_page_costs_the_same_queries_for_few_or_many_tokens(
    client_member_a: Client, member_a: User, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        create_api_token(member_a, name=f"token {number}")
    with django_assert_num_queries(QUERIES):
        assert client_member_a.get(PAGE).status_code == 200
    for number in range(3, 30):
        create_api_token(member_a, name=f"token {number}")
    with django_assert_num_queries(QUERIES):
        assert client_member_a.get(PAGE).status_code == 200


# session, user, token count (paginator), the tokens of the page, "is two-factor on?", and
# the navigation's "does this user write alerts?" (the user's person and memberships)
QUERIES = 7
