"""Writes about accounts: the first coordinator, sign-in, passwords, two-factor, API tokens.

``actor`` is the signed-in user doing the write; ``None`` means the command line (whoever runs
``noturiba`` on the server already holds the keys to everything).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import django_otp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from noturiba.accounts import policy, selectors
from noturiba.accounts.models import ApiToken, User
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry

DEFAULT_ADMIN_EMAIL = "koordinators@noturiba.local"
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this."))


# --- The first coordinator ------------------------------------------------------------------


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
    user = User.objects.create_superuser(
        address,
        password or one_time,
        full_name="Tīkla koordinators",
        must_change_password=one_time is not None,
    )
    record_audit(None, action=AuditEntry.Action.CREATE, instance=user)
    return FirstCoordinator(email=address, created=True, one_time_password=one_time)


# --- Signing in and passwords ---------------------------------------------------------------


@transaction.atomic
def record_sign_in(actor: User, *, step: str) -> AuditEntry:
    """Audit a successful sign-in step.

    ``step`` is ``"password"``, ``"authenticator app"`` or ``"backup code"``.
    """
    return record_audit(
        actor, action=AuditEntry.Action.LOGIN, instance=actor, changes={"step": step}
    )


@transaction.atomic
def change_password(actor: User, *, new_password: str) -> None:
    """Set the actor's own password (already validated by the form) and lift the
    must-change-password flag."""
    changes: dict[str, Any] = {"password": "changed"}
    if actor.must_change_password:
        changes["must_change_password"] = [True, False]
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.save(update_fields=["password", "must_change_password"])
    record_audit(actor, action=AuditEntry.Action.UPDATE, instance=actor, changes=changes)


@transaction.atomic
def save_user_from_admin(
    actor: User, *, user: User, created: bool, before: Mapping[str, Any], changed: Iterable[str]
) -> None:
    """Save a user edited in the admin site and audit which fields changed (never values of the
    password)."""
    _require(policy.can_use_admin_site(actor))
    user.save()
    changes: dict[str, Any] = {}
    for name in changed:
        if name in {"password", "password1", "password2", "usable_password"}:
            changes["password"] = "changed"
        elif name not in {"groups", "user_permissions"}:
            changes[name] = [before.get(name), getattr(user, name, None)]
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        instance=user,
        changes=changes,
    )


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def create_api_token(
    actor: User | None, *, name: str, user: User | None = None
) -> tuple[ApiToken, str]:
    """A new personal API token for ``user`` (the actor by default).

    Returns the token row and the raw token; only the digest is stored, so the raw token can be
    shown once and never again.
    """
    owner = user if user is not None else actor
    if owner is None:
        raise ValueError("create_api_token needs a user when run from the command line")
    if actor is not None:
        _require(policy.can_manage_account_of(actor, owner))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    raw, digest = ApiToken.generate()
    token = ApiToken.objects.create(user=owner, name=name[:100], digest=digest, hint=raw[:8])
    record_audit(
        actor,
        action=AuditEntry.Action.CREATE,
        instance=token,
        changes={"user": owner.email, "name": token.name},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(actor: User | None, *, token: ApiToken) -> ApiToken:
    """Revoke ``token`` for good. Revoking a revoked token changes nothing."""
    if actor is not None:
        _require(policy.can_manage_account_of(actor, token.user))
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=token,
        changes={"revoked_at": [None, str(token.revoked_at)]},
    )
    return token


def record_api_token_use(actor: User, *, token: ApiToken) -> None:
    """Note when ``token`` was last used, at most once a minute (one UPDATE, no audit entry:
    the API's access log records the calls)."""
    now = timezone.now()
    if token.use_is_worth_recording(now):
        ApiToken.objects.filter(pk=token.pk, user=actor).update(last_used_at=now)
        token.last_used_at = now


# --- Two-factor sign-in ---------------------------------------------------------------------


def _new_backup_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _position in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def enable_two_factor(actor: User, *, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator app holding ``key`` with a ``code`` it shows.

    Creates the confirmed TOTP device and a fresh set of backup codes, which are returned to be
    shown once. The key was shown to the user (QR code) before any row existed, so an abandoned
    setup leaves nothing behind.
    """
    if selectors.has_two_factor(actor):
        raise ValidationError(_("Two-factor sign-in is already set up."))
    device = TOTPDevice(user=actor, name=TOTP_DEVICE_NAME, key=key, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    cleaned = code.strip().replace(" ", "")
    if not (cleaned.isdigit() and totp.verify(int(cleaned), device.tolerance)):
        raise ValidationError(
            _("That code is not right. Check the clock of your phone and type the current code.")
        )
    # The code just used must not work again for signing in.
    device.last_t = totp.t()
    device.drift = totp.drift
    device.save()
    StaticDevice.objects.filter(user=actor).delete()
    backup = StaticDevice.objects.create(user=actor, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = _new_backup_codes(backup)
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=actor,
        changes={"two_factor": [False, True]},
    )
    return device, codes


def _is_backup_code(code: str) -> bool:
    """Authenticator codes are six digits; backup codes are eight letters and digits."""
    return not (len(code) == 6 and code.isdigit())


def verify_second_factor(actor: User, *, code: str) -> Device:
    """Check a code from the authenticator app or a backup code; return the device that took it.

    Not one transaction on purpose: a wrong code must stay counted (django-otp slows down
    further tries after each failure), so it is committed even though this raises.
    """
    cleaned = code.strip().replace(" ", "").replace("-", "").lower()
    backup = _is_backup_code(cleaned)
    device: Device | None = (
        selectors.backup_device_of(actor) if backup else selectors.totp_device_of(actor)
    )
    if device is None:
        raise ValidationError(_("That code is not right."))
    allowed, details = device.verify_is_allowed()
    if not allowed:
        locked_until = (details or {}).get("locked_until")
        if locked_until is not None:
            raise ValidationError(
                _("Too many wrong codes. Try again after %(time)s.")
                % {"time": formats.time_format(timezone.localtime(locked_until), "H:i:s")}
            )
        raise ValidationError(_("Too many wrong codes. Try again later."))
    verified = django_otp.verify_token(actor, device.persistent_id, cleaned)
    if verified is None:
        raise ValidationError(_("That code is not right."))
    record_sign_in(actor, step="backup code" if backup else "authenticator app")
    return verified


@transaction.atomic
def regenerate_backup_codes(actor: User) -> list[str]:
    """Replace the actor's backup codes with new ones (the old ones stop working)."""
    if not selectors.has_two_factor(actor):
        raise ValidationError(_("Set up two-factor sign-in first."))
    device, _created = StaticDevice.objects.get_or_create(
        user=actor, confirmed=True, defaults={"name": BACKUP_DEVICE_NAME}
    )
    codes = _new_backup_codes(device)
    record_audit(
        actor, action=AuditEntry.Action.UPDATE, instance=actor, changes={"backup_codes": "new"}
    )
    return codes


@transaction.atomic
def disable_two_factor(actor: User | None, *, user: User) -> None:
    """Remove the user's authenticator app and backup codes (to turn it off or start over)."""
    if actor is not None:
        _require(policy.can_manage_account_of(actor, user))
    removed, _counts = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if removed:
        record_audit(
            actor,
            action=AuditEntry.Action.UPDATE,
            instance=user,
            changes={"two_factor": [True, False]},
        )
