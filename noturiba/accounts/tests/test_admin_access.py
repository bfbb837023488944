"""The admin site is for coordinators with admin access, signed in through the platform."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from noturiba.accounts.actions import create_api_token, record_sign_in
from noturiba.accounts.models import ApiToken, User
from noturiba.accounts.tests.helpers import add_totp_device
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for

pytestmark = pytest.mark.django_db

PAGES = (
    "/admin/",
    "/admin/accounts/user/",
    "/admin/accounts/apitoken/",
    "/admin/audit/auditentry/",
)


@pytest.fixture
def staff_admin_a(admin_a: User) -> User:
    """An organisation admin who was given admin-site access by mistake."""
    admin_a.is_staff = True
    admin_a.save(update_fields=["is_staff"])
    return admin_a


@pytest.mark.parametrize("path", PAGES)
def test_a_coordinator_with_admin_access_gets_in(client_coordinator: Client, path: str) -> None:
    assert client_coordinator.get(path).status_code == 200


@pytest.mark.parametrize("path", PAGES)
def test_staff_who_is_not_a_coordinator_is_refused(staff_admin_a: User, path: str) -> None:
    client = client_for(staff_admin_a)
    response = client.get(path, follow=True)
    assert response.status_code == 403
    assert staff_admin_a.email.encode() not in response.content or path == "/admin/"
    assert b"koordinators@noturiba.example" not in response.content


def test_a_coordinator_without_admin_access_is_refused(coordinator: User) -> None:
    coordinator.is_staff = False
    coordinator.save(update_fields=["is_staff"])
    response = client_for(coordinator).get("/admin/accounts/user/", follow=True)
    assert response.status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_anonymous_visitors_go_to_the_platform_sign_in(client: Client, path: str) -> None:
    response = client.get(path, follow=True)
    final, _status = response.redirect_chain[-1]
    assert final.startswith("/accounts/login/?next=")
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_the_admin_login_form_is_not_used(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/accounts/user/"


def test_secret_keys_of_devices_are_not_in_the_admin(client_coordinator: Client) -> None:
    assert not admin.site.is_registered(TOTPDevice)
    assert client_coordinator.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_users_can_be_found_by_email(client_coordinator: Client, member_a: User) -> None:
    response = client_coordinator.get("/admin/accounts/user/", {"q": "member.a"})
    assert member_a.email in response.content.decode()


def test_changing_a_role_in_the_admin_is_audited(
    client_coordinator: Client, coordinator: User, member_a: User
) -> None:
    response = client_coordinator.post(
        f"/admin/accounts/user/{member_a.pk}/change/",
        {
            "email": member_a.email,
            "full_name": member_a.full_name,
            "preferred_language": "lv",
            "is_active": "on",
            "is_trainer": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member_a.refresh_from_db()
    assert member_a.is_trainer
    entry = AuditEntry.objects.get(object_id=str(member_a.pk), action=AuditEntry.Action.UPDATE)
    assert entry.actor == coordinator
    assert entry.changes["is_trainer"] == [False, True]


def test_a_user_can_be_added_with_an_email(client_coordinator: Client) -> None:
    response = client_coordinator.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Example.org",
            "full_name": "Jauns Cilvēks",
            "usable_password": "true",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert user.check_password("a long enough passphrase")
    assert AuditEntry.objects.filter(
        object_id=str(user.pk), action=AuditEntry.Action.CREATE
    ).exists()


def test_resetting_two_factor_from_the_user_list(
    client_coordinator: Client, member_a: User
) -> None:
    add_totp_device(member_a)
    response = client_coordinator.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [str(member_a.pk)]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=member_a).exists()


def test_tokens_are_read_only_and_revoked_by_an_action(
    client_coordinator: Client, member_a: User
) -> None:
    token, _raw = create_api_token(member_a, name="script")
    assert client_coordinator.get("/admin/accounts/apitoken/add/").status_code == 403
    change_page = client_coordinator.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert change_page.status_code == 200
    assert b'name="name"' not in change_page.content
    response = client_coordinator.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [str(token.pk)]},
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_audit_entries_cannot_be_changed_or_deleted(
    client_coordinator: Client, member_a: User
) -> None:
    entry = record_sign_in(member_a, step="password")
    assert client_coordinator.get("/admin/audit/auditentry/add/").status_code == 403
    assert client_coordinator.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    client_coordinator.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "delete"})
    entry.refresh_from_db()
    assert entry.action == AuditEntry.Action.LOGIN


def test_audit_entries_filter_by_action_and_object_type(
    client_coordinator: Client, member_a: User
) -> None:
    record_sign_in(member_a, step="password")
    create_api_token(member_a, name="script")
    logins = client_coordinator.get("/admin/audit/auditentry/", {"action__exact": "login"})
    assert logins.context["cl"].result_count == 1
    tokens = client_coordinator.get(
        "/admin/audit/auditentry/", {"object_type__exact": "accounts.apitoken"}
    )
    assert tokens.context["cl"].result_count == 1


def test_the_audit_list_costs_the_same_queries_for_few_or_many_entries(
    client_coordinator: Client, member_a: User, django_assert_num_queries: Any
) -> None:
    for _number in range(3):
        record_sign_in(member_a, step="password")
    with django_assert_num_queries(AUDIT_LIST_QUERIES):
        assert client_coordinator.get("/admin/audit/auditentry/").status_code == 200
    for _number in range(40):
        record_sign_in(member_a, step="password")
    with django_assert_num_queries(AUDIT_LIST_QUERIES):
        assert client_coordinator.get("/admin/audit/auditentry/").status_code == 200


AUDIT_LIST_QUERIES = 10
