"""The directory list, the map page and the map's GeoJSON: one set of filters for all three."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from noturiba.accounts import policy
from noturiba.network import selectors
from noturiba.network.forms import DirectoryFilterForm
from noturiba.network.selectors import DirectoryFilters
from noturiba.network.views.common import page_of, vary_on_htmx, wants_partial

MAP_LIMIT = 5000


def _filter_form(request: HttpRequest, filters: DirectoryFilters) -> DirectoryFilterForm:
    institutions = (
        selectors.institutions_visible_to(request.user).only("id", "name")
        if policy.can_filter_by_agreements(request.user)
        else None
    )
    return DirectoryFilterForm(
        filters=filters,
        municipalities=selectors.current_municipalities(),
        target_groups=selectors.target_groups(),
        capabilities=(
            selectors.capability_catalogue() if policy.can_see_capabilities(request.user) else None
        ),
        institutions=institutions,
    )


@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    filters = DirectoryFilters.from_query(request.GET)
    organisations = selectors.search_directory(request.user, filters)
    context: dict[str, Any] = {
        "page": page_of(
            request,
            selectors.with_directory_details(
                organisations, with_capabilities=policy.can_see_capabilities(request.user)
            ),
        ),
        "filters": filters,
        "query": urlencode(filters.as_query()),
        "can_import": policy.can_import_directory(request.user),
    }
    if wants_partial(request):
        response = render(
            request, "network/_directory_results.html", {**context, "swap_count": True}
        )
        # The address bar shows the filters as a link to them would, without empty fields.
        page = request.GET.get("page")
        pairs = [*filters.as_query(), *([("page", page)] if page else [])]
        response["HX-Push-Url"] = reverse("network:directory") + (
            f"?{urlencode(pairs)}" if pairs else ""
        )
    else:
        context["form"] = _filter_form(request, filters)
        context["can_create"] = policy.can_create_organisation(request.user)
        response = render(request, "network/directory.html", context)
    return vary_on_htmx(response)


@require_safe
def map_page(request: HttpRequest) -> HttpResponse:
    """A Leaflet map of the filtered directory, with the same list as a table below it.

    The table is the map's text alternative: without tiles or JavaScript the page still lists
    every matching organisation and its municipality.
    """
    filters = DirectoryFilters.from_query(request.GET)
    organisations = selectors.search_directory(request.user, filters).select_related("municipality")
    query = urlencode(filters.as_query())
    geojson_url = reverse("network:map_geojson") + (f"?{query}" if query else "")
    return render(
        request,
        "network/map.html",
        {
            "form": _filter_form(request, filters),
            "page": page_of(request, organisations),
            "filters": filters,
            "query": query,
            "geojson_url": geojson_url,
            "map_limit": MAP_LIMIT,
        },
    )


@require_safe
def map_geojson(request: HttpRequest) -> JsonResponse:
    """RFC 7946 FeatureCollection of the filtered directory, [longitude, latitude], capped.

    ``truncated`` and ``total`` (foreign members) say when the cap left organisations out.
    """
    filters = DirectoryFilters.from_query(request.GET)
    points, total = selectors.map_points(request.user, filters, limit=MAP_LIMIT)
    # One reverse() per feature would cost more than the query: derive the links from one.
    link = reverse("network:organisation", args=[0]).removesuffix("0/") + "{}/"
    features = [
        {
            "type": "Feature",
            "id": point.id,
            "geometry": {
                "type": "Point",
                "coordinates": [point.longitude, point.latitude],
            },
            "properties": {
                "id": point.id,
                "name": point.name,
                "url": link.format(point.id),
                "municipality": point.municipality,
                "exact": point.exact,
            },
        }
        for point in points
    ]
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "truncated": total > len(points),
            "total": total,
        },
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )
