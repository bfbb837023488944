"""Shelter pages (mounted at ``/shelters/``)."""

from django.urls import URLPattern, path

from noturiba.shelters import views

app_name = "shelters"

urlpatterns: list[URLPattern] = [
    path("", views.public_list, name="public"),
    path("shelters.geojson", views.geojson, name="geojson"),
    path("shelters.csv", views.csv_export, name="csv"),
    path("manage/", views.manage, name="manage"),
    path("add/", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/update/", views.update, name="update"),
]
