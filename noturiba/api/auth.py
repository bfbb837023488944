"""Who is calling: a personal API token, the pages' own session, or (where allowed) nobody.

- :data:`signed_in` — a token (``Authorization: Bearer <token>``) or the session (with its
  CSRF token on unsafe methods); anything else is 401.
- :data:`public` — the same, and an anonymous caller too, for endpoints with a public view
  (their answers are then limited to what the public may see). A request that *does* carry an
  ``Authorization`` header that does not check out is still 401: a broken credential is an
  error, not anonymity.

Endpoints read the caller from :func:`actor_of` and ask ``noturiba.accounts.policy``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from noturiba.accounts import policy
from noturiba.accounts.api_auth import TokenAuth, VerifiedSessionAuth


class SessionAuth(VerifiedSessionAuth):
    """The pages' session (every sign-in step passed; CSRF token on unsafe methods).

    A request without a signed-in session is simply not authenticated by it: ninja's cookie
    auth would run the CSRF check first and answer an anonymous or wrong-token POST with a
    CSRF failure, where 401 is the truth.
    """

    def __call__(self, request: HttpRequest) -> Any | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


def anonymous(request: HttpRequest) -> AnonymousUser | None:
    """The anonymous visitor, unless the request tried (and failed) to authenticate."""
    if "Authorization" in request.headers:
        return None
    return AnonymousUser()


token_auth = TokenAuth()
session_auth = SessionAuth()
signed_in = [token_auth, session_auth]
public = [token_auth, session_auth, anonymous]

# OpenAPI: on public endpoints the credentials are optional (an empty requirement).
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}


def actor_of(request: HttpRequest) -> policy.Actor:
    """The user the request acts as (``AnonymousUser`` on public endpoints)."""
    return getattr(request, "auth", None) or AnonymousUser()
