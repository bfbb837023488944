"""The training programme in the admin site.

Coordinators manage the curriculum here (competencies, modules, courses: reference data, every
change audited; ``policy.can_manage_curriculum``). Sessions, enrolments, attendance, feedback,
certificates and competency grants are written only through ``noturiba.training.actions``
(policy, sequence, waiting list, audit), so the admin shows them read-only. Calendar feed
tokens are secrets: never shown.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from noturiba.accounts import policy
from noturiba.accounts.admin import ReadOnlyCoordinatorAdmin
from noturiba.network.admin import AuditedReferenceAdmin
from noturiba.training.models import (
    CalendarFeed,
    Certificate,
    Competency,
    CompetencyGrant,
    Course,
    CourseModule,
    Enrolment,
    Feedback,
    Invitation,
    Module,
    TrainingSession,
)


def _may_manage_curriculum(request: HttpRequest) -> bool:
    return policy.can_use_admin_site(request.user) and policy.can_manage_curriculum(request.user)


class CurriculumAdmin(AuditedReferenceAdmin):
    """Curriculum rows: coordinators with admin access add and change them (audited). Deleting
    is refused while sessions, certificates or grants refer to a row (``PROTECT``)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _may_manage_curriculum(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_manage_curriculum(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_manage_curriculum(request)


@admin.register(Competency)
class CompetencyAdmin(CurriculumAdmin):
    list_display = ("code", "name_lv", "name_en", "validity_months", "sort_order")
    search_fields = ("code", "name_lv", "name_en")
    audited_fields = (
        "code",
        "name_lv",
        "name_en",
        "description_lv",
        "description_en",
        "validity_months",
        "sort_order",
    )


@admin.register(Module)
class ModuleAdmin(CurriculumAdmin):
    list_display = ("code", "name_lv", "name_en", "hours", "is_active", "sort_order")
    list_filter = ("is_active",)
    search_fields = ("code", "name_lv", "name_en")
    filter_horizontal = ("competencies",)
    audited_fields = (
        "code",
        "name_lv",
        "name_en",
        "summary_lv",
        "summary_en",
        "outcomes_lv",
        "outcomes_en",
        "hours",
        "is_active",
        "sort_order",
    )


class CourseModuleInline(admin.TabularInline):
    model = CourseModule
    extra = 0
    fields = ("module", "position")
    ordering = ("position", "id")

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_manage_curriculum(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_manage_curriculum(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return _may_manage_curriculum(request)


@admin.register(Course)
class CourseAdmin(CurriculumAdmin):
    list_display = (
        "code",
        "name_lv",
        "name_en",
        "pass_mark",
        "min_attendance_percent",
        "is_active",
    )
    list_filter = ("is_active",)
    search_fields = ("code", "name_lv", "name_en")
    inlines = (CourseModuleInline,)
    audited_fields = (
        "code",
        "name_lv",
        "name_en",
        "description_lv",
        "description_en",
        "pass_mark",
        "min_attendance_percent",
        "is_active",
        "sort_order",
    )


# --- Rows written by actions: read-only -------------------------------------------------------


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyCoordinatorAdmin):
    """Scheduled, changed, published and cancelled on the session pages (sequence, audit)."""

    list_display = ("__str__", "starts_at", "mode", "municipality", "status", "capacity")
    list_filter = ("status", "mode", "language", "course")
    search_fields = ("title", "venue", "address", "course__name_lv", "course__name_en")
    list_select_related = ("course", "municipality")
    date_hierarchy = "starts_at"
    raw_id_fields = ("trainers", "issuing_organisation", "created_by")


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("person", "session", "status", "attendance", "hours_attended", "score")
    list_filter = ("status", "attendance")
    search_fields = ("person__full_name", "person__email")
    list_select_related = ("person", "session__course")
    raw_id_fields = ("session", "person", "enrolled_by", "attendance_recorded_by")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("enrolment", "overall", "content", "trainer", "relevance", "created_at")
    list_select_related = ("enrolment__person", "enrolment__session__course")
    raw_id_fields = ("enrolment",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyCoordinatorAdmin):
    """Issued when results are closed; revoked on the certificate's page (with a reason)."""

    list_display = ("code", "holder_name", "course", "completed_on", "valid_until", "revoked_at")
    list_filter = ("course",)
    search_fields = ("code", "holder_name")
    list_select_related = ("course",)
    raw_id_fields = ("enrolment", "person", "revoked_by")


@admin.register(CompetencyGrant)
class CompetencyGrantAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("person", "competency", "acquired_on", "valid_until")
    list_filter = ("competency",)
    search_fields = ("person__full_name",)
    list_select_related = ("person", "competency")
    raw_id_fields = ("person", "certificate")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("person", "session", "invited_by", "created_at", "sent_at")
    list_select_related = ("person", "session__course", "invited_by")
    raw_id_fields = ("session", "person", "invited_by")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("pk", "person", "organisation", "created_at")
    list_select_related = ("person", "organisation")
    raw_id_fields = ("person", "organisation")
    exclude = ("token",)  # the feed's address is its owner's key
