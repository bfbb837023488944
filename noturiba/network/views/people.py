"""People of organisations: the list, a person's page, adding, editing, roles and removal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.network import actions, selectors
from noturiba.network.forms import MembershipForm, PersonForm
from noturiba.network.models import Membership, Organisation
from noturiba.network.views.common import attach_errors, page_of


@login_required
def organisation_people(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(request.user, pk)
    if not policy.can_view_contacts(request.user, organisation):
        raise PermissionDenied
    memberships = selectors.organisation_memberships(request.user, organisation)
    return render(
        request,
        "network/organisation_people.html",
        {
            "organisation": organisation,
            "page": page_of(request, memberships),
            "can_manage": policy.can_edit_organisation(request.user, organisation),
            "can_add_person": policy.can_create_person(request.user, organisation),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person's contacts; 404 for those who may not see them."""
    person = selectors.get_person_for_user(request.user, pk)
    return render(
        request,
        "network/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_memberships(request.user, person),
            "can_edit": policy.can_edit_person(request.user, person),
        },
    )


@login_required
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.get_organisation_for_user(request.user, pk)
    if not policy.can_create_person(request.user, organisation):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data)
    membership_form = MembershipForm(data)
    if data is not None and all([form.is_valid(), membership_form.is_valid()]):
        try:
            person = actions.create_person(
                request.user,
                organisation=organisation,
                data=form.action_data(),
                role=membership_form.cleaned_data["role"],
                title=membership_form.cleaned_data["title"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:person", pk=person.pk)
    return render(
        request,
        "network/person_form.html",
        {"form": form, "membership_form": membership_form, "organisation": organisation},
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.get_person_for_user(request.user, pk)
    if not policy.can_edit_person(request.user, person):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    # The form validates its own copy, so the action still compares against stored values.
    form = PersonForm(data, instance=selectors.get_person_for_user(request.user, pk))
    if data is not None and form.is_valid():
        try:
            actions.update_person(request.user, person=person, data=form.action_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:person", pk=person.pk)
    return render(request, "network/person_form.html", {"form": form, "person": person})


def _managed_membership(
    request: HttpRequest, pk: int, person_pk: int
) -> tuple[Organisation, Membership]:
    """The membership of ``person_pk`` in organisation ``pk``, for those who manage it."""
    organisation = selectors.get_organisation_for_user(request.user, pk)
    if not policy.can_edit_organisation(request.user, organisation):
        raise PermissionDenied
    membership = (
        selectors.organisation_memberships(request.user, organisation)
        .filter(person_id=person_pk)
        .first()
    )
    if membership is None:
        raise Http404
    return organisation, membership


@login_required
def membership_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    organisation, membership = _managed_membership(request, pk, person_pk)
    data = request.POST if request.method == "POST" else None
    form = MembershipForm(data, initial={"role": membership.role, "title": membership.title})
    if data is not None and form.is_valid():
        try:
            actions.set_membership(
                request.user,
                person=membership.person,
                organisation=organisation,
                role=form.cleaned_data["role"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:organisation_people", pk=organisation.pk)
    return render(
        request,
        "network/membership_form.html",
        {"form": form, "organisation": organisation, "membership": membership},
    )


@login_required
def membership_remove(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    organisation, membership = _managed_membership(request, pk, person_pk)
    if request.method == "POST":
        actions.remove_membership(request.user, membership=membership)
        messages.success(
            request,
            _("%(person)s is no longer in %(organisation)s.")
            % {"person": membership.person.full_name, "organisation": organisation.name},
        )
        return redirect("network:organisation_people", pk=organisation.pk)
    return render(
        request,
        "network/confirm.html",
        {
            "title": _("Remove %(person)s from %(organisation)s?")
            % {"person": membership.person.full_name, "organisation": organisation.name},
            "question": _(
                "The person stays in the directory; only their role in this organisation ends."
            ),
            "confirm_label": _("Remove from organisation"),
            "cancel_url": reverse("network:organisation_people", args=[organisation.pk]),
        },
    )
