"""Training pages: knowledge (URLs in ``urlpatterns`` below, collected by ``training/urls.py``)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
