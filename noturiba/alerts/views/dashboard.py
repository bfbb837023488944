"""Watching an alert: the list of alerts a writer may follow and one alert's live dashboard.

The dashboard is a complete page without JavaScript (with a "Refresh" link); with HTMX its live
region (``_live.html``: counts, the table by municipality, the unreached, who needs help) is
fetched again from ``alerts:live`` every ``ALERT_DASHBOARD_POLL_SECONDS`` (10) seconds. The
short summary line is a polite live region outside the swapped part: the fragment updates it
out of band only when a count it reads out changed, so a screen reader hears changes, not the
clock.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from noturiba.accounts import policy
from noturiba.alerts import actions, selectors
from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.network.exports import safe_cell
from noturiba.network.views.common import page_of, vary_on_htmx

LIST_PAGE_SIZE = 25
UNREACHED_PAGE_SIZE = 25
NEED_HELP_PAGE_SIZE = 25
CSV_CHUNK = 500  # people per query of their details (SQLite's limit on parameters)
CHANNEL_LABELS = {
    "email": gettext_lazy("Email"),
    "sms": gettext_lazy("SMS"),
    "webhook": gettext_lazy("Webhook"),
}


class AlertListFilter(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("all")), *Alert.State.choices],
    )


@login_required
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """The alerts the user may follow, newest first, with their counts; writers only."""
    if not policy.can_write_alerts(request.user):
        raise PermissionDenied
    form = AlertListFilter(request.GET)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    alerts = selectors.alerts_with_counts(request.user, state=state)
    return render(
        request,
        "alerts/list.html",
        {
            "form": form,
            "page": page_of(request, alerts, LIST_PAGE_SIZE),
            "query": f"state={state}" if state else "",
        },
    )


def _poll_seconds() -> int:
    return max(int(settings.ALERT_DASHBOARD_POLL_SECONDS), 1)


def _map_points(rows: list[selectors.MunicipalityProgress]) -> list[dict[str, Any]]:
    return [
        {
            "name": row.name,
            "lat": row.latitude,
            "lon": row.longitude,
            "people": row.people,
            "answered": row.answered,
            "need_help": row.need_help,
            "failed": row.failed,
        }
        for row in rows
        if row.latitude is not None and row.longitude is not None
    ]


def _live_context(
    request: HttpRequest,
    alert: Alert,
    filters: selectors.AudienceFilters,
    counts: selectors.DashboardCounts | None = None,
) -> dict[str, Any]:
    """What the live region shows: counts, the table, the unreached and who needs help."""
    counts = selectors.dashboard_counts(alert) if counts is None else counts
    rows = selectors.progress_by_municipality(alert, filters=filters)
    unreached = Paginator(selectors.unreached_people(alert), UNREACHED_PAGE_SIZE).get_page(
        request.GET.get("unreached")
    )
    unreached.object_list = selectors.describe_unreached(
        alert, list(unreached.object_list), filters=filters
    )
    need_help = Paginator(selectors.people_needing_help(alert), NEED_HELP_PAGE_SIZE).get_page(
        request.GET.get("help")
    )
    answers = list(need_help.object_list)
    names = selectors.organisation_names(
        alert, [answer.person_id for answer in answers], filters=filters
    )
    need_help_rows = [(answer, names.get(answer.person_id, "")) for answer in answers]
    by_answer = counts.by_answer
    states = [str(Delivery.State(state).label) for state in selectors.DASHBOARD_STATES]
    states.append(_("acknowledged"))
    return {
        "alert": alert,
        "counts": counts,
        "answer_rows": [
            (_("Safe"), by_answer.get(Answer.SAFE, 0)),
            (_("Need help"), by_answer.get(Answer.NEED_HELP, 0)),
            (_("Available to help"), by_answer.get(Answer.AVAILABLE, 0)),
            (_("No answer yet"), counts.unanswered),
        ],
        "states": states,
        "channel_rows": [
            (
                CHANNEL_LABELS.get(channel.channel, channel.channel),
                list(zip(states, channel.cells(), strict=True)),
            )
            for channel in counts.channels
        ],
        "rows": rows,
        "map_points": _map_points(rows),
        "unreached": unreached,
        "need_help": need_help,
        "need_help_rows": need_help_rows,
        "polling": alert.state != Alert.State.CANCELLED,
        "poll_seconds": _poll_seconds(),
        "page_query": _page_query(request),
        "live_url": reverse("alerts:live", args=[alert.pk]),
    }


def _page_query(request: HttpRequest) -> str:
    """The pages of the two lists, kept when the live region is fetched again."""
    keep = {key: request.GET[key] for key in ("unreached", "help") if request.GET.get(key)}
    return "&".join(f"{key}={value}" for key, value in keep.items() if value.isdigit())


def _may_cancel(
    request: HttpRequest, alert: Alert, filters: selectors.AudienceFilters, area: set[int]
) -> bool:
    """``actions.cancel_alert``'s own check: who may send to the alert's area and audience."""
    audience = filters.municipalities | area
    return policy.can_write_alerts(request.user) and policy.can_send_alert(request.user, audience)


@never_cache
@login_required
@require_GET
def dashboard(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.get_alert_for_user(request.user, alert_id)
    area = list(alert.municipalities.all())
    filters = selectors.alert_filters(alert)
    context = _live_context(request, alert, filters)
    context.update(
        {
            "area": area,
            "can_cancel": alert.state != Alert.State.CANCELLED
            and _may_cancel(request, alert, filters, {m.pk for m in area}),
            "can_follow_up": alert.sent is not None and policy.can_write_alerts(request.user),
        }
    )
    return vary_on_htmx(render(request, "alerts/dashboard.html", context))


@never_cache
@login_required
@require_GET
def live(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The dashboard's live region alone (HTMX polls it); with the summary line out of band
    when the counts it reads out changed since ``?said=``; nothing (204) when nothing changed
    since ``?seen=``."""
    alert = selectors.get_alert_for_user(request.user, alert_id)
    counts = selectors.dashboard_counts(alert)
    if request.GET.get("seen") == counts.version:
        # Nothing changed: HTMX swaps nothing (focus and reading position stay).
        return HttpResponse(status=204)
    context = _live_context(request, alert, selectors.alert_filters(alert), counts)
    context["announce"] = request.GET.get("said") != counts.signature
    return render(request, "alerts/_live_update.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _unreached_rows(alert: Alert) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(
        [_("Name"), _("Organisation"), _("Phone"), _("Email"), _("Reason"), _("Last error")]
    )
    filters = selectors.alert_filters(alert)
    unreached = selectors.unreached_people(alert).iterator(chunk_size=CSV_CHUNK)
    while chunk := list(itertools.islice(unreached, CSV_CHUNK)):
        yield from _unreached_lines(
            writer, selectors.describe_unreached(alert, chunk, filters=filters)
        )


def _unreached_lines(writer: Any, people: list[Any]) -> Iterator[str]:
    for person in people:  # annotated: all_failed, organisation_name, last_error
        yield writer.writerow(
            [
                safe_cell(text or "")
                for text in (
                    person.full_name,
                    person.organisation_name,
                    person.phone,
                    person.email,
                    _("every message failed") if person.all_failed else _("not answered"),
                    person.last_error if person.all_failed else "",
                )
            ]
        )


@never_cache
@login_required
@require_GET
def unreached_csv(request: HttpRequest, alert_id: int) -> StreamingHttpResponse:
    """Everyone not reached yet, as a CSV file (the page shows them a page at a time)."""
    alert = selectors.get_alert_for_user(request.user, alert_id)
    response = StreamingHttpResponse(_unreached_rows(alert), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="alert-{alert.pk}-unreached.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Cancel an alert after a confirmation: queued messages are stopped, answers close."""
    alert = selectors.get_alert_for_user(request.user, alert_id)
    area = set(alert.municipalities.values_list("id", flat=True))
    if not _may_cancel(request, alert, selectors.alert_filters(alert), area):
        raise PermissionDenied
    if request.method == "POST":
        try:
            stopped = actions.cancel_alert(request.user, alert=alert)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ngettext(
                    "The alert is cancelled; %(count)d queued message was stopped.",
                    "The alert is cancelled; %(count)d queued messages were stopped.",
                    stopped,
                )
                % {"count": stopped},
            )
        return redirect("alerts:detail", alert_id=alert.pk)
    if alert.state == Alert.State.CANCELLED:
        return redirect("alerts:detail", alert_id=alert.pk)
    return render(request, "alerts/dashboard_cancel.html", {"alert": alert})
