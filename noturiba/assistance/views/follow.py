"""Assistance requests: the follow pages."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
