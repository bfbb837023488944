"""Assistance requests' JSON API (mounted at ``/api/v1/`` by ``noturiba.api.main``): one module
per area, each with its own ``router``, added here."""

from __future__ import annotations

from ninja import Router

router = Router()

from noturiba.assistance.api import claims, matching, requests  # noqa: E402

router.add_router("", requests.router)
router.add_router("", matching.router)
router.add_router("", claims.router)
