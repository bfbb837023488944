"""An organisation's page, and creating, editing and deleting organisations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.network import actions, selectors
from noturiba.network.forms import (
    CapabilityForm,
    OrganisationForm,
    capability_forms,
    capability_offers,
)
from noturiba.network.models import Organisation
from noturiba.network.views.common import attach_errors

PEOPLE_ON_PAGE = 10


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the user may see of one organisation; the public sees only its public face."""
    user = request.user
    organisation = selectors.get_organisation_for_user(user, pk)
    context: dict[str, Any] = {
        "organisation": organisation,
        "municipalities": organisation.municipalities.all(),
        "target_groups": organisation.target_groups.all(),
        "details": policy.can_view_organisation_details(user, organisation),
        "can_edit": policy.can_edit_organisation(user, organisation),
        "can_delete": policy.can_delete_organisation(user, organisation),
    }
    if context["details"]:
        context["capabilities"] = selectors.organisation_capabilities(organisation)
        context["agreements"] = selectors.agreements_visible_to(user).filter(
            organisation=organisation
        )
        context["can_manage_agreements"] = policy.can_manage_agreements(user)
        context["show_people"] = policy.can_view_contacts(user, organisation)
    if context.get("show_people"):
        memberships = selectors.organisation_memberships(user, organisation)
        context["memberships"] = memberships[:PEOPLE_ON_PAGE]
        context["people_count"] = memberships.count()
        context["can_add_person"] = policy.can_create_person(user, organisation)
    return render(request, "network/organisation_detail.html", context)


def _save(
    request: HttpRequest,
    form: OrganisationForm,
    capabilities: list[CapabilityForm],
    organisation: Organisation | None,
) -> Organisation:
    """Create or update the organisation and its capabilities, all or nothing."""
    data = form.action_data()
    municipalities = form.cleaned_data["municipalities"]
    target_groups = form.cleaned_data["target_groups"]
    with transaction.atomic():
        if organisation is None:
            organisation = actions.create_organisation(
                request.user, data=data, municipalities=municipalities, target_groups=target_groups
            )
        else:
            organisation = actions.update_organisation(
                request.user,
                organisation=organisation,
                data=data,
                municipalities=municipalities,
                target_groups=target_groups,
            )
        actions.set_capabilities(
            request.user, organisation=organisation, offers=capability_offers(capabilities)
        )
    return organisation


def _edit_page(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    existing = (
        {row.capability_id: row for row in selectors.organisation_capabilities(organisation)}
        if organisation is not None
        else {}
    )
    # The form validates its own copy, so the action still compares against stored values.
    copy = (
        selectors.get_organisation_for_user(request.user, organisation.pk)
        if organisation is not None
        else None
    )
    form = OrganisationForm(data, instance=copy)
    capabilities = capability_forms(data, list(selectors.capability_catalogue()), existing)
    if data is not None:
        valid = [form.is_valid(), *(capability.is_valid() for capability in capabilities)]
        if all(valid):
            try:
                saved = _save(request, form, capabilities, organisation)
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("network:organisation", pk=saved.pk)
    return render(
        request,
        "network/organisation_form.html",
        {"form": form, "capability_forms": capabilities, "organisation": organisation},
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_create_organisation(request.user):
        raise PermissionDenied
    return _edit_page(request, None)


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(request.user, pk)
    if not policy.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    return _edit_page(request, organisation)


@login_required
def organisation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(request.user, pk)
    if not policy.can_delete_organisation(request.user, organisation):
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_organisation(request.user, organisation=organisation)
        messages.success(request, _("Deleted %(name)s.") % {"name": organisation.name})
        return redirect("network:directory")
    return render(
        request,
        "network/confirm.html",
        {
            "title": _("Delete %(name)s?") % {"name": organisation.name},
            "question": _(
                "The organisation, its capabilities, memberships and agreements will be "
                "deleted. People stay in the directory."
            ),
            "confirm_label": _("Delete organisation"),
            "cancel_url": reverse("network:organisation", args=[organisation.pk]),
        },
    )
