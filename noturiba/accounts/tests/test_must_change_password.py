"""An account made with a one-time password must choose its own before anything else."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client

from noturiba.accounts.models import User
from noturiba.accounts.tests.helpers import code_for_key, post_sign_in
from noturiba.accounts.views import SETUP_KEY_SESSION
from noturiba.audit.models import AuditEntry
from noturiba.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PASSWORD_PAGE = "/accounts/password/"
NEW_PASSWORD = "a fresh and long passphrase"


@pytest.fixture
def newcomer(member_a: User) -> User:
    member_a.must_change_password = True
    member_a.save(update_fields=["must_change_password"])
    return member_a


def change(client: Client, old: str = PASSWORD, new: str = NEW_PASSWORD, next_url: str = "") -> Any:
    data = {"old_password": old, "new_password1": new, "new_password2": new}
    if next_url:
        data["next"] = next_url
    return client.post(PASSWORD_PAGE, data)


def test_sign_in_leads_to_the_password_page(newcomer: User) -> None:
    client = Client()
    location = post_sign_in(client, newcomer.email, next_url="/directory/map/")
    assert location == f"{PASSWORD_PAGE}?next={quote('/directory/map/', safe='')}"
    client.cookies["noturiba_language"] = "en"
    page = client.get(location).content.decode()
    assert "You signed in with a one-time password." in page
    assert '<label for="id_new_password1">' in page


def test_every_other_page_sends_back_to_it(newcomer: User) -> None:
    client = Client()
    post_sign_in(client, newcomer.email)
    for path in ("/directory/", "/accounts/tokens/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(PASSWORD_PAGE)


def test_a_new_password_lifts_the_flag_and_keeps_the_session(newcomer: User) -> None:
    client = Client()
    post_sign_in(client, newcomer.email)
    response = change(client, next_url="/directory/map/")
    assert response.status_code == 302
    assert response["Location"] == "/directory/map/"
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.check_password(NEW_PASSWORD)
    assert client.get("/directory/").status_code == 200
    entry = AuditEntry.objects.get(action=AuditEntry.Action.UPDATE, object_id=str(newcomer.pk))
    assert entry.changes == {"password": "changed", "must_change_password": [True, False]}


def test_a_wrong_old_password_changes_nothing(newcomer: User) -> None:
    client = Client()
    post_sign_in(client, newcomer.email)
    response = change(client, old="not it")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password and newcomer.check_password(PASSWORD)


def test_a_weak_new_password_is_refused(newcomer: User) -> None:
    client = Client()
    post_sign_in(client, newcomer.email)
    assert change(client, new="12345").status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_any_user_may_change_their_password(client_admin_a: Client, admin_a: User) -> None:
    assert client_admin_a.get(PASSWORD_PAGE).status_code == 200
    assert change(client_admin_a).status_code == 302
    admin_a.refresh_from_db()
    assert admin_a.check_password(NEW_PASSWORD)


def test_a_coordinator_sets_up_two_factor_before_the_new_password(
    coordinator: User, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    coordinator.must_change_password = True
    coordinator.save(update_fields=["must_change_password"])
    client = Client()
    post_sign_in(client, coordinator.email)
    assert client.get(PASSWORD_PAGE)["Location"].startswith("/accounts/two-factor/")

    client.get("/accounts/two-factor/setup/")
    key = str(client.session[SETUP_KEY_SESSION])
    client.post("/accounts/two-factor/setup/", {"code": code_for_key(key)})
    assert client.get("/directory/")["Location"].startswith(PASSWORD_PAGE)
    assert client.get("/accounts/two-factor/backup-codes/").status_code == 200
    assert change(client).status_code == 302
    assert client.get("/directory/").status_code == 200


def test_the_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get(PASSWORD_PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
