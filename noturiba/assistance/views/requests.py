"""Assistance requests' pages: the board, posting a request, one request, changing, closing
and cancelling it (URLs in ``urlpatterns`` below, collected by ``assistance/urls.py``).

Who sees which request is ``policy.request_filter`` (through the selectors: a request one may
not see is a 404); who may change it is ``policy.can_manage_request`` (a 403 for someone who
sees a request but does not manage it).
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from noturiba.accounts import policy
from noturiba.assistance.actions import requests as actions
from noturiba.assistance.forms.requests import (
    BaseLineFormSet,
    CancelRequestForm,
    RequestForm,
    line_formset,
)
from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.assistance.selectors import requests as selectors
from noturiba.assistance.selectors.claims import claims_panel
from noturiba.network.models import Unit
from noturiba.network.views.common import attach_errors

PAGE_SIZE = 50
TAB_LABELS = {
    "all": gettext_lazy("All open"),
    "open": gettext_lazy("Not covered yet"),
    "partly": gettext_lazy("Partly covered"),
    "covered": gettext_lazy("Covered"),
    "overdue": gettext_lazy("Overdue"),
    "closed": gettext_lazy("Closed"),
}


@login_required
@require_safe
def board(request: HttpRequest) -> HttpResponse:
    filters = selectors.BoardFilters.from_query(request.GET)
    now = timezone.now()
    counts = selectors.board_counts(request.user, filters, now=now)
    paginator = Paginator(selectors.board_requests(request.user, filters, now=now), PAGE_SIZE)
    vars(paginator)["count"] = counts[filters.tab]  # known from the tabs' query: no COUNT(*)
    page = paginator.get_page(request.GET.get("page"))
    presenter = _BoardRows(now)
    rows = [presenter.row(row) for row in page.object_list]
    base = urlencode(filters.as_query(tab=False))
    tabs = [
        {
            "key": key,
            "label": TAB_LABELS[key],
            "count": counts[key],
            "query": urlencode(
                [*([("status", key)] if key != "all" else []), *filters.as_query(tab=False)]
            ),
            "current": key == filters.tab,
        }
        for key in selectors.TABS
    ]
    return render(
        request,
        "assistance/requests/board.html",
        {
            "page": page,
            "rows": rows,
            "now": now,
            "tabs": tabs,
            "tab_label": TAB_LABELS[filters.tab],
            "filters": filters,
            "query": urlencode(filters.as_query()),
            "filter_query": base,
            "municipalities": selectors.board_municipalities(request.user),
            "capabilities": selectors.capabilities(),
            "urgencies": AssistanceRequest.UrgencyChoice.choices,
            "can_post": policy.can_post_request(request.user),
            "can_view_sitrep": policy.can_view_sitrep(request.user),
            "can_view_map": policy.can_view_needs_map(request.user),
            "has_organisations": policy.has_any_organisation(request.user),
            "overdue_label": _("Overdue"),
            "demo_label": _("demo"),
        },
    )


COVERAGE_LABELS = {
    selectors.UNCOVERED: gettext_lazy("Not covered yet"),
    selectors.PARTLY: gettext_lazy("Partly covered"),
    selectors.COVERED: gettext_lazy("Covered"),
}


def line_numbers(line: RequestLine, units: dict[str, str] | None = None) -> str:
    """ "Transport (seats): 7 of 10 seats" — a line's coverage in words and numbers."""
    return _("%(capability)s: %(claimed)s of %(quantity)s %(unit)s") % {
        "capability": line.capability.name,
        "claimed": floatformat(line.claimed, "-2"),
        "quantity": floatformat(line.quantity, "-2"),
        "unit": units[line.unit] if units else line.get_unit_display(),
    }


def relative_time(moment: datetime.datetime, now: datetime.datetime) -> str:
    if moment > now:
        return _("in %(when)s") % {"when": timeuntil(moment, now)}
    return _("%(when)s ago") % {"when": timesince(moment, now)}


class _BoardRows:
    """What each row of the board shows, as text: 50 rows through template includes and
    per-row choice lookups cost more than the queries."""

    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.units = {str(value): str(label) for value, label in Unit.choices}
        self.urgencies = {
            str(value): str(label) for value, label in AssistanceRequest.UrgencyChoice.choices
        }
        self.states = {
            str(value): str(label).capitalize() for value, label in AssistanceRequest.State.choices
        }
        self.coverage = {key: str(label) for key, label in COVERAGE_LABELS.items()}
        self.link = reverse("assistance:detail", args=[0]).removesuffix("0/") + "{}/"

    def row(self, request: AssistanceRequest) -> dict[str, Any]:
        coverage = selectors.coverage_of(request)
        if request.state == AssistanceRequest.State.OPEN:
            label = self.coverage[coverage]
        else:
            label = self.states[request.state]
        return {
            "request": request,
            "link": self.link.format(request.pk),
            "urgency": self.urgencies.get(request.urgency, request.urgency),
            "coverage": coverage,
            "coverage_label": label,
            "overdue": selectors.is_overdue(request, self.now),
            "lines": [line_numbers(line, self.units) for line in request.lines.all()],
            "when": relative_time(request.deadline, self.now),
        }


def _quiet(form: Any, formset: BaseLineFormSet) -> None:
    """Show what was typed without errors (after "Add another line", nothing is checked)."""
    vars(form)["_errors"] = ErrorDict()
    formset.without_errors()


def _attach_line_errors(formset: BaseLineFormSet, error: ValidationError) -> ValidationError | None:
    """Move the action's ``lines.<n>.<field>`` errors onto the filled line forms; returns what
    is left for the request form."""
    if not hasattr(error, "error_dict"):
        return error
    filled = formset.filled_forms()
    rest: dict[str, list[Any]] = {}
    for key, errors in error.error_dict.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(filled) and parts[2] in filled[index].fields:
                filled[index].add_error(parts[2], errors)
                continue
        if key == "lines":
            formset.add_non_form_errors([m for e in errors for m in e.messages])
            continue
        rest[key] = errors
    return ValidationError(rest) if rest else None


def _render_form(
    request: HttpRequest,
    form: RequestForm,
    formset: BaseLineFormSet,
    assistance_request: AssistanceRequest | None,
    *,
    status: int | None = None,
) -> HttpResponse:
    has_errors = bool(form.errors) or bool(formset.total_error_count())
    return render(
        request,
        "assistance/requests/form.html",
        {"form": form, "formset": formset, "assistance_request": assistance_request},
        status=status or (400 if has_errors else 200),
    )


def _save_or_errors(
    request: HttpRequest,
    form: RequestForm,
    formset: BaseLineFormSet,
    save: Any,
) -> AssistanceRequest | None:
    form_ok = form.is_valid()
    formset_ok = formset.is_valid()
    if not (form_ok and formset_ok):
        return None
    try:
        return save(form.data_for_action(), formset.lines_for_action())  # type: ignore[no-any-return]
    except ValidationError as error:
        rest = _attach_line_errors(formset, error)
        if rest is not None:
            attach_errors(form, rest)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_post_request(request.user):
        raise PermissionDenied
    if request.method != "POST":
        initial: dict[str, Any] = {
            "urgency": AssistanceRequest.UrgencyChoice.IMMEDIATE,
            "offered_to_network": True,
            "contact_name": getattr(request.user, "full_name", ""),
            "contact_email": getattr(request.user, "email", ""),
        }
        municipalities = selectors.postable_municipalities(request.user)
        if len(municipalities[:2]) == 1:
            initial["municipality"] = municipalities[0]
        form = RequestForm(initial=initial, actor=request.user)
        return _render_form(request, form, line_formset(), None)
    form = RequestForm(request.POST, actor=request.user)
    formset = line_formset(request.POST, add_row="add_line" in request.POST)
    if "add_line" in request.POST:
        _quiet(form, formset)
        return _render_form(request, form, formset, None, status=200)
    created = _save_or_errors(
        request,
        form,
        formset,
        lambda data, lines: actions.post_request(request.user, data=data, lines=lines),
    )
    if created is not None:
        messages.success(request, _("The request is posted."))
        return redirect("assistance:detail", request_id=created.pk)
    return _render_form(request, form, formset, None)


@login_required
@require_safe
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    assistance_request = selectors.get_request_for_user(request.user, request_id)
    lines = list(assistance_request.lines.all())
    can_manage = selectors.can_manage(request.user, assistance_request)
    is_open = assistance_request.state == AssistanceRequest.State.OPEN
    context: dict[str, Any] = {
        "assistance_request": assistance_request,
        "lines": lines,
        "coverage": selectors.coverage_of(assistance_request),
        "overdue": selectors.is_overdue(assistance_request),
        "can_manage": can_manage,
        "can_change": can_manage and is_open,
        "now": timezone.now(),
    }
    context.update(claims_panel(request.user, assistance_request, lines))
    return render(request, "assistance/requests/detail.html", context)


def _request_to_manage(request: HttpRequest, request_id: int) -> AssistanceRequest:
    assistance_request = selectors.get_request_for_user(request.user, request_id)
    if not selectors.can_manage(request.user, assistance_request):
        raise PermissionDenied
    return assistance_request


def _not_open(request: HttpRequest, assistance_request: AssistanceRequest) -> HttpResponse | None:
    if assistance_request.state == AssistanceRequest.State.OPEN:
        return None
    messages.error(
        request,
        _("This request is %(state)s: it can no longer be changed.")
        % {"state": assistance_request.get_state_display()},
    )
    return redirect("assistance:detail", request_id=assistance_request.pk)


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, request_id: int) -> HttpResponse:
    assistance_request = _request_to_manage(request, request_id)
    refused = _not_open(request, assistance_request)
    if refused is not None:
        return refused
    lines = list(assistance_request.lines.all())
    if request.method != "POST":
        form = RequestForm(
            initial=RequestForm.initial_for(assistance_request),
            actor=request.user,
            request=assistance_request,
        )
        return _render_form(request, form, line_formset(lines=lines), assistance_request)
    form = RequestForm(request.POST, actor=request.user, request=assistance_request)
    formset = line_formset(request.POST, lines=lines, add_row="add_line" in request.POST)
    if "add_line" in request.POST:
        _quiet(form, formset)
        return _render_form(request, form, formset, assistance_request, status=200)
    saved = _save_or_errors(
        request,
        form,
        formset,
        lambda data, new_lines: actions.update_request(
            request.user, request=assistance_request, data=data, lines=new_lines
        ),
    )
    if saved is not None:
        messages.success(request, _("The request is saved."))
        return redirect("assistance:detail", request_id=saved.pk)
    return _render_form(request, form, formset, assistance_request)


@login_required
@require_http_methods(["GET", "POST"])
def request_close(request: HttpRequest, request_id: int) -> HttpResponse:
    assistance_request = _request_to_manage(request, request_id)
    refused = _not_open(request, assistance_request)
    if refused is not None:
        return refused
    if request.method == "POST":
        try:
            actions.close_request(request.user, request=assistance_request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The request is closed."))
        return redirect("assistance:detail", request_id=assistance_request.pk)
    return render(
        request,
        "assistance/requests/close.html",
        {
            "assistance_request": assistance_request,
            "coverage": selectors.coverage_of(assistance_request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_cancel(request: HttpRequest, request_id: int) -> HttpResponse:
    assistance_request = _request_to_manage(request, request_id)
    refused = _not_open(request, assistance_request)
    if refused is not None:
        return refused
    form = CancelRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.cancel_request(
                request.user, request=assistance_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The request is cancelled."))
            return redirect("assistance:detail", request_id=assistance_request.pk)
    return render(
        request,
        "assistance/requests/cancel.html",
        {"assistance_request": assistance_request, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns: list[URLPattern] = [
    path("", board, name="board"),
    path("new/", request_create, name="new"),
    path("<int:request_id>/", request_detail, name="detail"),
    path("<int:request_id>/edit/", request_edit, name="edit"),
    path("<int:request_id>/close/", request_close, name="close"),
    path("<int:request_id>/cancel/", request_cancel, name="cancel"),
]
