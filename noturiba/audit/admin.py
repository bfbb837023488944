"""The audit log in the admin site: coordinators read it; nobody edits or deletes it."""

from __future__ import annotations

from django.contrib import admin

from noturiba.accounts.admin import ReadOnlyCoordinatorAdmin
from noturiba.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_label")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "object_label", "object_id")
    date_hierarchy = "at"
    readonly_fields = (
        "at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_label",
        "changes",
    )
    show_full_result_count = False
