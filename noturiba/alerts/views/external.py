"""CAP alerts received from outside: the list, one alert, an upload, and relaying one on.

For those who may see received alerts (``policy.can_view_external_alerts``: coordinators and
institution officers); everyone else gets 403.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from noturiba.accounts import policy
from noturiba.alerts import cap_import
from noturiba.alerts.models import Alert, CapSubscription, ExternalAlert
from noturiba.alerts.selectors import AudienceFilters
from noturiba.lib.cap import DEFAULT_MAX_BYTES, CapError
from noturiba.network.models import Municipality, TargetGroup
from noturiba.network.views.common import attach_errors, page_of

STATUS_FILTERS = {
    "active": gettext_lazy("in force"),
    "cancelled": gettext_lazy("cancelled"),
    "updated": gettext_lazy("updated"),
    "expired": gettext_lazy("expired"),
}


def _check_viewer(request: HttpRequest) -> None:
    if not policy.can_view_external_alerts(request.user):
        raise PermissionDenied


class ExternalFilterForm(forms.Form):
    subscription = forms.ModelChoiceField(
        label=gettext_lazy("Subscription"),
        queryset=CapSubscription.objects.all(),
        required=False,
        empty_label=gettext_lazy("all sources"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("all")), *STATUS_FILTERS.items()],
        required=False,
    )


def _filtered(alerts: QuerySet[ExternalAlert], form: ExternalFilterForm) -> QuerySet[ExternalAlert]:
    if not form.is_valid():
        return alerts
    now = timezone.now()
    if form.cleaned_data["subscription"] is not None:
        alerts = alerts.filter(subscription=form.cleaned_data["subscription"])
    status = form.cleaned_data["status"]
    if status == "cancelled":
        alerts = alerts.filter(cancelled=True)
    elif status == "updated":
        alerts = alerts.filter(is_updated=True)  # type: ignore[misc]
    elif status == "expired":
        alerts = alerts.filter(expires__lte=now)
    elif status == "active":
        alerts = alerts.filter(cancelled=False, is_updated=False).filter(  # type: ignore[misc]
            Q(expires__isnull=True) | Q(expires__gt=now)
        )
    return alerts


@login_required
def external_list(request: HttpRequest) -> HttpResponse:
    _check_viewer(request)
    form = ExternalFilterForm(request.GET or None)
    alerts = _filtered(cap_import.external_alerts_for(request.user), form)
    query = urlencode(
        [(key, str(value)) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(
        request,
        "alerts/external_list.html",
        {
            "form": form,
            "page": page_of(request, alerts),
            "query": query,
            "can_import": policy.can_import_cap(request.user),
            "can_manage_subscriptions": policy.can_manage_cap_subscriptions(request.user),
        },
    )


class RelayForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Municipalities"),
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The people of the network's organisations there receive it."),
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Only organisations serving these target groups (optional)"),
        queryset=TargetGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: object, actor: policy.Actor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        roles = policy.roles_of(actor)
        field = self.fields["municipalities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        if roles.coordinator:
            field.queryset = Municipality.objects.current().order_by("code")
        else:
            field.queryset = policy.officer_jurisdiction(actor).order_by("code")


def _detail_context(request: HttpRequest, alert: ExternalAlert) -> dict[str, object]:
    visible = cap_import.external_alerts_for(request.user)
    return {
        "alert": alert,
        "refers_to": visible.filter(followups=alert),
        "followups": visible.filter(references=alert),
        "unresolved": alert.references_text.split(),
        "relays": alert.relays.order_by("-created_at")[:20],
        "can_relay": not alert.cancelled and not alert.is_expired(),
    }


@login_required
def external_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check_viewer(request)
    alert = cap_import.get_external_alert_for_user(request.user, pk)
    context = _detail_context(request, alert)
    context["form"] = RelayForm(actor=request.user)
    return render(request, "alerts/external_detail.html", context)


@login_required
def external_download(request: HttpRequest, pk: int) -> HttpResponse:
    _check_viewer(request)
    alert = cap_import.get_external_alert_for_user(request.user, pk)
    response = HttpResponse(alert.xml.encode("utf-8"), content_type="application/cap+xml")
    response["Content-Disposition"] = f'attachment; filename="external-alert-{alert.pk}.xml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def external_relay(request: HttpRequest, pk: int) -> HttpResponse:
    _check_viewer(request)
    alert = cap_import.get_external_alert_for_user(request.user, pk)
    form = RelayForm(request.POST, actor=request.user)
    if form.is_valid():
        audience = AudienceFilters(
            target_groups=frozenset(group.pk for group in form.cleaned_data["target_groups"])
        )
        try:
            relayed = cap_import.relay_external_alert(
                request.user,
                external=alert,
                municipalities=form.cleaned_data["municipalities"],
                audience=audience,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            if relayed.state == Alert.State.AWAITING_APPROVAL:
                messages.info(
                    request,
                    _("The alert waits for a second person's approval before it goes out."),
                )
            else:
                messages.success(request, _("The alert was relayed to the network."))
            return redirect("alerts:detail", alert_id=relayed.pk)
    context = _detail_context(request, alert)
    context["form"] = form
    return render(request, "alerts/external_detail.html", context, status=400)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CAP file"),
        required=False,
        help_text=gettext_lazy("A CAP 1.2 XML document, at most 1 MB."),
    )
    xml = forms.CharField(
        label=gettext_lazy("… or paste the CAP XML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        text = cleaned.get("xml") or ""
        if upload is None and not str(text).strip():
            raise ValidationError(_("Choose a file or paste the CAP XML."), code="required")
        if upload is not None:
            if upload.size > DEFAULT_MAX_BYTES:
                raise ValidationError(
                    _("The file is %(size)s bytes; at most %(max)s are accepted.")
                    % {"size": upload.size, "max": DEFAULT_MAX_BYTES},
                    code="too_large",
                )
            cleaned["data"] = upload.read()
        else:
            cleaned["data"] = str(text).encode("utf-8")
        return cleaned


@login_required
def external_import(request: HttpRequest) -> HttpResponse:
    if not policy.can_import_cap(request.user):
        raise PermissionDenied
    refusal: CapError | None = None
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            result = cap_import.import_cap(
                request.user, data=form.cleaned_data["data"], source=ExternalAlert.Source.UPLOAD
            )
        except CapError as error:
            refusal = error
        else:
            if result.created:
                messages.success(request, _("The alert was imported."))
            else:
                messages.info(request, _("This alert had already been received."))
            return redirect("alerts:external_detail", pk=result.alert.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "alerts/external_import.html",
        {"form": form, "refusal": refusal, "max_bytes": DEFAULT_MAX_BYTES},
        status=status,
    )
