"""Saved lists of people to alert together: the lists, one list's people, create and delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from noturiba.accounts import policy
from noturiba.alerts import actions, selectors
from noturiba.alerts.forms import SavedListForm
from noturiba.alerts.views.compose import _area_ids, _audience_form
from noturiba.network.views.common import attach_errors, page_of


@login_required
@require_http_methods(["GET", "POST"])
def saved_lists(request: HttpRequest) -> HttpResponse:
    """The lists the user may use; a new list, empty or from the compose page's audience.

    The compose page's "Save these people as a list" posts its audience fields here with
    ``from_audience``; the people are those the audience has now (the area when it names no
    municipalities, as for the alert).
    """
    if not policy.can_write_alerts(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = SavedListForm(data, prefix="list")
    if data is not None and form.is_valid():
        audience = None
        if data.get("from_audience"):
            audience_form = _audience_form(request, data)
            if not audience_form.is_valid():
                messages.error(request, _("The audience could not be read; nothing was saved."))
                return redirect("alerts:compose")
            audience = selectors.with_area(audience_form.filters(), _area_ids(request, data))
        try:
            saved = actions.create_saved_list(
                request.user, name=form.cleaned_data["name"], audience=audience
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("The list “%(name)s” is saved with %(count)d people.")
                % {"name": saved.name, "count": saved.people.count()},
            )
            return redirect("alerts:saved_list", list_id=saved.pk)
    lists = selectors.saved_lists_with_counts(request.user)
    return render(
        request,
        "alerts/lists.html",
        {"form": form, "page": page_of(request, lists)},
        status=400 if form.errors else 200,
    )


@login_required
def saved_list(request: HttpRequest, list_id: int) -> HttpResponse:
    saved = selectors.get_saved_list_for_user(request.user, list_id)
    people = saved.people.order_by("full_name", "id").only("id", "full_name", "email", "phone")
    page = page_of(request, people)
    visible = set(
        policy.visible_people(
            request.user, saved.people.filter(pk__in=[p.pk for p in page.object_list])
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "alerts/lists_detail.html",
        {
            "saved": saved,
            "page": page,
            "rows": [(person, person.pk in visible) for person in page.object_list],
        },
    )


@login_required
@require_POST
def saved_list_remove(request: HttpRequest, list_id: int, person_id: int) -> HttpResponse:
    saved = selectors.get_saved_list_for_user(request.user, list_id)
    if not saved.people.filter(pk=person_id).exists():
        raise Http404
    actions.remove_from_saved_list(request.user, saved_list=saved, person_id=person_id)
    messages.success(request, _("Removed from the list."))
    return redirect("alerts:saved_list", list_id=saved.pk)


@login_required
@require_http_methods(["GET", "POST"])
def saved_list_delete(request: HttpRequest, list_id: int) -> HttpResponse:
    saved = selectors.get_saved_list_for_user(request.user, list_id)
    if request.method == "POST":
        actions.delete_saved_list(request.user, saved_list=saved)
        messages.success(request, _("The list is deleted."))
        return redirect("alerts:lists")
    return render(
        request,
        "alerts/lists_confirm.html",
        {
            "title": _("Delete the list “%(name)s”?") % {"name": saved.name},
            "question": _(
                "The list's %(count)d people stay in the directory; alerts already sent keep "
                "their deliveries."
            )
            % {"count": saved.people.count()},
            "confirm_label": _("Delete the list"),
            "cancel_url": reverse("alerts:saved_list", args=[saved.pk]),
        },
    )
