"""Alerts, deliveries and answers in the admin site: coordinators look, actions write.

Sending, retrying and answering go through ``noturiba.alerts.actions`` and the tasks (policy,
audit, the outbox's claims), so the admin shows these rows read-only.
"""

from __future__ import annotations

from django.contrib import admin

from noturiba.accounts.admin import ReadOnlyCoordinatorAdmin
from noturiba.alerts.models import Acknowledgement, Alert, Delivery


@admin.register(Alert)
class AlertAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("headline", "status", "msg_type", "state", "sent", "expires", "created_by")
    list_filter = ("state", "status", "msg_type")
    search_fields = ("headline", "identifier", "event")
    list_select_related = ("created_by",)
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("alert", "person", "channel", "address", "state", "attempts", "sent_at")
    list_filter = ("state", "channel")
    search_fields = ("address", "idempotency_key", "provider_id")
    list_select_related = ("alert", "person")
    raw_id_fields = ("alert", "person")
    exclude = ("ack_token",)  # the link is the person's key: not shown even to coordinators


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("alert", "person", "answer", "via", "answered_at")
    list_filter = ("answer", "via")
    list_select_related = ("alert", "person")
    raw_id_fields = ("alert", "person", "delivery")
