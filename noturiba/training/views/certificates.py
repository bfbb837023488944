"""Training pages: certificates (URLs in ``urlpatterns``, collected by ``training/urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
