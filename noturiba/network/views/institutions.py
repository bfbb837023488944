"""Institutions the network works with: list and page for signed-in users, edits by coordinators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.network import actions, selectors
from noturiba.network.forms import InstitutionForm
from noturiba.network.models import Institution
from noturiba.network.views.common import attach_errors, page_of


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    institutions = selectors.institutions_visible_to(request.user).prefetch_related(
        "municipalities"
    )
    return render(
        request,
        "network/institution_list.html",
        {
            "page": page_of(request, institutions),
            "can_manage": policy.can_manage_institutions(request.user),
        },
    )


@login_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.get_institution_for_user(request.user, pk)
    return render(
        request,
        "network/institution_detail.html",
        {
            "institution": institution,
            "municipalities": institution.municipalities.all(),
            "officers": selectors.institution_officers(request.user, institution),
            "agreements": selectors.agreements_visible_to(request.user).filter(
                institution=institution
            ),
            "can_manage": policy.can_manage_institutions(request.user),
            "can_manage_agreements": policy.can_manage_agreements(request.user),
        },
    )


def _edit_page(request: HttpRequest, institution: Institution | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # The form validates its own copy, so the action still compares against stored values.
    copy = (
        selectors.get_institution_for_user(request.user, institution.pk)
        if institution is not None
        else None
    )
    form = InstitutionForm(data, instance=copy)
    if data is not None and form.is_valid():
        municipalities = form.cleaned_data["municipalities"]
        try:
            if institution is None:
                institution = actions.create_institution(
                    request.user, data=form.action_data(), municipalities=municipalities
                )
            else:
                actions.update_institution(
                    request.user,
                    institution=institution,
                    data=form.action_data(),
                    municipalities=municipalities,
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("network:institution", pk=institution.pk)
    return render(
        request, "network/institution_form.html", {"form": form, "institution": institution}
    )


@login_required
def institution_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_manage_institutions(request.user):
        raise PermissionDenied
    return _edit_page(request, None)


@login_required
def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    institution = selectors.get_institution_for_user(request.user, pk)
    if not policy.can_manage_institutions(request.user):
        raise PermissionDenied
    return _edit_page(request, institution)
