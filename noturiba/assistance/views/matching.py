"""Assistance requests: "who can help" — the ranking of a line and inviting its best.

- ``matches``: the organisations ranked for a request line, with the reasons in words, and a
  form to invite the top N (only for those who may manage the request: others get 404 when they
  cannot see the request, 403 when they can but may not manage it);
- ``invite``: the form's target (POST), through ``actions.matching.invite_organisations``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from noturiba.assistance.actions.matching import InvitationResult, invite_organisations
from noturiba.assistance.forms.matching import InviteForm
from noturiba.assistance.models import RequestLine
from noturiba.assistance.ranking import (
    AVAILABLE_POINTS_EACH,
    AVAILABLE_POINTS_MAX,
    CAPACITY_POINTS,
    COVERAGE_FALLBACK_POINTS,
    DISTANCE_HALF_KM,
    DISTANCE_POINTS,
    LOAD_POINTS_EACH,
    LOAD_POINTS_MAX,
    STARTUP_HALF_HOURS,
    STARTUP_POINTS,
    STARTUP_UNKNOWN_POINTS,
    TRAINING_POINTS,
)
from noturiba.assistance.selectors import matching as selectors
from noturiba.network.models import Unit

FORMULA = {
    "capacity": CAPACITY_POINTS,
    "distance": DISTANCE_POINTS,
    "half_km": DISTANCE_HALF_KM,
    "fallback": COVERAGE_FALLBACK_POINTS,
    "startup": STARTUP_POINTS,
    "half_hours": STARTUP_HALF_HOURS,
    "startup_unknown": STARTUP_UNKNOWN_POINTS,
    "training": TRAINING_POINTS,
    "available_each": AVAILABLE_POINTS_EACH,
    "available_max": AVAILABLE_POINTS_MAX,
    "load_each": LOAD_POINTS_EACH,
    "load_max": LOAD_POINTS_MAX,
}


def _render(request: HttpRequest, line: RequestLine, form: InviteForm) -> HttpResponse:
    found = selectors.line_matches(line)
    return render(
        request,
        "assistance/matching/matches.html",
        {
            "line": line,
            "assistance_request": line.request,
            "unit": Unit(line.unit).label,
            "found": found,
            "form": form,
            "formula": {key: f"{value:g}" for key, value in FORMULA.items()},
        },
    )


@login_required
@require_GET
def matches(request: HttpRequest, request_id: int, line_id: int) -> HttpResponse:
    line = selectors.get_line_to_match(request.user, request_id, line_id)
    return _render(request, line, InviteForm())


def _report(request: HttpRequest, result: InvitationResult) -> None:
    if not result.invited:
        if result.already_invited:
            messages.info(request, _("These organisations were already invited: nobody new."))
        else:
            messages.info(request, _("Nobody can be ranked for this line, so nobody was invited."))
        return
    invited = len(result.invited)
    text = ngettext(
        "%(count)s organisation invited.", "%(count)s organisations invited.", invited
    ) % {"count": invited}
    if result.already_invited:
        text += " " + ngettext(
            "%(count)s was invited before.",
            "%(count)s were invited before.",
            result.already_invited,
        ) % {"count": result.already_invited}
    if result.alert is None:
        text += " " + result.no_alert_reason
    elif result.awaiting_approval:
        text += " " + _(
            "The alert to their admins waits for a second person's approval before it is sent."
        )
    else:
        text += " " + ngettext(
            "The alert went to their admins: %(count)s message queued.",
            "The alert went to their admins: %(count)s messages queued.",
            result.deliveries,
        ) % {"count": result.deliveries}
    if result.not_reached:
        text += " " + ngettext(
            "%(count)s invited organisation is outside the area you may alert: it sees the "
            "request in its list but got no alert.",
            "%(count)s invited organisations are outside the area you may alert: they see the "
            "request in their list but got no alert.",
            result.not_reached,
        ) % {"count": result.not_reached}
    messages.success(request, text)


@login_required
@require_POST
def invite(request: HttpRequest, request_id: int, line_id: int) -> HttpResponse:
    line = selectors.get_line_to_match(request.user, request_id, line_id)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render(request, line, form)
    try:
        result = invite_organisations(request.user, line=line, count=form.cleaned_data["count"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        _report(request, result)
    return redirect("assistance:matches", request_id=request_id, line_id=line_id)


urlpatterns: list[URLPattern] = [
    path(
        "<int:request_id>/lines/<int:line_id>/matches/",
        matches,
        name="matches",
    ),
    path(
        "<int:request_id>/lines/<int:line_id>/matches/invite/",
        invite,
        name="matches_invite",
    ),
]
