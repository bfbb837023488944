"""Platform pages: the start page and the health check."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from noturiba.web import selectors


def home(request: HttpRequest) -> HttpResponse:
    return redirect("network:directory")


def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers; the body says whether a task worker is alive."""
    state = selectors.platform_health()
    return JsonResponse(state, status=200 if state["database"]["ok"] else 503)
