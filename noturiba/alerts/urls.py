from django.urls import path

from noturiba.alerts.views import dashboard, public

app_name = "alerts"

urlpatterns = [
    path("ack/<slug:token>/", public.acknowledge, name="ack"),
    path("alerts/", dashboard.alert_list, name="list"),
    path("alerts/<int:alert_id>/", dashboard.dashboard, name="detail"),
    path("alerts/<int:alert_id>/cap.xml", public.cap_file, name="cap"),
]
