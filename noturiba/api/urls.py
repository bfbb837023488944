from django.urls import path

from noturiba.api.main import api

urlpatterns = [path("", api.urls)]
