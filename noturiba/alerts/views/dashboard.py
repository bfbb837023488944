"""Watching an alert: the list of alerts a writer may follow and one alert's live dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from noturiba.accounts import policy
from noturiba.alerts import selectors


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_write_alerts(request.user):
        raise PermissionDenied
    return render(request, "alerts/list.html", {})


@login_required
def dashboard(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.get_alert_for_user(request.user, alert_id)
    return render(
        request,
        "alerts/dashboard.html",
        {"alert": alert, "progress": selectors.alert_progress(alert)},
    )
