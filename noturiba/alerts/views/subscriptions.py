"""CAP subscriptions (coordinators): list with each one's polling status, add, pause/resume,
delete, poll now."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from noturiba.accounts import policy
from noturiba.alerts import cap_tasks
from noturiba.alerts.models import CapSubscription
from noturiba.network.views.common import attach_errors


def _check_manager(request: HttpRequest) -> None:
    if not policy.can_manage_cap_subscriptions(request.user):
        raise PermissionDenied


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    url = forms.URLField(
        label=gettext_lazy("Address of the feed or CAP file"),
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy("An Atom or RSS feed of CAP alerts, or a single CAP 1.2 file."),
    )
    poll_minutes = forms.IntegerField(
        label=gettext_lazy("Poll every (minutes)"), min_value=1, max_value=7 * 24 * 60, initial=5
    )

    def clean_poll_minutes(self) -> int:
        minutes: int = self.cleaned_data["poll_minutes"]
        if minutes * 60 < settings.CAP_POLL_MINIMUM_SECONDS:
            raise ValidationError(
                _("Poll at most every %(seconds)s seconds.")
                % {"seconds": settings.CAP_POLL_MINIMUM_SECONDS},
                code="too_often",
            )
        return minutes


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    _check_manager(request)
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cap_tasks.add_subscription(
                request.user,
                name=form.cleaned_data["name"],
                url=form.cleaned_data["url"],
                poll_every=datetime.timedelta(minutes=form.cleaned_data["poll_minutes"]),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "poll_every" in error.error_dict:
                error.error_dict["poll_minutes"] = error.error_dict.pop("poll_every")
            attach_errors(form, error)
        else:
            messages.success(request, _("Subscribed. The first poll runs within a minute."))
            return redirect("alerts:subscriptions")
    return render(
        request,
        "alerts/subscription_list.html",
        {
            "subscriptions": CapSubscription.objects.all(),
            "form": form,
            "minimum_seconds": settings.CAP_POLL_MINIMUM_SECONDS,
        },
        status=400 if request.method == "POST" else 200,
    )


def _subscription(request: HttpRequest, pk: int) -> CapSubscription:
    _check_manager(request)
    return get_object_or_404(CapSubscription, pk=pk)


@login_required
@require_POST
def subscription_pause(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    active = request.POST.get("active") == "1"
    cap_tasks.set_subscription_active(request.user, subscription=subscription, active=active)
    messages.success(request, _("Polling resumed.") if active else _("Polling paused."))
    return redirect("alerts:subscriptions")


@login_required
@require_POST
def subscription_poll(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    cap_tasks.request_poll(request.user, subscription=subscription)
    messages.success(request, _("A poll was queued; reload this page in a moment."))
    return redirect("alerts:subscriptions")


@login_required
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    if request.method == "POST":
        cap_tasks.delete_subscription(request.user, subscription=subscription)
        messages.success(request, _("The subscription was deleted."))
        return redirect("alerts:subscriptions")
    return render(request, "alerts/subscription_delete.html", {"subscription": subscription})
