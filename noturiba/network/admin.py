"""The directory in Django's admin site, for coordinators.

Saves and deletions go through ``noturiba.network.actions``, so the policy applies and every
change to an organisation, person, institution or agreement leaves an audit entry. The admin's
access follows the policy (``CoordinatorAdmin``): a coordinator with admin access may use it.
Municipalities are read-only here: ``noturiba load_reference`` keeps them, with their history.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from noturiba.accounts import policy
from noturiba.accounts.admin import CoordinatorAdmin, ReadOnlyCoordinatorAdmin
from noturiba.audit.actions import diff, record_audit, snapshot
from noturiba.audit.models import AuditEntry
from noturiba.network import actions
from noturiba.network.models import (
    Agreement,
    CapabilityType,
    Institution,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
    TargetGroup,
)


def _adopt(target: Model, saved: Model) -> None:
    """Let the admin's object become the row an action created (for its redirect and message)."""
    target.pk = saved.pk
    target._state.adding = False
    target._state.db = saved._state.db


def _save_inline(
    formset: BaseInlineFormSet,
    *,
    save: Callable[[dict[str, Any]], Model],
    remove: Callable[[int], None],
) -> None:
    """Apply an inline formset row by row through actions (instead of ``formset.save()``).

    Fills the lists ``formset.save()`` would, which the admin's change message reads.
    """
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for row_form in formset.forms:
        row = row_form.instance
        if row_form in formset.deleted_forms:
            if row.pk is not None:
                remove(row.pk)
                formset.deleted_objects.append(row)
        elif row_form.has_changed():
            saved = save(row_form.cleaned_data)
            if row.pk is None:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, row_form.changed_data))


class CoordinatorInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_use_admin_site(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_use_admin_site(request.user)


# --- Reference data ---------------------------------------------------------------------------


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyCoordinatorAdmin):
    list_display = ["code", "name_lv", "name_en", "kind", "atvk_code", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name_lv", "name_en", "atvk_code"]


class AuditedReferenceAdmin(CoordinatorAdmin):
    """Catalogue rows: saved as they are, with an audit entry of what changed."""

    audited_fields: tuple[str, ...] = ()

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before = snapshot(type(obj).objects.get(pk=obj.pk), self.audited_fields) if change else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, self.audited_fields))
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        if changes:
            record_audit(request.user, action=action, instance=obj, changes=changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_audit(
            request.user,
            action=AuditEntry.Action.DELETE,
            instance=obj,
            changes=diff(snapshot(obj, self.audited_fields), {}),
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CapabilityType)
class CapabilityTypeAdmin(AuditedReferenceAdmin):
    list_display = ["code", "name_lv", "name_en", "unit", "hxl_sector", "sort_order"]
    search_fields = ["code", "name_lv", "name_en"]
    audited_fields = ("code", "name_lv", "name_en", "unit", "hxl_sector", "sort_order")


@admin.register(TargetGroup)
class TargetGroupAdmin(AuditedReferenceAdmin):
    list_display = ["code", "name_lv", "name_en", "parent", "sort_order"]
    search_fields = ["code", "name_lv", "name_en"]
    audited_fields = ("code", "name_lv", "name_en", "parent", "sort_order")


# --- Organisations ----------------------------------------------------------------------------


class CapabilityInline(CoordinatorInline):
    model = OrganisationCapability
    fields = ["capability", "quantity", "startup_hours", "availability"]


@admin.register(Organisation)
class OrganisationAdmin(CoordinatorAdmin):
    list_display = ["name", "registration_number", "municipality", "is_public", "is_demo"]
    list_filter = ["is_public", "is_demo", "legal_form", "scope"]
    search_fields = ["name", "registration_number"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["municipalities", "target_groups"]
    inlines = [CapabilityInline]
    fields = [*actions.ORGANISATION_FIELDS, "municipalities", "target_groups"]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = {key: form.cleaned_data[key] for key in actions.ORGANISATION_FIELDS}
        related = {
            "municipalities": form.cleaned_data["municipalities"],
            "target_groups": form.cleaned_data["target_groups"],
        }
        if change:
            stored = Organisation.objects.get(pk=obj.pk)
            actions.update_organisation(request.user, organisation=stored, data=data, **related)
        else:
            _adopt(obj, actions.create_organisation(request.user, data=data, **related))

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        # The action already set the many-to-many fields; only the inlines remain.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        organisation = Organisation.objects.get(pk=form.instance.pk)

        def save(data: dict[str, Any]) -> Model:
            return actions.set_capability(
                request.user,
                organisation=organisation,
                capability=data["capability"],
                quantity=data["quantity"],
                startup_hours=data.get("startup_hours"),
                availability=data.get("availability") or "",
            )

        def remove(pk: int) -> None:
            row = OrganisationCapability.objects.select_related("organisation", "capability")
            actions.remove_capability(request.user, row=row.get(pk=pk))

        _save_inline(formset, save=save, remove=remove)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_organisation(request.user, organisation=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for organisation in queryset:
            actions.delete_organisation(request.user, organisation=organisation)


# --- People -----------------------------------------------------------------------------------


class MembershipInline(CoordinatorInline):
    model = Membership
    fields = ["organisation", "role", "title"]
    autocomplete_fields = ["organisation"]


@admin.register(Person)
class PersonAdmin(CoordinatorAdmin):
    list_display = ["full_name", "email", "phone", "institution", "is_demo"]
    list_filter = ["is_demo", "preferred_language"]
    search_fields = ["full_name", "email", "phone"]
    list_select_related = ["institution"]
    autocomplete_fields = ["user", "institution"]
    inlines = [MembershipInline]
    fields = [*actions.PERSON_FIELDS, *actions.PERSON_LINKS]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = {key: form.cleaned_data[key] for key in actions.PERSON_FIELDS}
        user, institution = form.cleaned_data["user"], form.cleaned_data["institution"]
        if change:
            stored = Person.objects.get(pk=obj.pk)
            actions.update_person(request.user, person=stored, data=data)
            actions.link_person(request.user, person=stored, user=user, institution=institution)
        else:
            _adopt(
                obj,
                actions.create_standalone_person(
                    request.user, data=data, user=user, institution=institution
                ),
            )

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        person = Person.objects.get(pk=form.instance.pk)

        def save(data: dict[str, Any]) -> Model:
            return actions.set_membership(
                request.user,
                person=person,
                organisation=data["organisation"],
                role=data["role"],
                title=data.get("title") or "",
            )

        def remove(pk: int) -> None:
            membership = Membership.objects.select_related("person", "organisation")
            actions.remove_membership(request.user, membership=membership.get(pk=pk))

        _save_inline(formset, save=save, remove=remove)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_person(request.user, person=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for person in queryset:
            actions.delete_person(request.user, person=person)


# --- Institutions and agreements --------------------------------------------------------------


@admin.register(Institution)
class InstitutionAdmin(CoordinatorAdmin):
    list_display = ["name", "kind", "is_national"]
    list_filter = ["kind", "is_national"]
    search_fields = ["name"]
    filter_horizontal = ["municipalities"]
    fields = [*actions.INSTITUTION_FIELDS, "municipalities"]

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        data = {key: form.cleaned_data[key] for key in actions.INSTITUTION_FIELDS}
        municipalities = form.cleaned_data["municipalities"]
        if change:
            stored = Institution.objects.get(pk=obj.pk)
            actions.update_institution(
                request.user, institution=stored, data=data, municipalities=municipalities
            )
        else:
            _adopt(
                obj,
                actions.create_institution(request.user, data=data, municipalities=municipalities),
            )

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        # The action already set the jurisdiction.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_institution(request.user, institution=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for institution in queryset:
            actions.delete_institution(request.user, institution=institution)


@admin.register(Agreement)
class AgreementAdmin(CoordinatorAdmin):
    list_display = ["organisation", "institution", "signed_on", "valid_until"]
    list_select_related = ["organisation", "institution"]
    search_fields = ["organisation__name", "institution__name", "scope"]
    autocomplete_fields = ["organisation", "institution"]
    date_hierarchy = "signed_on"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # An agreement's parties are fixed once made; a different pair is a new agreement.
        return ["organisation", "institution"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        if change:
            stored = Agreement.objects.select_related("organisation", "institution").get(pk=obj.pk)
            data = {key: form.cleaned_data[key] for key in actions.AGREEMENT_FIELDS}
            actions.update_agreement(request.user, agreement=stored, data=data)
        else:
            _adopt(
                obj,
                actions.create_agreement(
                    request.user,
                    organisation=form.cleaned_data["organisation"],
                    institution=form.cleaned_data["institution"],
                    scope=form.cleaned_data["scope"],
                    signed_on=form.cleaned_data["signed_on"],
                    valid_until=form.cleaned_data["valid_until"],
                ),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        actions.delete_agreement(request.user, agreement=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for agreement in queryset:
            actions.delete_agreement(request.user, agreement=agreement)
