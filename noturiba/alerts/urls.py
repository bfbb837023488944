from django.urls import path

from noturiba.alerts.views import (
    compose,
    dashboard,
    external,
    hooks,
    lists,
    public,
    subscriptions,
)

app_name = "alerts"

urlpatterns = [
    path("ack/<slug:token>/", public.acknowledge, name="ack"),
    path("alerts/", dashboard.alert_list, name="list"),
    path("alerts/<int:alert_id>/", dashboard.dashboard, name="detail"),
    path("alerts/<int:alert_id>/live/", dashboard.live, name="live"),
    path("alerts/<int:alert_id>/unreached.csv", dashboard.unreached_csv, name="unreached_csv"),
    path("alerts/<int:alert_id>/cancel/", dashboard.cancel, name="cancel"),
    path("alerts/<int:alert_id>/cap.xml", public.cap_file, name="cap"),
    # Writing and sending an alert, saved lists (views/compose.py, views/lists.py)
    path("alerts/new/", compose.compose, name="compose"),
    path("alerts/audience/", compose.audience, name="audience"),
    path("alerts/<int:alert_id>/review/", compose.review, name="review"),
    path("alerts/<int:alert_id>/edit/", compose.edit, name="edit"),
    path("alerts/<int:alert_id>/send/", compose.send, name="send"),
    path("alerts/<int:alert_id>/approve/", compose.approve, name="approve"),
    path("alerts/lists/", lists.saved_lists, name="lists"),
    path("alerts/lists/<int:list_id>/", lists.saved_list, name="saved_list"),
    path(
        "alerts/lists/<int:list_id>/remove/<int:person_id>/",
        lists.saved_list_remove,
        name="saved_list_remove",
    ),
    path("alerts/lists/<int:list_id>/delete/", lists.saved_list_delete, name="saved_list_delete"),
    # CAP alerts received from outside, and the subscriptions that bring them
    path("alerts/cap/", external.external_list, name="external_list"),
    path("alerts/cap/import/", external.external_import, name="external_import"),
    path("alerts/cap/<int:pk>/", external.external_detail, name="external_detail"),
    path("alerts/cap/<int:pk>/cap.xml", external.external_download, name="external_download"),
    path("alerts/cap/<int:pk>/relay/", external.external_relay, name="external_relay"),
    path("alerts/cap/subscriptions/", subscriptions.subscription_list, name="subscriptions"),
    path(
        "alerts/cap/subscriptions/<int:pk>/active/",
        subscriptions.subscription_pause,
        name="subscription_active",
    ),
    path(
        "alerts/cap/subscriptions/<int:pk>/poll/",
        subscriptions.subscription_poll,
        name="subscription_poll",
    ),
    path(
        "alerts/cap/subscriptions/<int:pk>/delete/",
        subscriptions.subscription_delete,
        name="subscription_delete",
    ),
    # The SMS gateway's callbacks (views/hooks.py): replies and delivery reports
    path("hooks/sms/inbound", hooks.sms_inbound, name="sms_inbound"),
    path("hooks/sms/report", hooks.sms_report, name="sms_report"),
]
