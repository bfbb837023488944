"""Following the response: the map of needs and responding organisations (with its GeoJSON),
the situation report (page and PDF) and the 3W export (CSV with HXL hashtags).

Who sees what (``noturiba.accounts.policy``): the map is for coordinators, officers and the
organisations' people, each seeing the open requests ``request_filter`` allows; the responders
on it, the sitrep and the 3W export are for those who may see situation reports
(``can_view_sitrep``: coordinators everywhere, officers in their jurisdiction). The anonymous
are sent to sign in; others get 403 with no data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from noturiba.accounts import policy
from noturiba.assistance import exports
from noturiba.assistance.forms.follow import MapFilterForm, SitrepForm
from noturiba.assistance.selectors import follow as selectors
from noturiba.assistance.sitrep_pdf import area_text, generated_text, period_text, render_sitrep

PAGE_SIZE = 25
MAP_LIMIT = 2000
RESPONDER_LIMIT = 2000
# The request page is another area's; its URL name is looked up once, in this order.
REQUEST_URL_NAMES = ("assistance:detail", "assistance:request", "assistance:request_detail")


def request_link(pk: int) -> str:
    """The address of request ``pk``'s page."""
    for name in REQUEST_URL_NAMES:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return reverse("assistance:map") + f"#request-{pk}"


def _link_pattern() -> str:
    """``request_link`` with ``{}`` for the id: one reverse() for a whole map."""
    return request_link(987654321).replace("987654321", "{}")


def _map_form(request: HttpRequest) -> MapFilterForm:
    return MapFilterForm(request.GET or None)


# --- The map --------------------------------------------------------------------------------


@login_required
@require_safe
def needs_map(request: HttpRequest) -> HttpResponse:
    """The map of open requests (and, for sitrep viewers, the organisations answering them),
    with the same data as tables below it: the map is an enhancement."""
    if not policy.can_view_needs_map(request.user):
        raise PermissionDenied
    form = _map_form(request)
    filters = form.filters()
    requests = selectors.map_requests(request.user, filters)
    page = Paginator(selectors.with_lines(requests), PAGE_SIZE).get_page(request.GET.get("page"))
    responders = selectors.responders(request.user, requests, limit=RESPONDER_LIMIT)
    responder_page = Paginator(responders, PAGE_SIZE).get_page(request.GET.get("responders_page"))
    query = urlencode(filters.as_query())
    pattern = _link_pattern()
    return render(
        request,
        "assistance/follow/map.html",
        {
            "form": form,
            "filters": filters,
            "query": query,
            "page": page,
            "request_links": {item.pk: pattern.format(item.pk) for item in page.object_list},
            "responder_page": responder_page,
            "shows_responders": policy.can_view_sitrep(request.user),
            "geojson_url": reverse("assistance:map_geojson") + (f"?{query}" if query else ""),
            "map_limit": MAP_LIMIT,
        },
    )


@login_required
@require_safe
def needs_map_geojson(request: HttpRequest) -> JsonResponse:
    """RFC 7946 FeatureCollection of the map: requests, then responding organisations.

    ``truncated`` and ``total`` (foreign members) say when the cap left requests out.
    """
    if not policy.can_view_needs_map(request.user):
        raise PermissionDenied
    filters = _map_form(request).filters()
    requests = selectors.map_requests(request.user, filters)
    shown = list(selectors.with_lines(requests)[: MAP_LIMIT + 1])
    total = len(shown) if len(shown) <= MAP_LIMIT else requests.count()
    shown = shown[:MAP_LIMIT]
    pattern = _link_pattern()
    features: list[dict[str, Any]] = [
        exports.request_feature(item, pattern.format(item.pk)) for item in shown
    ]
    for responder in selectors.responders(request.user, requests, limit=RESPONDER_LIMIT):
        feature = exports.responder_feature(responder)
        if feature is not None:
            features.append(feature)
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "truncated": total > len(shown),
            "total": total,
        },
        content_type="application/geo+json",
        json_dumps_params={"ensure_ascii": False},
    )


# --- The situation report and the 3W export -------------------------------------------------


def _sitrep_form(request: HttpRequest) -> SitrepForm:
    if not policy.can_view_sitrep(request.user):
        raise PermissionDenied
    data: QueryDict = request.GET.copy()
    default = selectors.SitrepParams.default()
    if not data.get("date_from"):
        data["date_from"] = default.date_from.isoformat()
    if not data.get("date_to"):
        data["date_to"] = max(default.date_to, default.date_from).isoformat()
    return SitrepForm(data, municipalities=policy.sitrep_municipalities(request.user))


def _bad_parameters(form: SitrepForm) -> HttpResponseBadRequest:
    messages = [
        f"{field}: {' '.join(str(error) for error in errors)}"
        for field, errors in form.errors.items()
    ]
    return HttpResponseBadRequest(
        "\n".join([_("The report's parameters are not valid."), *messages]),
        content_type="text/plain; charset=utf-8",
    )


@login_required
@require_safe
def sitrep(request: HttpRequest) -> HttpResponse:
    form = _sitrep_form(request)
    params = form.params()
    context: dict[str, Any] = {"form": form}
    if params is not None:
        report = selectors.build_sitrep(request.user, params)
        query = urlencode(params.as_query())
        pattern = _link_pattern()
        context |= {
            "report": report,
            "period": period_text(report),
            "area": area_text(report),
            "generated": generated_text(report),
            "request_links": {item.pk: pattern.format(item.pk) for item in report.requests}
            | {item.request.pk: pattern.format(item.request.pk) for item in report.missing},
            "pdf_url": reverse("assistance:sitrep_pdf") + f"?{query}",
            "csv_url": reverse("assistance:three_w") + f"?{query}",
        }
    return render(request, "assistance/follow/sitrep.html", context, status=200 if params else 400)


@login_required
@require_safe
def sitrep_pdf(request: HttpRequest) -> HttpResponse:
    form = _sitrep_form(request)
    params = form.params()
    if params is None:
        return _bad_parameters(form)
    report = selectors.build_sitrep(request.user, params)
    response = HttpResponse(render_sitrep(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="noturiba-sitrep-{params.date_from:%Y-%m-%d}'
        f'-{params.date_to:%Y-%m-%d}.pdf"'
    )
    return response


@login_required
@require_safe
def three_w(request: HttpRequest) -> HttpResponseBase:
    form = _sitrep_form(request)
    params = form.params()
    if params is None:
        return _bad_parameters(form)
    requests = selectors.sitrep_requests(request.user, params)
    response = StreamingHttpResponse(
        exports.three_w_rows(requests), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.three_w_filename()}"'
    return response


urlpatterns: list[URLPattern] = [
    path("map/", needs_map, name="map"),
    path("map.geojson", needs_map_geojson, name="map_geojson"),
    path("sitrep/", sitrep, name="sitrep"),
    path("sitrep.pdf", sitrep_pdf, name="sitrep_pdf"),
    path("3w.csv", three_w, name="three_w"),
]
