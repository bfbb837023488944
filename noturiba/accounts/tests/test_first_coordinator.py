"""``ensure_first_coordinator``: the account ``make run`` prints on a fresh database."""

from __future__ import annotations

import pytest

from noturiba.accounts.actions import DEFAULT_ADMIN_EMAIL, ensure_first_coordinator
from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_creates_a_coordinator_with_a_one_time_password() -> None:
    result = ensure_first_coordinator(email=None, password=None)
    assert result.created and result.email == DEFAULT_ADMIN_EMAIL
    assert result.one_time_password is not None and len(result.one_time_password) >= 12
    user = User.objects.get(email=DEFAULT_ADMIN_EMAIL)
    assert user.is_coordinator and user.is_staff and user.is_active
    assert user.check_password(result.one_time_password)
    assert user.must_change_password


def test_it_uses_the_configured_email_and_password() -> None:
    result = ensure_first_coordinator(email=" Ilze@Example.LV ", password="from the environment")
    assert result == type(result)(email="ilze@example.lv", created=True, one_time_password=None)
    user = User.objects.get(email="ilze@example.lv")
    assert user.check_password("from the environment")
    assert not user.must_change_password


def test_a_second_call_keeps_the_first_coordinator() -> None:
    first = ensure_first_coordinator(email=None, password=None)
    second = ensure_first_coordinator(email="someone.else@example.lv", password="another one")
    assert not second.created and second.one_time_password is None
    assert second.email == first.email
    assert User.objects.count() == 1
    user = User.objects.get()
    assert first.one_time_password is not None
    assert user.check_password(first.one_time_password)


def test_an_existing_coordinator_counts(coordinator: User) -> None:
    result = ensure_first_coordinator(email=None, password=None)
    assert not result.created and result.email == coordinator.email
    assert not User.objects.filter(email=DEFAULT_ADMIN_EMAIL).exists()


def test_a_switched_off_coordinator_does_not_count(coordinator: User) -> None:
    coordinator.is_active = False
    coordinator.save(update_fields=["is_active"])
    result = ensure_first_coordinator(email=None, password=None)
    assert result.created and result.email == DEFAULT_ADMIN_EMAIL


def test_the_creation_is_audited_as_the_system() -> None:
    ensure_first_coordinator(email=None, password=None)
    entry = AuditEntry.objects.get(object_type="accounts.user")
    assert entry.action == AuditEntry.Action.CREATE and entry.actor_label == "system"
