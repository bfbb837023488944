"""The admin site is for coordinators (``policy.can_use_admin_site``), signed in through the
platform's own sign-in page so that lockout and two-factor apply there too.

``CoordinatorAdmin`` is the base class for every ModelAdmin of the platform: coordinators with
admin access may view, add, change and delete (unless a subclass narrows it), without Django's
per-model permission rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from noturiba.accounts import actions, policy
from noturiba.accounts.models import ApiToken, User

# --- The site -------------------------------------------------------------------------------


def _has_permission(request: HttpRequest) -> bool:
    return policy.can_use_admin_site(request.user)


def _login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """The admin's own login form would skip two-factor sign-in: use the platform's page."""
    if request.user.is_authenticated:
        # Signed in, but not a coordinator with admin access.
        raise PermissionDenied
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect_to_login(next_url)


admin.site.has_permission = _has_permission  # type: ignore[method-assign]
admin.site.login = _login  # type: ignore[method-assign,assignment]
admin.site.site_header = _("Noturība administration")
admin.site.site_title = _("Noturība administration")
admin.site.index_title = _("Administration")

# django-otp's own admin pages show every user's secret keys and QR codes. Nobody needs them:
# users manage their own devices, and a coordinator resets a user's two-factor sign-in with the
# "reset two-factor sign-in" action on users.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class CoordinatorAdmin(admin.ModelAdmin):
    """Access follows ``policy.can_use_admin_site`` instead of Django's permission rows."""

    # A website typed without a scheme is taken as https:// (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return policy.can_use_admin_site(request.user)


class ReadOnlyCoordinatorAdmin(CoordinatorAdmin):
    """Rows that only actions write (tokens, audit entries): coordinators look, never edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


# --- Users ----------------------------------------------------------------------------------


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


@admin.register(User)
class UserAdmin(CoordinatorAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password", "must_change_password")}),
        (_("Person"), {"fields": ("full_name", "preferred_language")}),
        (
            _("Roles"),
            {
                "fields": ("is_active", "is_coordinator", "is_trainer", "is_staff", "is_superuser"),
                "description": _(
                    "Organisation admins, members and institution officers get their role from "
                    "the person linked to the account in the directory."
                ),
            },
        ),
        (
            _("Django permissions"),
            {"classes": ("collapse",), "fields": ("groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = (
        "email",
        "full_name",
        "is_coordinator",
        "is_trainer",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("is_coordinator", "is_trainer", "is_staff", "is_active", "must_change_password")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    actions = ("reset_two_factor",)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        actions.save_user_from_admin(
            request.user,  # type: ignore[arg-type]
            user=obj,
            created=not change,
            before=form.initial,
            changed=form.changed_data,
        )

    @admin.action(description=_("Reset two-factor sign-in (lost phone)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        for user in users:
            actions.disable_two_factor(request.user, user=user)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in was reset for %(count)d account; it can be set up again at "
                "the next sign-in.",
                "Two-factor sign-in was reset for %(count)d accounts; they can set it up again "
                "at the next sign-in.",
                len(users),
            )
            % {"count": len(users)},
            messages.SUCCESS,
        )


# --- API tokens -----------------------------------------------------------------------------


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ("name", "user", "hint", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at", "created_at")
    search_fields = ("name", "user__email", "hint")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "name",
        "hint",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    actions = ("revoke",)

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        tokens = list(queryset.select_related("user"))
        for token in tokens:
            actions.revoke_api_token(request.user, token=token)  # type: ignore[arg-type]
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
