"""The JSON API, version 1: wiring only; endpoints live in each app's ``api.py``.

Mounted at ``/api/``: endpoints under ``/api/v1/``, the OpenAPI 3 document at
``/api/openapi.json`` and interactive documentation at ``/api/docs``. Every error has the
shape of :mod:`noturiba.api.errors`; callers authenticate as :mod:`noturiba.api.auth` says.
"""

from __future__ import annotations

from ninja import NinjaAPI

from noturiba.api import errors
from noturiba.api.auth import signed_in

api = NinjaAPI(
    title="Noturība API",
    version="1",
    description=(
        "The network directory of the Noturība resilience network: municipalities, the "
        "capability catalogue, organisations, people, institutions and agreements. "
        "Authenticate with a personal API token (`Authorization: Bearer <token>`). "
        'Errors always have the shape `{"error": {"code", "message", "fields"}}`. '
        "Lists are paginated with `page` and `page_size`."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    auth=signed_in,
)
errors.install(api)
api.add_router("/v1/", "noturiba.network.api.router")
api.add_router("/v1/", "noturiba.alerts.api.router")
api.add_router("/v1/", "noturiba.training.api.router")
api.add_router("/v1/", "noturiba.assistance.api.router")
api.add_router("/v1/", "noturiba.shelters.api.router")
