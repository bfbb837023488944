"""Reads about accounts: API tokens and two-factor devices."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from noturiba.accounts.models import ApiToken, User


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first, revoked ones included (they show as revoked)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def get_api_token_for_user(user: User, token_id: int) -> ApiToken:
    """One of the user's own tokens; 404 for anyone else's, so existence does not leak."""
    return get_object_or_404(ApiToken, pk=token_id, user=user)


def active_api_token(raw: str) -> ApiToken | None:
    """The unrevoked token of an active user whose digest matches ``raw``, with its user."""
    if not raw.startswith(ApiToken.PREFIX):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def totp_device_of(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if two-factor sign-in is set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def backup_device_of(user: User) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def has_two_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
