"""Small helpers shared by the directory's views."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PAGE_SIZE = 25


def wants_partial(request: HttpRequest) -> bool:
    """An HTMX request for one region; a history restore still needs the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """The same URL answers with a page or a partial: caches must keep them apart."""
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def page_of(request: HttpRequest, queryset: QuerySet[Any], size: int = PAGE_SIZE) -> Page:
    """The requested page (``?page=``); a bad or too high number gives the first or last."""
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def attach_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show an action's ``ValidationError`` on the form: by field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)
