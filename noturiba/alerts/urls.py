from django.urls import path

from noturiba.alerts.views import public

app_name = "alerts"

urlpatterns = [
    path("ack/<slug:token>/", public.acknowledge, name="ack"),
    path("alerts/<int:alert_id>/cap.xml", public.cap_file, name="cap"),
]
