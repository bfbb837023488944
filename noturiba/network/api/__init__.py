"""The network directory's JSON API (mounted at ``/api/v1/`` by ``noturiba.api.main``).

Endpoints are thin: parse (``noturiba.network.schemas``), call one selector or action, present.
Visibility comes from ``noturiba.network.selectors`` (404 when hidden, never a hint that the
object exists), permission from the actions (403) — both from ``noturiba.accounts.policy``.
"""

from __future__ import annotations

from ninja import Router

from noturiba.network.api import institutions, organisations, people, reference

router = Router()
for part in (reference, organisations, people, institutions):
    router.add_router("", part.router)
