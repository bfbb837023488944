"""The alerts' JSON API (mounted at ``/api/v1/`` by ``noturiba.api.main``): one module per area,
each with its own ``router``, added here."""

from __future__ import annotations

from ninja import Router

router = Router()

from noturiba.alerts.api import alerts, cap  # noqa: E402

router.add_router("", alerts.router)
router.add_router("", cap.router)
