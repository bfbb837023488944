"""Assistance requests: the claims pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
