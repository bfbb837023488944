"""Writes about accounts: users, the first coordinator, API tokens."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction

from noturiba.accounts.models import User

DEFAULT_ADMIN_EMAIL = "koordinators@noturiba.local"


@dataclass(frozen=True)
class FirstCoordinator:
    email: str
    created: bool
    one_time_password: str | None


@transaction.atomic
def ensure_first_coordinator(*, email: str | None, password: str | None) -> FirstCoordinator:
    """Create the first coordinator unless one exists.

    With no ``password`` given, a one-time password is generated and returned once; the account
    must choose its own password at first sign-in.
    """
    existing = User.objects.filter(is_coordinator=True, is_active=True).order_by("id").first()
    if existing is not None:
        return FirstCoordinator(email=existing.email, created=False, one_time_password=None)
    address = (email or DEFAULT_ADMIN_EMAIL).strip().lower()
    one_time = None if password else secrets.token_urlsafe(12)
    User.objects.create_superuser(
        address,
        password or one_time,
        full_name="Tīkla koordinators",
        must_change_password=one_time is not None,
    )
    return FirstCoordinator(email=address, created=True, one_time_password=one_time)
