"""Two-factor sign-in with an authenticator app (TOTP) and backup codes, using real codes."""

from __future__ import annotations

from binascii import unhexlify
from typing import Any
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from noturiba.accounts import actions
from noturiba.accounts.models import User
from noturiba.accounts.tests.helpers import add_totp_device, code_for_key, next_code, post_sign_in
from noturiba.accounts.views import SETUP_KEY_SESSION
from noturiba.audit.models import AuditEntry
from noturiba.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"
MANAGE = "/accounts/two-factor/"
BACKUP_CODES = "/accounts/two-factor/backup-codes/"
DIRECTORY = "/directory/"


def english(client: Client) -> Client:
    client.cookies["noturiba_language"] = "en"
    return client


def start_setup(client: Client) -> str:
    """Open the setup page and return the key the QR code holds."""
    response = client.get(SETUP)
    assert response.status_code == 200
    return str(client.session[SETUP_KEY_SESSION])


def verified_client(user: User, device: TOTPDevice) -> Client:
    client = english(Client())
    post_sign_in(client, user.email)
    response = client.post(VERIFY, {"code": next_code(device)})
    assert response.status_code == 302
    return client


# --- Setting it up ----------------------------------------------------------------------------


def test_setup_shows_a_qr_code_and_the_key_without_creating_a_device(
    client_member_a: Client, member_a: User
) -> None:
    english(client_member_a)
    response = client_member_a.get(SETUP)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and 'role="img"' in body
    assert "Key for typing in by hand" in body
    assert not TOTPDevice.objects.filter(user=member_a).exists()


def test_the_key_stays_the_same_while_setting_up(client_member_a: Client) -> None:
    first = start_setup(client_member_a)
    second = start_setup(client_member_a)
    assert first == second


def test_a_right_code_turns_it_on_and_verifies_the_session(
    client_member_a: Client, member_a: User
) -> None:
    key = start_setup(client_member_a)
    response = client_member_a.post(SETUP, {"code": code_for_key(key), "next": "/directory/map/"})
    assert response.status_code == 302
    assert response["Location"] == f"{BACKUP_CODES}?next={quote('/directory/map/', safe='')}"
    device = TOTPDevice.objects.get(user=member_a)
    assert device.confirmed and device.key == key
    assert StaticToken.objects.filter(device__user=member_a).count() == 10
    assert client_member_a.get(MANAGE).status_code == 200  # verified: the settings page
    assert AuditEntry.objects.filter(actor=member_a, changes={"two_factor": [False, True]}).exists()


def test_the_backup_codes_are_shown_once(client_member_a: Client, member_a: User) -> None:
    key = start_setup(client_member_a)
    client_member_a.post(SETUP, {"code": code_for_key(key)})
    page = client_member_a.get(BACKUP_CODES).content.decode()
    for token in StaticToken.objects.filter(device__user=member_a):
        assert f"<code>{token.token}</code>" in page
    again = client_member_a.get(BACKUP_CODES)
    assert again.status_code == 302
    assert again["Location"] == MANAGE


def test_a_wrong_code_does_not_turn_it_on(client_member_a: Client, member_a: User) -> None:
    english(client_member_a)
    key = start_setup(client_member_a)
    wrong = f"{(int(code_for_key(key)) + 1) % 1_000_000:06d}"
    response = client_member_a.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=member_a).exists()


def test_the_setup_code_does_not_work_again_for_signing_in(member_a: User) -> None:
    client = Client()
    post_sign_in(client, member_a.email)
    key = start_setup(client)
    code = code_for_key(key)
    client.post(SETUP, {"code": code})
    client.post("/accounts/logout/")

    post_sign_in(client, member_a.email)
    device = TOTPDevice.objects.get(user=member_a)
    used = f"{hotp(unhexlify(device.key), device.last_t):06d}"
    assert used == code
    assert client.post(VERIFY, {"code": used}).status_code == 200
    assert client.get(DIRECTORY).status_code == 302


def test_an_unverified_session_cannot_add_another_device(member_a: User) -> None:
    add_totp_device(member_a)
    client = Client()
    post_sign_in(client, member_a.email)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"].startswith(MANAGE)
    assert client.get(response["Location"])["Location"].startswith(VERIFY)
    assert SETUP_KEY_SESSION not in client.session


# --- Signing in with a code -------------------------------------------------------------------


def test_sign_in_asks_for_the_code_when_the_user_has_a_device(member_a: User) -> None:
    device = add_totp_device(member_a)
    client = Client()
    location = post_sign_in(client, member_a.email, next_url="/directory/map/")
    assert location == f"{MANAGE}?next={quote('/directory/map/', safe='')}"
    assert client.get(location)["Location"].startswith(VERIFY)

    # Until the code is given the platform stays closed.
    blocked = client.get(DIRECTORY)
    assert blocked.status_code == 302 and blocked["Location"].startswith(MANAGE)
    assert client.get("/accounts/tokens/").status_code == 302

    response = client.post(VERIFY, {"code": next_code(device), "next": "/directory/map/"})
    assert response.status_code == 302
    assert response["Location"] == "/directory/map/"
    assert client.get(DIRECTORY).status_code == 200
    assert AuditEntry.objects.filter(
        actor=member_a,
        action=AuditEntry.Action.LOGIN,
        changes={"step": "authenticator app"},
    ).exists()


def test_a_wrong_code_keeps_the_session_unverified(member_a: User) -> None:
    device = add_totp_device(member_a)
    client = english(Client())
    post_sign_in(client, member_a.email)
    wrong = f"{(int(code_for_key(device.key)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right." in response.content.decode()
    assert client.get(DIRECTORY).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_repeated_wrong_codes_slow_down_the_next_try(member_a: User) -> None:
    device = add_totp_device(member_a)
    device.throttling_failure_count = 10
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client = english(Client())
    post_sign_in(client, member_a.email)
    response = client.post(VERIFY, {"code": code_for_key(device.key)})
    assert "Too many wrong codes. Try again after" in response.content.decode()
    assert client.get(DIRECTORY).status_code == 302


def test_a_backup_code_works_once(member_a: User) -> None:
    add_totp_device(member_a)
    codes = actions.regenerate_backup_codes(member_a)
    client = Client()
    post_sign_in(client, member_a.email)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(DIRECTORY).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    assert StaticToken.objects.filter(device__user=member_a).count() == 9

    client.post("/accounts/logout/")
    post_sign_in(client, member_a.email)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert client.get(DIRECTORY).status_code == 302


def test_verify_without_a_device_goes_to_setup(client_member_a: Client) -> None:
    response = client_member_a.get(VERIFY)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)


# --- Required for coordinators ----------------------------------------------------------------


def test_a_coordinator_must_set_it_up_when_required(coordinator: User, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    client = Client()
    location = post_sign_in(client, coordinator.email)
    assert location.startswith(MANAGE)
    assert client.get(location)["Location"].startswith(SETUP)
    for closed in (DIRECTORY, "/accounts/tokens/", "/accounts/password/", "/admin/"):
        response = client.get(closed)
        assert response.status_code == 302, closed
        assert response["Location"].startswith(MANAGE), closed

    key = start_setup(client)
    client.post(SETUP, {"code": code_for_key(key)})
    assert client.get(DIRECTORY).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_coordinator_with_a_device_must_give_a_code_when_required(
    coordinator: User, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    device = add_totp_device(coordinator)
    client = Client()
    post_sign_in(client, coordinator.email)
    assert client.get("/admin/").status_code == 302
    client.post(VERIFY, {"code": next_code(device)})
    assert client.get("/admin/").status_code == 200


def test_it_is_not_required_when_turned_off(client_coordinator: Client, settings: Any) -> None:
    settings.REQUIRE_2FA = False
    assert client_coordinator.get(DIRECTORY).status_code == 200


def test_it_is_not_required_of_other_roles(client_member_a: Client, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    assert client_member_a.get(DIRECTORY).status_code == 200


# --- Managing it ------------------------------------------------------------------------------


def test_the_settings_page_shows_the_backup_codes_left(member_a: User) -> None:
    device = add_totp_device(member_a)
    actions.regenerate_backup_codes(member_a)
    client = verified_client(member_a, device)
    body = client.get(MANAGE).content.decode()
    assert "You have 10 unused backup codes." in body


def test_new_backup_codes_replace_the_old_ones(member_a: User) -> None:
    device = add_totp_device(member_a)
    old = set(actions.regenerate_backup_codes(member_a))
    client = verified_client(member_a, device)
    response = client.post("/accounts/two-factor/backup-codes/new/")
    assert response["Location"] == BACKUP_CODES
    new = set(StaticToken.objects.filter(device__user=member_a).values_list("token", flat=True))
    assert len(new) == 10 and not new & old
    page = client.get(BACKUP_CODES).content.decode()
    assert all(f"<code>{code}</code>" in page for code in new)


def test_turning_it_off_needs_the_password(member_a: User) -> None:
    device = add_totp_device(member_a)
    client = verified_client(member_a, device)
    response = client.post("/accounts/two-factor/disable/", {"password": "not it"})
    assert response.status_code == 400
    assert "The password is not right." in response.content.decode()
    assert TOTPDevice.objects.filter(user=member_a).exists()


def test_turning_it_off_removes_the_app_and_the_backup_codes(member_a: User) -> None:
    device = add_totp_device(member_a)
    actions.regenerate_backup_codes(member_a)
    client = verified_client(member_a, device)
    response = client.post("/accounts/two-factor/disable/", {"password": PASSWORD})
    assert response["Location"] == MANAGE
    assert not TOTPDevice.objects.filter(user=member_a).exists()
    assert not StaticDevice.objects.filter(user=member_a).exists()
    assert client.get(MANAGE)["Location"].startswith(SETUP)


def test_an_unverified_session_cannot_turn_it_off_or_renew_codes(member_a: User) -> None:
    add_totp_device(member_a)
    client = Client()
    client.force_login(member_a)  # a session that never gave a code
    response = client.post("/accounts/two-factor/disable/", {"password": PASSWORD})
    assert response["Location"].startswith(VERIFY)
    response = client.post("/accounts/two-factor/backup-codes/new/")
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=member_a).exists()
    assert not StaticDevice.objects.filter(user=member_a).exists()


def test_a_reset_coordinator_must_set_it_up_again(coordinator: User, settings: Any) -> None:
    settings.REQUIRE_2FA = True
    device = add_totp_device(coordinator)
    client = verified_client(coordinator, device)
    client.post("/accounts/two-factor/disable/", {"password": PASSWORD})
    response = client.get(DIRECTORY)
    assert response.status_code == 302 and response["Location"].startswith(MANAGE)


def test_the_pages_need_a_signed_in_user(client: Client) -> None:
    for path in (MANAGE, SETUP, VERIFY, BACKUP_CODES):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    for path in ("/accounts/two-factor/disable/", "/accounts/two-factor/backup-codes/new/"):
        assert client.post(path)["Location"].startswith("/accounts/login/")


def test_a_user_cannot_turn_off_someone_elses(member_a: User, admin_b: User) -> None:
    add_totp_device(admin_b)
    with pytest.raises(actions.PermissionDenied):
        actions.disable_two_factor(member_a, user=admin_b)
    assert TOTPDevice.objects.filter(user=admin_b).exists()


def test_a_coordinator_can_reset_anyones(coordinator: User, admin_b: User) -> None:
    add_totp_device(admin_b)
    actions.disable_two_factor(coordinator, user=admin_b)
    assert not TOTPDevice.objects.filter(user=admin_b).exists()
    entry = AuditEntry.objects.get(object_id=str(admin_b.pk), action=AuditEntry.Action.UPDATE)
    assert entry.actor == coordinator


def test_a_user_whose_device_was_reset_is_not_held_at_the_code_step(
    member_a: User, coordinator: User
) -> None:
    add_totp_device(member_a)
    client = Client()
    post_sign_in(client, member_a.email)
    actions.disable_two_factor(coordinator, user=member_a)
    response = client.get(DIRECTORY)
    assert response["Location"].startswith(MANAGE)
    assert client.get(response["Location"])["Location"].startswith(SETUP)
    assert client.get(DIRECTORY).status_code == 200
