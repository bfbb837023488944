"""Cooperation agreements between organisations and institutions (coordinators manage them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.network import actions, selectors
from noturiba.network.forms import AgreementForm
from noturiba.network.views.common import attach_errors


@login_required
def agreement_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new agreement of organisation ``pk`` with an institution."""
    organisation = selectors.get_organisation_for_user(request.user, pk)
    if not policy.can_manage_agreements(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = AgreementForm(data)
    if data is not None and form.is_valid():
        try:
            actions.create_agreement(
                request.user,
                organisation=organisation,
                institution=form.cleaned_data["institution"],
                scope=form.cleaned_data["scope"],
                signed_on=form.cleaned_data["signed_on"],
                valid_until=form.cleaned_data["valid_until"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:organisation", pk=organisation.pk)
    return render(
        request, "network/agreement_form.html", {"form": form, "organisation": organisation}
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.get_agreement_for_user(request.user, pk)
    if not policy.can_manage_agreements(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    # The form validates its own copy, so the action still compares against stored values.
    copy = selectors.get_agreement_for_user(request.user, pk)
    form = AgreementForm(data, instance=copy, with_institution=False)
    if data is not None and form.is_valid():
        try:
            actions.update_agreement(request.user, agreement=agreement, data=form.action_data())
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:organisation", pk=agreement.organisation_id)
    return render(
        request,
        "network/agreement_form.html",
        {"form": form, "agreement": agreement, "organisation": agreement.organisation},
    )


@login_required
def agreement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.get_agreement_for_user(request.user, pk)
    if not policy.can_manage_agreements(request.user):
        raise PermissionDenied
    if request.method == "POST":
        actions.delete_agreement(request.user, agreement=agreement)
        messages.success(request, _("The agreement was deleted."))
        return redirect("network:organisation", pk=agreement.organisation_id)
    return render(
        request,
        "network/confirm.html",
        {
            "title": _("Delete the agreement between %(organisation)s and %(institution)s?")
            % {
                "organisation": agreement.organisation.name,
                "institution": agreement.institution.name,
            },
            "question": _("The agreement will be deleted; the change is kept in the audit log."),
            "confirm_label": _("Delete agreement"),
            "cancel_url": reverse("network:organisation", args=[agreement.organisation_id]),
        },
    )
