from django.urls import path

from noturiba.alerts import views

app_name = "alerts"

urlpatterns = [
    path("ack/<slug:token>/", views.acknowledge, name="ack"),
    path("alerts/<int:alert_id>/cap.xml", views.cap_file, name="cap"),
]
