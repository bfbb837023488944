"""Assistance requests: the matching pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
