"""``noturiba token create|list|revoke``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from noturiba.accounts.models import ApiToken, User
from noturiba.accounts.selectors import active_api_token
from noturiba.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_prints_only_a_working_token(member_a: User) -> None:
    out, err = run("create", "--email", member_a.email, "--name", "GIS import")
    raw = out.strip()
    assert "\n" not in raw and raw.startswith("ntr_")
    token = active_api_token(raw)
    assert token is not None and token.user == member_a and token.name == "GIS import"
    assert "cannot be shown again" in err


def test_create_finds_the_account_in_any_case(member_a: User) -> None:
    out, _err = run("create", "--email", member_a.email.upper(), "--name", "x")
    token = active_api_token(out.strip())
    assert token is not None and token.user == member_a


def test_create_is_audited_as_the_command_line(member_a: User) -> None:
    run("create", "--email", member_a.email, "--name", "GIS import")
    entry = AuditEntry.objects.get(object_type="accounts.apitoken")
    assert entry.actor is None and entry.actor_label == "system"


def test_an_unknown_email_is_an_error(member_a: User) -> None:
    with pytest.raises(CommandError, match="No account"):
        run("create", "--email", "nobody@example.org", "--name", "x")
    assert not ApiToken.objects.exists()


def test_a_switched_off_account_gets_no_token(member_a: User) -> None:
    member_a.is_active = False
    member_a.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="switched off"):
        run("create", "--email", member_a.email, "--name", "x")


def test_an_empty_name_is_an_error(member_a: User) -> None:
    with pytest.raises(CommandError):
        run("create", "--email", member_a.email, "--name", " ")


def test_list_and_revoke(member_a: User) -> None:
    out, _err = run("create", "--email", member_a.email, "--name", "GIS import")
    raw = out.strip()
    token = ApiToken.objects.get()

    listing, _err = run("list", "--email", member_a.email)
    assert f"{token.pk}\t{raw[:8]}…\tGIS import" in listing
    assert "active" in listing and raw not in listing

    revoked, _err = run("revoke", "--id", str(token.pk))
    assert "Revoked" in revoked
    assert active_api_token(raw) is None
    assert "revoked" in run("list", "--email", member_a.email)[0]


def test_revoking_an_unknown_id_is_an_error(member_a: User) -> None:
    with pytest.raises(CommandError, match="No token"):
        run("revoke", "--id", "999")


def test_a_verb_is_required(member_a: User) -> None:
    with pytest.raises(CommandError):
        run()
