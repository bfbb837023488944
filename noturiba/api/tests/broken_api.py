"""A tiny API with the platform's error handlers and endpoints that fail on purpose.

``test_errors`` mounts it with ``@pytest.mark.urls`` to see what a client gets when an endpoint
breaks in a way no client input should reach.
"""

from __future__ import annotations

from django.db import IntegrityError
from django.http import HttpRequest
from django.urls import path
from ninja import NinjaAPI

from noturiba.api import errors

broken = NinjaAPI(title="Broken", urls_namespace="broken-api", docs_url=None, openapi_url=None)
errors.install(broken)


@broken.get("/explode")
def explode(request: HttpRequest) -> None:
    raise RuntimeError("the sensitive detail of a bug")


@broken.get("/conflict")
def conflict(request: HttpRequest) -> None:
    raise IntegrityError("UNIQUE constraint failed")


urlpatterns = [path("broken/", broken.urls)]
