"""Writes for "who can help": inviting the best-ranked organisations to a request line.

``invite_organisations`` records an :class:`~noturiba.assistance.models.Invitation` for each of
the top N of the ranking not yet invited to the line, and sends ONE alert through the alerts
app's public actions (``create_alert`` + ``send_alert``) to the invited organisations' admins,
over their own channels. An invitation also makes the request visible to the organisation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from noturiba.accounts import policy
from noturiba.alerts.actions import create_alert, send_alert
from noturiba.alerts.models import Alert
from noturiba.alerts.selectors import AudienceFilters, matching_organisations
from noturiba.assistance.models import AssistanceRequest, Invitation, RequestLine
from noturiba.assistance.selectors.matching import rank_line
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Membership, Organisation, Unit

MAX_INVITED = 50


@dataclass
class InvitationResult:
    """What one click did: who was invited, who was skipped, and the alert sent to them."""

    invited: list[Invitation] = field(default_factory=list)
    already_invited: int = 0  # of the top N, invited before
    alert: Alert | None = None
    deliveries: int = 0
    awaiting_approval: bool = False  # two-person approval: the alert waits for a second sender
    not_reached: int = 0  # invited organisations the alert does not reach (outside its area)
    no_alert_reason: str = ""


def request_url(request: AssistanceRequest) -> str:
    """The absolute address of the request's page."""
    return urljoin(settings.PUBLIC_URL, reverse("assistance:detail", args=[request.pk]))


def _quantity(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _alert_texts(line: RequestLine, language: str) -> dict[str, str]:
    request = line.request
    with translation.override(language):
        values = {
            "capability": line.capability.name,
            "quantity": _quantity(line.quantity - line.claimed),
            "unit": str(Unit(line.unit).label),
            "municipality": request.municipality.name,
            "title": request.title,
            "url": request_url(request),
        }
        return {
            "headline": _("Help asked: %(capability)s, %(quantity)s %(unit)s in %(municipality)s")
            % values,
            "description": _(
                "Your organisation is among the best placed to help with “%(title)s”: "
                "%(capability)s, %(quantity)s %(unit)s still needed in %(municipality)s."
            )
            % values,
            "instruction": _("See the request and offer what you can: %(url)s") % values,
        }


def _alert_data(line: RequestLine) -> dict[str, object]:
    request = line.request
    lv, en = _alert_texts(line, "lv"), _alert_texts(line, "en")
    return {
        "status": "Actual",
        "msg_type": "Alert",
        # CAP's "Rescue" (rescue and recovery): the network is asked to help, not warned.
        "category": "Rescue",
        "event": str(_("Assistance request"))[:200],
        "urgency": request.urgency,
        "severity": "Moderate",
        "certainty": "Observed",
        "headline": lv["headline"][:160],
        "description": lv["description"],
        "instruction": lv["instruction"],
        "headline_en": en["headline"][:160],
        "description_en": en["description"],
        "instruction_en": en["instruction"],
        "web": request_url(request),
    }


@transaction.atomic
def invite_organisations(actor: policy.Actor, *, line: RequestLine, count: int) -> InvitationResult:
    """Invite the ``count`` best-ranked organisations for ``line`` (those already invited are
    skipped, so a second click does not invite more) and alert their admins once."""
    request = line.request
    if not policy.can_manage_request(
        actor, municipality_id=request.municipality_id, created_by_id=request.created_by_id
    ):
        raise PermissionDenied(_("You may not invite organisations to this request."))
    if not 1 <= count <= MAX_INVITED:
        raise ValidationError(
            {"count": _("Invite between 1 and %(max)s organisations.") % {"max": MAX_INVITED}}
        )
    if request.state != AssistanceRequest.State.OPEN:
        raise ValidationError(_("This request is no longer open."), code="not_open")
    # The line's row lock serialises two clicks at once (and sees the latest claimed quantity).
    locked = (
        RequestLine.objects.select_for_update(of=("self",))
        .select_related("request__municipality", "capability")
        .get(pk=line.pk)
    )
    result = InvitationResult()
    matches = rank_line(locked, limit=count)
    if not matches:
        return result
    already = set(Invitation.objects.filter(line=locked).values_list("organisation_id", flat=True))
    fresh = [match for match in matches if match.organisation_id not in already]
    result.already_invited = len(matches) - len(fresh)
    if not fresh:
        return result
    ids = frozenset(match.organisation_id for match in fresh)
    result.alert = _alert_invited(actor, line=locked, organisation_ids=ids, result=result)
    invitations = [
        Invitation(
            line=locked,
            organisation_id=match.organisation_id,
            rank=match.rank,
            score=Decimal(str(match.score)).quantize(Decimal("0.01")),
            alert=result.alert,
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for match in fresh
    ]
    result.invited = Invitation.objects.bulk_create(invitations)
    for invitation, match in zip(result.invited, fresh, strict=True):
        record_audit(
            actor,
            action=AuditEntry.Action.CREATE,
            instance=invitation,
            changes={
                "line": [None, locked.pk],
                "organisation": [None, match.organisation_id],
                "rank": [None, match.rank],
                "score": [None, str(invitation.score)],
                "alert": [None, result.alert.pk if result.alert else None],
            },
        )
    return result


def _alert_invited(
    actor: policy.Actor,
    *,
    line: RequestLine,
    organisation_ids: frozenset[int],
    result: InvitationResult,
) -> Alert | None:
    """Create and send the one alert to the invited organisations' admins; None (with the
    reason on ``result``) when the actor may not alert the request's municipality."""
    request = line.request
    area = {request.municipality_id}
    if not policy.can_write_alerts(actor) or not policy.can_send_alert(actor, area):
        result.no_alert_reason = _(
            "No alert was sent: you may not send alerts to the request's municipality. The "
            "invited organisations see the request in their list."
        )
        return None
    # The audience reaches organisations seated in or covering its municipalities: where the
    # actor may alert them all (coordinators, national officers), name every municipality the
    # invited organisations are in; otherwise (an officer) only the request's.
    places = set(
        Organisation.objects.filter(pk__in=organisation_ids, municipality__isnull=False)
        .values_list("municipality_id", flat=True)
        .distinct()
    ) | set(
        Organisation.municipalities.through.objects.filter(organisation_id__in=organisation_ids)
        .values_list("municipality_id", flat=True)
        .distinct()
    )
    wide = area | places
    reach = wide if policy.can_send_alert(actor, wide) else area
    audience = AudienceFilters(
        municipalities=frozenset(reach),
        organisations=organisation_ids,
        roles=frozenset({Membership.Role.ADMIN.value}),
    )
    reached = matching_organisations(audience).filter(pk__in=organisation_ids).count()
    result.not_reached = len(organisation_ids) - reached
    alert = create_alert(
        actor,
        data=_alert_data(line),
        municipalities=[request.municipality],
        audience=audience,
    )
    result.deliveries = send_alert(actor, alert=alert)
    result.awaiting_approval = alert.state == Alert.State.AWAITING_APPROVAL
    return alert
