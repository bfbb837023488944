"""Alerts, deliveries and answers in the admin site: coordinators look, actions write.

Sending, retrying and answering go through ``noturiba.alerts.actions`` and the tasks (policy,
audit, the outbox's claims), so the admin shows these rows read-only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from noturiba.accounts import policy
from noturiba.accounts.admin import ReadOnlyCoordinatorAdmin
from noturiba.alerts.models import (
    CONTENT_FIELDS,
    Acknowledgement,
    Alert,
    AlertTemplate,
    Delivery,
    SavedList,
    WebhookEndpoint,
)
from noturiba.network.admin import AuditedReferenceAdmin


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


@admin.register(AlertTemplate)
class AlertTemplateAdmin(AuditedReferenceAdmin):
    """Templates everyone starts alerts from: coordinators manage them (audited); the four
    built-in ones can be edited but not deleted."""

    list_display = ("name", "name_en", "key", "msg_type", "severity", "is_builtin")
    search_fields = ("name", "name_en", "key", "headline")
    readonly_fields = ("is_builtin",)
    audited_fields = ("key", "name", "name_en", *CONTENT_FIELDS)

    def _may_manage(self, request: HttpRequest) -> bool:
        return policy.can_use_admin_site(request.user) and policy.can_manage_alert_templates(
            request.user
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        if isinstance(obj, AlertTemplate) and obj.is_builtin:
            return False
        return self._may_manage(request)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Bulk delete would reach the built-in templates too: delete one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(SavedList)
class SavedListAdmin(AuditedReferenceAdmin):
    """Saved audience lists; their authors manage them on the alert pages."""

    list_display = ("name", "created_by", "created_at")
    search_fields = ("name",)
    list_select_related = ("created_by",)
    raw_id_fields = ("people",)
    readonly_fields = ("created_by",)
    audited_fields = ("name",)


class WebhookEndpointForm(forms.ModelForm):  # type: ignore[type-arg]
    """The signing secret is write-only: never shown again; left empty, it stays as it was."""

    class Meta:
        model = WebhookEndpoint
        fields = ("name", "url", "secret", "organisation", "is_active")
        widgets = {"secret": forms.PasswordInput(render_value=False)}


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(AuditedReferenceAdmin):
    """Systems that receive alerts as signed webhooks: coordinators manage them (audited, the
    secret itself never written to the audit log)."""

    form = WebhookEndpointForm
    list_display = ("name", "url", "organisation", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "url")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation",)
    audited_fields = ("name", "url", "organisation", "is_active")

    def _may_manage(self, request: HttpRequest) -> bool:
        return policy.can_use_admin_site(request.user) and policy.can_manage_webhook_endpoints(
            request.user
        )

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_manage(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may_manage(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change and not form.cleaned_data.get("secret"):
            obj.secret = WebhookEndpoint.objects.get(pk=obj.pk).secret
        super().save_model(request, obj, form, change)
