"""The API's URLs: ninja's views (with JSON 405s) and a JSON 404 for anything else."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path

from noturiba.api.errors import json_errors_for_views, not_found
from noturiba.api.main import api


def unknown_endpoint(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return not_found()


def _with_json_errors(
    patterns: list[URLPattern | URLResolver],
) -> list[URLPattern | URLResolver]:
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = json_errors_for_views(pattern.callback)
    return patterns


ninja_patterns, ninja_app, ninja_namespace = api.urls
urlpatterns = [
    path("", (_with_json_errors(ninja_patterns), ninja_app, ninja_namespace)),
    re_path(r"^.*$", unknown_endpoint, name="api_unknown"),
]
