"""Coordinators must confirm a second factor before they use the platform."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from noturiba.accounts import policy

# Paths a signed-in coordinator may reach before confirming the second factor.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/i18n/", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and policy.requires_two_factor(user, required_setting=settings.REQUIRE_2FA)
            and not user.is_verified()  # type: ignore[union-attr,attr-defined]
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
