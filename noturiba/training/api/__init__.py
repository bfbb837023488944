"""The training programme's JSON API (mounted at ``/api/v1/`` by ``noturiba.api.main``): one
module per area, each with its own ``router``, added here."""

from __future__ import annotations

from ninja import Router

router = Router()

from noturiba.training.api import curriculum, enrolment, records  # noqa: E402

router.add_router("", curriculum.router)
router.add_router("", enrolment.router)
router.add_router("", records.router)
