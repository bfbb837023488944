"""Writing and sending an alert: the compose page, the live audience count, the review page,
editing a draft, the send confirmation and the second person's approval."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from noturiba.accounts import policy
from noturiba.alerts import actions, selectors
from noturiba.alerts.forms import AlertForm, AudienceForm
from noturiba.alerts.models import CONTENT_FIELDS, Alert, AlertTemplate, SavedList
from noturiba.alerts.selectors import AudienceFilters
from noturiba.network import selectors as network_selectors
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Municipality,
    Organisation,
    Person,
    TargetGroup,
)
from noturiba.network.views.common import attach_errors, vary_on_htmx, wants_partial

UNREACHABLE_SHOWN = 20
FOLLOW_UP_TYPES = {"Update", "Cancel"}
COPIED_FIELDS = (
    "status",
    "scope",
    "category",
    "event",
    "urgency",
    "severity",
    "certainty",
    "headline",
    "description",
    "instruction",
    "headline_en",
    "description_en",
    "instruction_en",
    "web",
    "area_polygon",
    "area_circle",
)
TEMPLATE_FIELDS = CONTENT_FIELDS


def _require_writer(request: HttpRequest) -> None:
    if not policy.can_write_alerts(request.user):
        raise PermissionDenied


def _follow_up_choices(request: HttpRequest) -> Any:
    """Alerts an Update or Cancel may refer to: sent ones the writer may follow."""
    return selectors.visible_alerts(request.user).filter(
        state__in=[Alert.State.SENDING, Alert.State.SENT]
    )


def _alert_form(request: HttpRequest, data: QueryDict | None, **kwargs: Any) -> AlertForm:
    return AlertForm(
        data,
        municipalities=selectors.alert_area_choices(request.user),
        references=_follow_up_choices(request),
        **kwargs,
    )


def _audience_form(request: HttpRequest, data: QueryDict | None, **kwargs: Any) -> AudienceForm:
    return AudienceForm(
        data,
        municipalities=selectors.alert_area_choices(request.user),
        target_groups=network_selectors.target_groups(),
        capabilities=network_selectors.capability_catalogue(),
        organisations=selectors.audience_organisations(request.user),
        lists=selectors.saved_lists_for(request.user),
        **kwargs,
    )


def _id(value: str) -> int | None:
    """A row id typed into a URL or form, or None (also for numbers no database row has)."""
    return int(value) if value.isdigit() and len(value) <= 18 else None


def _area_ids(request: HttpRequest, data: QueryDict) -> frozenset[int]:
    """The area municipalities of a submitted form, only those the writer may choose."""
    wanted = {number for value in data.getlist("municipalities") if (number := _id(value))}
    allowed = selectors.alert_area_choices(request.user).filter(pk__in=wanted)
    return frozenset(allowed.values_list("pk", flat=True))


def audience_context(
    request: HttpRequest, filters: AudienceFilters, area: frozenset[int]
) -> dict[str, Any]:
    """What the audience box shows: people, deliveries per channel, who cannot be reached.

    Officers count only within their jurisdiction (the same rule as sending).
    """
    if not policy.can_send_alert(request.user, area | filters.municipalities):
        return {"audience_refused": True}
    effective = selectors.with_area(filters, area)
    summary = selectors.summarise_audience(effective)
    unreachable: list[tuple[Person, bool]] = []
    if summary.unreachable:
        shown = list(
            selectors.unreachable_people(effective).only("id", "full_name")[:UNREACHABLE_SHOWN]
        )
        visible = set(
            policy.visible_people(
                request.user, Person.objects.filter(pk__in=[p.pk for p in shown])
            ).values_list("pk", flat=True)
        )
        unreachable = [(person, person.pk in visible) for person in shown]
    return {
        "summary": summary,
        "channels": sorted(summary.by_channel.items()),
        "unreachable": unreachable,
        "unreachable_more": max(summary.unreachable - len(unreachable), 0),
        "everyone": not effective.has_criteria and not effective.lists,
    }


def _initial(request: HttpRequest) -> tuple[dict[str, Any], AudienceFilters, str]:
    """Pre-filled values from ``?references=`` (a follow-up) and ``?template=``."""
    initial: dict[str, Any] = {}
    audience = AudienceFilters()
    notice = ""
    reference = request.GET.get("references", "")
    reference_id = _id(reference)
    earlier = _follow_up_choices(request).filter(pk=reference_id).first() if reference_id else None
    if earlier is not None:
        initial.update({key: getattr(earlier, key) for key in COPIED_FIELDS})
        initial["municipalities"] = list(earlier.municipalities.values_list("pk", flat=True))
        initial["references"] = earlier.pk
        initial["msg_type"] = "Update"
        audience = AudienceFilters.from_json(earlier.audience or {})
        if earlier.escalate_after is not None:
            initial["escalate_after_minutes"] = int(earlier.escalate_after.total_seconds() // 60)
    elif reference:
        notice = _("The alert to follow up was not found among the alerts you may update.")
    key = request.GET.get("template", "")
    template = AlertTemplate.objects.filter(key=key).first() if key else None
    if template is not None:
        initial.update({name: getattr(template, name) for name in TEMPLATE_FIELDS})
        if earlier is not None and template.msg_type == "Alert":
            initial["msg_type"] = "Update"
    if request.GET.get("msg_type") in FOLLOW_UP_TYPES and earlier is not None:
        initial["msg_type"] = request.GET["msg_type"]
    return initial, audience, notice


def _compose_context(request: HttpRequest, **context: Any) -> dict[str, Any]:
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "lv"
    templates = [(t.key, t.name_in(language)) for t in AlertTemplate.objects.all()]
    return {"templates": templates, **context}


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest) -> HttpResponse:
    """Write an alert and choose its audience; "Save draft" leads to the review page."""
    _require_writer(request)
    if request.method == "POST":
        form = _alert_form(request, request.POST)
        audience_form = _audience_form(request, request.POST)
        counted: dict[str, Any] = {}
        if request.POST.get("action") == "count":
            # Counting checks only the audience: the alert is shown again as it was typed.
            if audience_form.is_valid():
                counted = audience_context(
                    request, audience_form.filters(), _area_ids(request, request.POST)
                )
            return render(
                request,
                "alerts/compose.html",
                _compose_context(
                    request,
                    form=_alert_form(request, None, initial=_submitted(request.POST)),
                    audience_form=audience_form,
                    counted=True,
                    **counted,
                ),
            )
        if all([form.is_valid(), audience_form.is_valid()]):
            try:
                alert = actions.create_alert(
                    request.user,
                    data=form.action_data(),
                    municipalities=form.cleaned_data["municipalities"],
                    audience=audience_form.filters(),
                )
            except PermissionDenied as error:
                form.add_error(None, str(error) or _("You may not send an alert to this area."))
            except ValidationError as error:
                attach_errors(form, error)
            else:
                messages.success(request, _("The draft is saved. Check it before sending."))
                return redirect("alerts:review", alert_id=alert.pk)
        status = 200 if not (form.errors or audience_form.errors) else 400
        return render(
            request,
            "alerts/compose.html",
            _compose_context(request, form=form, audience_form=audience_form),
            status=status,
        )
    initial, audience, notice = _initial(request)
    if notice:
        messages.warning(request, notice)
    return render(
        request,
        "alerts/compose.html",
        _compose_context(
            request,
            form=_alert_form(request, None, initial=initial),
            audience_form=_audience_form(request, None, initial=AudienceForm.initial_for(audience)),
        ),
    )


def _submitted(data: QueryDict) -> dict[str, Any]:
    """A submitted alert form as initial values (re-shown unchecked after counting)."""
    values: dict[str, Any] = {key: data.get(key) for key in data if key != "municipalities"}
    values["municipalities"] = data.getlist("municipalities")
    return values


@login_required
@require_safe
def audience(request: HttpRequest) -> HttpResponse:
    """The live count (an HTMX fragment; the whole compose page for a plain request)."""
    _require_writer(request)
    form = _audience_form(request, request.GET)
    context: dict[str, Any] = {"counted": True}
    if form.is_valid():
        context.update(audience_context(request, form.filters(), _area_ids(request, request.GET)))
    else:
        context["audience_invalid"] = True
    if not wants_partial(request):
        return redirect("alerts:compose")
    return vary_on_htmx(render(request, "alerts/_audience.html", context))


def _draft_for_writer(request: HttpRequest, alert_id: int) -> Alert:
    alert = selectors.get_alert_for_user(request.user, alert_id)
    area = set(alert.municipalities.values_list("id", flat=True))
    filters = selectors.alert_filters(alert)
    if not policy.can_write_alerts(request.user) or not policy.can_send_alert(
        request.user, area | filters.municipalities
    ):
        raise PermissionDenied
    return alert


@login_required
@require_safe
def review(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The alert as it will go out (Latvian and English) and whom it reaches."""
    alert = selectors.get_alert_for_user(request.user, alert_id)
    area = frozenset(alert.municipalities.values_list("id", flat=True))
    filters = selectors.alert_filters(alert)
    may_send = policy.can_write_alerts(request.user) and policy.can_send_alert(
        request.user, area | filters.municipalities
    )
    context: dict[str, Any] = {
        "alert": alert,
        "area": list(alert.municipalities.all()),
        "may_send": may_send and alert.state == Alert.State.DRAFT,
        "may_approve": alert.state == Alert.State.AWAITING_APPROVAL
        and policy.can_approve_alert(
            request.user,
            created_by_id=alert.created_by_id,
            municipalities=area | filters.municipalities,
        ),
        "needs_approval": alert.status == "Actual" and _approval_on(),
        "audience_filters": describe_audience(filters),
        "escalate_minutes": int(alert.escalate_after.total_seconds() // 60)
        if alert.escalate_after
        else 0,
    }
    if alert.state in {Alert.State.DRAFT, Alert.State.AWAITING_APPROVAL}:
        context.update(audience_context(request, filters, area))
        context["counted"] = True
    return render(request, "alerts/review.html", context)


def _approval_on() -> bool:
    return bool(settings.ALERT_TWO_PERSON_APPROVAL)


def describe_audience(filters: AudienceFilters) -> list[tuple[str, list[str]]]:
    """The audience's filters as (label, names) rows for the review page."""

    def names(model: Any, ids: frozenset[int]) -> list[str]:
        return sorted(str(row) for row in model.objects.filter(pk__in=ids)) if ids else []

    roles = dict(Membership.Role.choices)
    rows = [
        (_("Municipalities"), names(Municipality, filters.municipalities)),
        (_("Target groups served"), names(TargetGroup, filters.target_groups)),
        (_("Capabilities offered"), names(CapabilityType, filters.capabilities)),
        (_("Organisations"), names(Organisation, filters.organisations)),
        (_("Roles"), sorted(str(roles.get(role, role)) for role in filters.roles)),
        (_("Saved lists"), names(SavedList, filters.lists)),
    ]
    return [(label, values) for label, values in rows if values]


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Change a draft (nothing else changes)."""
    alert = _draft_for_writer(request, alert_id)
    if alert.state != Alert.State.DRAFT:
        messages.warning(request, _("Only a draft can be changed."))
        return redirect("alerts:review", alert_id=alert.pk)
    data = request.POST if request.method == "POST" else None
    # The form validates its own copy, so the action still compares against stored values.
    copy = Alert.objects.get(pk=alert.pk)
    form = _alert_form(request, data, instance=copy)
    audience_form = _audience_form(
        request,
        data,
        initial=AudienceForm.initial_for(AudienceFilters.from_json(alert.audience or {})),
    )
    if data is not None and all([form.is_valid(), audience_form.is_valid()]):
        try:
            actions.update_alert(
                request.user,
                alert=alert,
                data=form.action_data(),
                municipalities=form.cleaned_data["municipalities"],
                audience=audience_form.filters(),
            )
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You may not send an alert to this area."))
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Check it before sending."))
            return redirect("alerts:review", alert_id=alert.pk)
    status = 400 if data is not None else 200
    return render(
        request,
        "alerts/compose.html",
        _compose_context(request, form=form, audience_form=audience_form, alert=alert),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Ask for confirmation (stating how many people), then send: to the dashboard."""
    alert = _draft_for_writer(request, alert_id)
    if alert.state != Alert.State.DRAFT:
        messages.warning(request, _("This alert has already been sent."))
        return redirect("alerts:review", alert_id=alert.pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            count = actions.send_alert(request.user, alert=alert)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("alerts:review", alert_id=alert.pk)
        if alert.state == Alert.State.AWAITING_APPROVAL:
            messages.info(request, _("The alert waits for another person's approval."))
            return redirect("alerts:review", alert_id=alert.pk)
        messages.success(
            request, _("The alert is being sent: %(count)d messages.") % {"count": count}
        )
        return redirect("alerts:detail", alert_id=alert.pk)
    summary = selectors.summarise_audience(selectors.alert_filters(alert))
    return render(
        request,
        "alerts/compose_confirm.html",
        {
            "alert": alert,
            "summary": summary,
            "needs_approval": alert.status == "Actual" and _approval_on(),
        },
    )


@login_required
@require_POST
def approve(request: HttpRequest, alert_id: int) -> HttpResponse:
    """The second person approves: the alert goes out. Refusals are messages, not errors."""
    alert = selectors.get_alert_for_user(request.user, alert_id)
    try:
        count = actions.approve_alert(request.user, alert=alert)
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You may not approve this alert."))
        return redirect("alerts:review", alert_id=alert.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("alerts:review", alert_id=alert.pk)
    messages.success(
        request, _("Approved. The alert is being sent: %(count)d messages.") % {"count": count}
    )
    return redirect("alerts:detail", alert_id=alert.pk)
