"""The JSON API, version 1: wiring only; endpoints live in each app's ``api.py``."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="Noturība API",
    version="1",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
