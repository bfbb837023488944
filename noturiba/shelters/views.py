"""Shelter pages: the public list and map, a shelter's page, the managers' list and forms, the
operator's update from a phone, and the exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from noturiba.accounts import policy
from noturiba.network.views.common import attach_errors, page_of
from noturiba.shelters import actions, exports, selectors
from noturiba.shelters.forms import STEPS, FilterForm, ManageFilterForm, OccupancyForm, ShelterForm
from noturiba.shelters.models import Shelter

MAP_LIMIT = 2000


def _municipality_choices() -> list[tuple[str, str]]:
    return [(m.code, m.name) for m in selectors.filter_municipalities()]


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def public_list(request: HttpRequest) -> HttpResponse:
    """Public shelters that are open, opening or full, with filters, a map and a list.

    Everyone (signed in or not) sees only public shelters here; the managers' list has the rest.
    """
    filters = selectors.ShelterFilters.from_query(request.GET)
    form = FilterForm(request.GET or None, municipalities=_municipality_choices())
    form.is_valid()
    shelters = selectors.public_shelters(filters)
    query = _query_without_page(request)
    geojson_url = reverse("shelters:geojson") + (f"?{query}" if query else "")
    csv_url = reverse("shelters:csv") + (f"?{query}" if query else "")
    download_query = f"{query}&download=1" if query else "download=1"
    return render(
        request,
        "shelters/public_list.html",
        {
            "form": form,
            "filters": filters,
            "page": page_of(request, shelters),
            "query": query,
            "geojson_url": geojson_url,
            "csv_url": csv_url,
            "geojson_download_url": reverse("shelters:geojson") + "?" + download_query,
        },
    )


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A shelter's page: public shelters for everyone, the others for those who may see them."""
    shelter = selectors.get_shelter_for_user(request.user, pk)
    return render(
        request,
        "shelters/detail.html",
        {
            "shelter": shelter,
            "can_update": selectors.can_update(request.user, shelter),
            "can_manage": selectors.can_manage(request.user, shelter),
            "updates": (
                selectors.recent_updates(shelter)
                if selectors.can_update(request.user, shelter)
                else []
            ),
        },
    )


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """Every shelter the user may see, in any status, with what they may do to each."""
    filters = selectors.ShelterFilters.from_query(request.GET)
    form = ManageFilterForm(request.GET or None, municipalities=_municipality_choices())
    form.is_valid()
    page = page_of(request, selectors.search_shelters(request.user, filters))
    for shelter in page.object_list:
        shelter.may_update = selectors.can_update(request.user, shelter)  # type: ignore[attr-defined]
        shelter.may_manage = selectors.can_manage(request.user, shelter)  # type: ignore[attr-defined]
    query = _query_without_page(request)
    export_query = f"scope=all&{query}" if query else "scope=all"
    return render(
        request,
        "shelters/manage.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "query": query,
            "can_add": policy.can_add_shelters(request.user),
            "csv_url": reverse("shelters:csv") + "?" + export_query,
            "geojson_url": reverse("shelters:geojson") + "?" + export_query,
        },
    )


def _edit_page(request: HttpRequest, shelter: Shelter | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    copy = selectors.get_shelter_for_user(request.user, shelter.pk) if shelter is not None else None
    form = ShelterForm(data, instance=copy, actor=request.user)
    if data is not None and form.is_valid():
        try:
            if shelter is None:
                shelter = actions.create_shelter(request.user, data=form.action_data())
            else:
                shelter = actions.update_shelter(
                    request.user, shelter=shelter, data=form.action_data()
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved. Capacity: %(short)s for a short stay, %(sphere)s for longer stays.")
                % {
                    "short": shelter.short_stay_capacity
                    if shelter.short_stay_capacity is not None
                    else _("not known"),
                    "sphere": shelter.sphere_capacity
                    if shelter.sphere_capacity is not None
                    else _("not known"),
                },
            )
            return redirect("shelters:detail", pk=shelter.pk)
    return render(
        request,
        "shelters/form.html",
        {"form": form, "shelter": shelter},
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    if not policy.can_add_shelters(request.user):
        raise PermissionDenied
    return _edit_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    shelter = selectors.get_shelter_for_user(request.user, pk)
    if not selectors.can_manage(request.user, shelter):
        raise PermissionDenied
    return _edit_page(request, shelter)


def _adjusted(request: HttpRequest) -> int | None:
    """The number after a −/+ button (``adjust=+5``), or None when none was pressed.

    An unknown step changes nothing (the form is shown again, not saved)."""
    step = request.POST.get("adjust")
    if step is None:
        return None
    try:
        delta = int(step)
    except ValueError:
        delta = 0
    if abs(delta) not in STEPS:
        delta = 0
    try:
        current = int(request.POST.get("occupancy") or 0)
    except ValueError:
        current = 0
    return max(min(current, 1_000_000) + delta, 0)


def saved_message(shelter: Shelter) -> str:
    """What the operator sees after saving: status, people inside and free places."""
    values = {
        "status": shelter.get_status_display(),
        "occupancy": shelter.occupancy,
        "free": shelter.free_places,
    }
    if shelter.free_places is None:
        return _("Saved: %(status)s, %(occupancy)s people inside.") % values
    return _("Saved: %(status)s, %(occupancy)s people inside, %(free)s free places.") % values


@login_required
@require_http_methods(["GET", "POST"])
def update(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's update of status and occupancy (phone-first, works without JavaScript)."""
    shelter = selectors.get_shelter_for_user(request.user, pk)
    if not selectors.can_update(request.user, shelter):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        adjusted = _adjusted(request)
        if adjusted is not None:
            form = OccupancyForm(
                initial={
                    "status": request.POST.get("status") or shelter.status,
                    "occupancy": adjusted,
                    "note": request.POST.get("note", "")[:300],
                }
            )
        else:
            form = OccupancyForm(request.POST)
            if form.is_valid():
                try:
                    shelter = actions.update_shelter_occupancy(
                        request.user,
                        shelter=shelter,
                        status=form.cleaned_data["status"],
                        occupancy=form.cleaned_data["occupancy"],
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    attach_errors(form, error)
                else:
                    messages.success(request, saved_message(shelter))
                    return redirect("shelters:update", pk=shelter.pk)
            status = 400
    else:
        form = OccupancyForm(initial={"status": shelter.status, "occupancy": shelter.occupancy})
    return render(
        request,
        "shelters/update.html",
        {
            "form": form,
            "shelter": shelter,
            "steps": STEPS,
            "updates": selectors.recent_updates(shelter, 5),
        },
        status=status,
    )


def _export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    filters = selectors.ShelterFilters.from_query(request.GET)
    if request.GET.get("scope") == "all":
        if not request.user.is_authenticated:
            return HttpResponseBadRequest(_("Sign in to export more than the public shelters."))
        shelters = selectors.search_shelters(request.user, filters)
    else:
        shelters = selectors.public_shelters(filters)
    export = exports.export_shelters(
        shelters, fmt, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    response = StreamingHttpResponse(export.content, content_type=export.content_type)
    if fmt == "csv" or request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@require_GET
def geojson(request: HttpRequest) -> HttpResponseBase:
    """The shelters as GeoJSON (public by default; ``?scope=all`` what the user may see)."""
    return _export(request, "geojson")


@require_GET
def csv_export(request: HttpRequest) -> HttpResponseBase:
    """The shelters as CSV with an HXL hashtag row."""
    return _export(request, "csv")
