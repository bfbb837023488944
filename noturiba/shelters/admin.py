"""Shelters in Django's admin site: read-only for coordinators.

Shelters are added and edited on the shelter pages (``shelters:add``/``shelters:edit``) and
occupancy is reported on ``shelters:update``, so that every write goes through
``noturiba.shelters.actions`` (policy and audit).
"""

from __future__ import annotations

from django.contrib import admin

from noturiba.accounts.admin import ReadOnlyCoordinatorAdmin
from noturiba.shelters.models import Shelter, ShelterUpdate


@admin.register(Shelter)
class ShelterAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("name", "kind", "municipality", "status", "occupancy", "is_public", "is_demo")
    list_filter = ("status", "kind", "is_public", "is_demo")
    search_fields = ("name", "address")
    list_select_related = ("municipality",)


@admin.register(ShelterUpdate)
class ShelterUpdateAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("shelter", "status", "occupancy", "author", "created_at")
    list_select_related = ("shelter", "author")
