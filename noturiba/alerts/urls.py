from django.urls import path

from noturiba.alerts import views

app_name = "alerts"

urlpatterns = [
    path("ack/<slug:token>/", views.acknowledge, name="ack"),
]
