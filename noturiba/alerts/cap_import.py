"""Receiving CAP alerts from outside: a subscription's poll, an upload or the API.

:func:`import_cap` parses the document safely (``noturiba.lib.cap.parse``: bounded size, no
DTD or entities, the CAP 1.2 schema and rules) and stores it as one :class:`ExternalAlert`.
The same alert — identifier, sender and sent — is stored once: importing it again returns the
stored row. An Update or Cancel is linked to the alerts it references that are known; the
references not (yet) known are kept as text and linked when their alert arrives later. A Cancel
marks the alerts it references *cancelled* (only alerts of the same sender: nobody cancels
another sender's alert).

The reads for the pages and the API (who may see received alerts) are here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from lxml import etree

from noturiba.accounts import policy
from noturiba.alerts.actions import create_alert, send_alert
from noturiba.alerts.models import Alert, CapSubscription, ExternalAlert
from noturiba.alerts.selectors import AudienceFilters
from noturiba.audit.actions import record_audit
from noturiba.audit.models import AuditEntry
from noturiba.lib import cap
from noturiba.lib.cap import CapError, ErrorCode
from noturiba.lib.cap.formats import format_datetime, format_references, parse_references
from noturiba.lib.cap.safexml import parse_untrusted_xml
from noturiba.network.models import Municipality

_LONGEST_KEY = 500  # identifier and sender columns


@dataclass(frozen=True)
class ImportResult:
    """The stored alert, and whether this import stored it (False: it was already there)."""

    alert: ExternalAlert
    created: bool


@transaction.atomic
def import_cap(
    actor: policy.Actor,
    *,
    data: bytes,
    source: ExternalAlert.Source,
    subscription: CapSubscription | None = None,
) -> ImportResult:
    """Store the CAP 1.2 alert in ``data``, or raise CapError saying why it is refused.

    Uploads and the API need ``policy.can_import_cap``; a subscription's poll runs as the
    system (``actor`` None, ``source`` FEED). Nothing is stored when the document is refused.
    """
    if actor is None:
        if source != ExternalAlert.Source.FEED:
            raise PermissionDenied(_("You may not import CAP alerts."))
    elif not policy.can_import_cap(actor):
        raise PermissionDenied(_("You may not import CAP alerts."))
    parsed = cap.parse(data)
    _check_keys(parsed)
    existing = _find(parsed.as_reference())
    if existing is not None:
        return ImportResult(alert=existing, created=False)
    external = _external_alert(parsed, data, source, subscription, actor)
    try:
        with transaction.atomic():
            external.save()
    except IntegrityError:
        # Another import of the same alert won the race: that one is the stored alert.
        existing = _find(parsed.as_reference())
        if existing is None:
            raise
        return ImportResult(alert=existing, created=False)
    unresolved = _link_references(actor, external, parsed)
    if unresolved:
        external.references_text = format_references(tuple(unresolved))
        external.save(update_fields=["references_text"])
    _link_followups(actor, external)
    record_audit(
        actor,
        action=AuditEntry.Action.IMPORT,
        instance=external,
        changes={
            "identifier": [None, external.identifier],
            "sender": [None, external.sender],
            "sent": [None, format_datetime(parsed.sent)],
            "msg_type": [None, external.msg_type],
            "source": [None, external.source],
            "subscription": [None, subscription.pk if subscription else None],
        },
    )
    return ImportResult(alert=external, created=True)


def _check_keys(parsed: cap.Alert) -> None:
    for name, value in (("identifier", parsed.identifier), ("sender", parsed.sender)):
        if len(value) > _LONGEST_KEY:
            raise CapError(
                f"The {name} is {len(value)} characters long; at most {_LONGEST_KEY} are accepted.",
                code=ErrorCode.RULE_BROKEN,
            )


def _find(identity: cap.Reference) -> ExternalAlert | None:
    return ExternalAlert.objects.filter(
        identifier=identity.identifier, sender=identity.sender, sent=identity.sent
    ).first()


def choose_info(parsed: cap.Alert) -> cap.Info | None:
    """The info block shown: Latvian if there is one, else English (CAP's default), else the
    first."""
    infos = parsed.infos
    for prefix in ("lv", "en"):
        for info in infos:
            if (info.language or "en-US").lower().startswith(prefix):
                return info
    return infos[0] if infos else None


def _cut(text: str | None, length: int) -> str:
    return (text or "")[:length]


def _raw_text(data: bytes) -> str:
    """The document as text: as sent when it is UTF-8, else re-serialised from its tree."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        root = parse_untrusted_xml(data)
        return str(etree.tostring(root, encoding="unicode"))


def _external_alert(
    parsed: cap.Alert,
    data: bytes,
    source: ExternalAlert.Source,
    subscription: CapSubscription | None,
    actor: policy.Actor,
) -> ExternalAlert:
    info = choose_info(parsed)
    external = ExternalAlert(
        identifier=parsed.identifier,
        sender=parsed.sender,
        sent=parsed.sent,
        status=parsed.status.value,
        msg_type=parsed.msg_type.value,
        scope=parsed.scope.value,
        xml=_raw_text(data),
        source=source,
        subscription=subscription,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if info is not None:
        external.language = _cut(info.language, 20)
        external.event = _cut(info.event, 500)
        external.category = _cut(" ".join(c.value for c in info.categories), 100)
        external.urgency = info.urgency.value
        external.severity = info.severity.value
        external.certainty = info.certainty.value
        external.headline = _cut(info.headline, 500)
        external.description = info.description or ""
        external.instruction = info.instruction or ""
        external.web = _cut(info.web, 500)
        external.area_desc = "; ".join(area.area_desc for area in info.areas if area.area_desc)
        external.effective = info.effective
        external.expires = info.expires
    return external


def _link_references(
    actor: policy.Actor, external: ExternalAlert, parsed: cap.Alert
) -> list[cap.Reference]:
    """Link the known alerts ``parsed`` refers to; return the references not known yet."""
    unresolved: list[cap.Reference] = []
    for reference in parsed.references:
        earlier = _find(reference)
        if earlier is None or earlier.pk == external.pk:
            if earlier is None:
                unresolved.append(reference)
            continue
        external.references.add(earlier)
        if external.msg_type == cap.MsgType.CANCEL:
            _cancel(actor, earlier, by=external)
    return unresolved


def _link_followups(actor: policy.Actor, external: ExternalAlert) -> None:
    """Updates and Cancels that arrived before ``external`` and refer to it get linked now."""
    marker = f"{external.sender},{external.identifier},"
    for followup in ExternalAlert.objects.filter(references_text__contains=marker).exclude(
        pk=external.pk
    ):
        try:
            references = parse_references(followup.references_text)
        except CapError:
            continue
        still_unknown = []
        for reference in references:
            if (reference.sender, reference.identifier) == (
                external.sender,
                external.identifier,
            ) and reference.sent == external.sent:
                followup.references.add(external)
                if followup.msg_type == cap.MsgType.CANCEL:
                    _cancel(actor, external, by=followup)
            else:
                still_unknown.append(reference)
        followup.references_text = format_references(tuple(still_unknown))
        followup.save(update_fields=["references_text"])


def _cancel(actor: policy.Actor, alert: ExternalAlert, *, by: ExternalAlert) -> None:
    if alert.cancelled or alert.sender != by.sender:
        return
    alert.cancelled = True
    alert.save(update_fields=["cancelled"])
    record_audit(
        actor,
        action=AuditEntry.Action.UPDATE,
        instance=alert,
        changes={"cancelled": [False, True], "cancelled_by": [None, by.identifier]},
    )


# --- Relaying to the network ----------------------------------------------------------------


def _value_in(enum: type[StrEnum], value: str, default: StrEnum) -> str:
    return value if value in {member.value for member in enum} else default.value


@transaction.atomic
def relay_external_alert(
    actor: policy.Actor,
    *,
    external: ExternalAlert,
    municipalities: Iterable[Municipality],
    audience: AudienceFilters | None = None,
) -> Alert:
    """Send a received alert on to the network in one step: a new alert (ours, relaying
    ``external``) to the people of ``municipalities`` (and ``audience``'s other filters), sent.

    The texts and CAP fields are the received ones (values CAP allows us); the status stays
    Exercise or Test when it was one, else Actual. Officers relay only within their
    jurisdiction (``create_alert`` and ``send_alert`` check).
    """
    if not policy.can_view_external_alerts(actor):
        raise PermissionDenied(_("You may not relay received alerts."))
    if external.cancelled:
        raise ValidationError(_("This alert was cancelled by its sender."), code="cancelled")
    if external.is_expired():
        raise ValidationError(_("This alert has expired."), code="expired")
    area = list(municipalities)
    if not area:
        raise ValidationError(
            {"municipalities": _("Choose at least one municipality.")}, code="required"
        )
    filters = replace(
        audience or AudienceFilters(),
        municipalities=frozenset(m.pk for m in area),
    )
    alert = create_alert(actor, data=relay_data(external), municipalities=area, audience=filters)
    alert.relayed_from = external
    alert.save(update_fields=["relayed_from"])
    send_alert(actor, alert=alert)
    return alert


def relay_data(external: ExternalAlert) -> dict[str, Any]:
    """Our alert's fields from a received one."""
    status = external.status if external.status in {"Exercise", "Test"} else "Actual"
    categories = external.category.split()
    headline = (external.headline or external.event or external.identifier)[:160]
    data: dict[str, Any] = {
        "status": status,
        "msg_type": "Alert",
        "category": _value_in(
            cap.Category, categories[0] if categories else "", cap.Category.SAFETY
        ),
        "event": (external.event or headline)[:200],
        "urgency": _value_in(cap.Urgency, external.urgency, cap.Urgency.IMMEDIATE),
        "severity": _value_in(cap.Severity, external.severity, cap.Severity.SEVERE),
        "certainty": _value_in(cap.Certainty, external.certainty, cap.Certainty.LIKELY),
        "headline": headline,
        "description": external.description,
        "instruction": external.instruction,
        "effective": external.effective,
        "expires": external.expires,
    }
    if (external.language or "en-US").lower().startswith("en"):
        data.update(
            headline_en=headline,
            description_en=external.description,
            instruction_en=external.instruction,
        )
    try:
        URLValidator(schemes=["http", "https"])(external.web)
    except ValidationError:
        pass
    else:
        if len(external.web) <= 200:  # Alert.web's length
            data["web"] = external.web
    if data["effective"] and data["expires"] and data["expires"] <= data["effective"]:
        data["effective"] = None
    return data


# --- Reads ---------------------------------------------------------------------------------


def external_alerts_for(actor: policy.Actor) -> QuerySet[ExternalAlert]:
    """Received alerts, newest first, with ``is_updated`` (an Update of it is known); none for
    those who may not see them."""
    if not policy.can_view_external_alerts(actor):
        return ExternalAlert.objects.none()
    updates = ExternalAlert.references.through.objects.filter(
        to_externalalert=OuterRef("pk"), from_externalalert__msg_type=cap.MsgType.UPDATE.value
    )
    return (
        ExternalAlert.objects.select_related("subscription")
        .annotate(is_updated=Exists(updates))
        .order_by("-sent", "-id")
    )


def get_external_alert_for_user(actor: policy.Actor, pk: int) -> ExternalAlert:
    """The received alert ``pk``, or 404 (also when ``actor`` may not see received alerts)."""
    alert = external_alerts_for(actor).filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert
