from django.urls import path

from noturiba.network import views

app_name = "network"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.map_page, name="map"),
]
