"""Authentication for the JSON API (django-ninja).

- ``TokenAuth``: ``Authorization: Bearer ntr_…`` with a personal API token. Tokens are made by
  users who already passed every sign-in step, so a token request needs no second factor.
- ``VerifiedSessionAuth``: the browser's session, only once it has passed every sign-in step
  (second factor, new password) — otherwise a password alone would reach the API. Like ninja's
  ``django_auth`` it checks the CSRF token on unsafe methods.
- ``SESSION_OR_TOKEN_AUTH``: both, tried in that order; use it as ``auth=`` of the API or of a
  router/operation: ``NinjaAPI(auth=SESSION_OR_TOKEN_AUTH)``.

Each returns the user, which ninja stores as ``request.auth``; ``request.user`` is that user too,
so endpoints pass ``request.user`` to ``noturiba.accounts.policy`` either way.
"""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from noturiba.accounts import actions, selectors, sign_in
from noturiba.accounts.models import User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = selectors.active_api_token(token.strip())
        if api_token is None:
            return None
        user = api_token.user
        actions.record_api_token_use(user, token=api_token)
        request.user = user
        return user


class VerifiedSessionAuth(SessionAuth):
    def __call__(self, request: HttpRequest) -> User | None:
        # Without a signed-in session there is nothing to authenticate: answer "not me" before
        # ninja's CSRF check, so that an anonymous POST is a 401 rather than a CSRF failure.
        if not request.user.is_authenticated:
            return None
        return cast(User | None, super().__call__(request))

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        if not user.is_authenticated or sign_in.pending_step(request) is not None:
            return None
        return cast(User, user)


SESSION_OR_TOKEN_AUTH = [TokenAuth(), VerifiedSessionAuth()]
