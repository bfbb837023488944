"""Directory pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from noturiba.network import selectors


def directory(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_visible_to(request.user)[:50]
    return render(request, "network/directory.html", {"organisations": organisations})


def map_page(request: HttpRequest) -> HttpResponse:
    return render(request, "network/map.html", {})
