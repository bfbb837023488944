"""A session that still owes a sign-in step reaches only the pages of that step.

The steps (a second-factor code, a new password) are described in ``noturiba.accounts.sign_in``.
Two-factor comes first: someone who only knows the password must not be able to change it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from noturiba.accounts.sign_in import Step, pending_step, step_url

# Paths open to every session: the API has its own authentication (tokens need no second
# factor; sessions are checked there), static files, health, the language switch.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/")


def _step_paths(step: Step) -> tuple[str, ...]:
    paths: tuple[str, ...] = (
        reverse("accounts:login"),
        reverse("accounts:logout"),
        # Setup, verify, backup codes: each of those views checks what the session may do.
        reverse("accounts:two_factor"),
    )
    if step is Step.NEW_PASSWORD:
        paths += (reverse("accounts:password_change"),)
    return paths


class SignInStepsMiddleware:
    """Send a session that owes a second factor (or a new password) to that step first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(_OPEN_PREFIXES):
            step = pending_step(request)
            if step is not None and not request.path.startswith(_step_paths(step)):
                return redirect(step_url(step, request.get_full_path()))
        return self.get_response(request)
