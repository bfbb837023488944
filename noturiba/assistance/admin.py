"""Assistance requests in the admin site, read-only.

Requests, lines, offers, claims, their updates and photos, transfer requests and invitations
are written only through ``noturiba.assistance.actions`` (policy, row locks on lines so that
nothing is over-claimed, audit), so coordinators look here but never edit. A claim's photos
are shown by their description and size, never their bytes.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from noturiba.accounts.admin import ReadOnlyCoordinatorAdmin
from noturiba.assistance.models import (
    AssistanceRequest,
    Claim,
    ClaimPhoto,
    ClaimUpdate,
    Invitation,
    Offer,
    RequestLine,
    TransferRequest,
)


class RequestLineInline(admin.TabularInline):
    model = RequestLine
    fields = ("capability", "quantity", "unit", "claimed", "done", "notes")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(ReadOnlyCoordinatorAdmin):
    """Posted, changed, closed and cancelled on the request pages and the API (audited)."""

    list_display = ("title", "municipality", "urgency", "deadline", "state", "institution")
    list_filter = ("state", "urgency", "offered_to_network", "is_demo")
    search_fields = ("title", "address", "contact_name")
    list_select_related = ("municipality", "institution")
    date_hierarchy = "deadline"
    raw_id_fields = ("institution", "municipality", "alert", "created_by")
    inlines = (RequestLineInline,)


@admin.register(RequestLine)
class RequestLineAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("request", "capability", "quantity", "unit", "claimed", "done")
    list_filter = ("capability",)
    search_fields = ("request__title",)
    list_select_related = ("request", "capability")
    raw_id_fields = ("request",)


@admin.register(Offer)
class OfferAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("organisation", "line", "quantity", "state", "created_at")
    list_filter = ("state",)
    search_fields = ("organisation__name", "line__request__title")
    list_select_related = ("organisation", "line__capability", "line__request")
    raw_id_fields = ("line", "organisation", "offered_by", "decided_by")


@admin.register(Claim)
class ClaimAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("organisation", "line", "quantity", "state", "created_at", "last_activity_at")
    list_filter = ("state",)
    search_fields = ("organisation__name", "line__request__title")
    list_select_related = ("organisation", "line__capability", "line__request")
    raw_id_fields = ("line", "organisation", "offer", "transferred_from", "claimed_by")


@admin.register(ClaimUpdate)
class ClaimUpdateAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("claim", "state", "automatic", "author", "created_at")
    list_filter = ("state", "automatic")
    list_select_related = ("claim__organisation", "author")
    raw_id_fields = ("claim", "author")


@admin.register(ClaimPhoto)
class ClaimPhotoAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("__str__", "update", "content_type", "width", "height", "created_at")
    exclude = ("content",)
    raw_id_fields = ("update",)


@admin.register(TransferRequest)
class TransferRequestAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("claim", "to_organisation", "state", "created_at", "decided_at")
    list_filter = ("state",)
    list_select_related = ("claim__organisation", "to_organisation")
    raw_id_fields = ("claim", "to_organisation", "requested_by", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("organisation", "line", "rank", "score", "created_at")
    list_select_related = ("organisation", "line__capability", "line__request")
    raw_id_fields = ("line", "organisation", "alert", "invited_by")
