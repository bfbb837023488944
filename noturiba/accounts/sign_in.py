"""The steps of signing in that come after the password.

A session is signed in once the password is right, but it may still owe one of two steps:

1. ``SECOND_FACTOR``: the user has a confirmed two-factor device, or is a coordinator and the
   deployment requires two-factor sign-in, and this session has not given a code yet;
2. ``NEW_PASSWORD``: the account was created with a one-time password.

Until both are done the session reaches only the pages of those steps
(``SignInStepsMiddleware``) and the API refuses it (``api_auth.VerifiedSessionAuth``).
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from noturiba.accounts import policy

# Set at password sign-in when the user has a device; cleared when a code was accepted.
SECOND_FACTOR_PENDING = "noturiba_second_factor_pending"


class Step(Enum):
    SECOND_FACTOR = "accounts:two_factor"
    NEW_PASSWORD = "accounts:password_change"


def is_verified(request: HttpRequest) -> bool:
    """Did this session give a second-factor code (django-otp's ``user.is_verified()``)?"""
    # A user object fresh from ``login()`` has not passed django-otp's middleware yet.
    verified = getattr(request.user, "is_verified", None)
    return bool(verified is not None and verified())


def pending_step(request: HttpRequest) -> Step | None:
    """The step this signed-in session still owes, if any."""
    user = request.user
    if not user.is_authenticated:
        return None
    second_factor_due = request.session.get(SECOND_FACTOR_PENDING, False) or (
        policy.requires_two_factor(user, required_setting=settings.REQUIRE_2FA)
    )
    if second_factor_due and not is_verified(request):
        return Step.SECOND_FACTOR
    if user.must_change_password:  # type: ignore[union-attr]
        return Step.NEW_PASSWORD
    return None


def start_second_factor(request: HttpRequest) -> None:
    request.session[SECOND_FACTOR_PENDING] = True


def finish_second_factor(request: HttpRequest) -> None:
    request.session.pop(SECOND_FACTOR_PENDING, None)


def safe_next(request: HttpRequest) -> str:
    """The ``next`` parameter when it points into this site, else the page after sign-in."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def url_with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def step_url(step: Step, next_url: str) -> str:
    return url_with_next(step.value, next_url)
