"""Assistance requests' pages (mounted at ``/requests/``): each area's views module lists its own
``urlpatterns``."""

from django.urls import URLPattern

from noturiba.assistance.views import claims, follow, matching, requests

app_name = "assistance"

urlpatterns: list[URLPattern] = [
    *follow.urlpatterns,
    *requests.urlpatterns,
    *matching.urlpatterns,
    *claims.urlpatterns,
]
