"""CAP to the world: who may fetch an alert's CAP file, and the public Atom feed of alerts.

The feed follows the OASIS practice for CAP feeds: an Atom 1.0 document (RFC 4287) whose
entries each link to one CAP 1.2 file (``rel="alternate" type="application/cap+xml"``).
It lists the public (CAP scope Public) alerts with status Actual that are sent and not expired,
Cancel messages included, so that subscribers learn of cancellations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from noturiba.accounts import policy
from noturiba.alerts import selectors
from noturiba.alerts.models import Alert
from noturiba.lib import cap
from noturiba.lib.cap.feed import ATOM_NAMESPACE
from noturiba.lib.cap.formats import format_datetime
from noturiba.lib.cap.model import Scope, Status

CAP_CONTENT_TYPE = "application/cap+xml"
FEED_CONTENT_TYPE = "application/atom+xml; charset=utf-8"
FEED_SIZE = 100

_PUBLISHED_STATES = (Alert.State.SENDING, Alert.State.SENT)


def get_cap_alert_for_user(actor: policy.Actor, alert_id: int) -> Alert:
    """The alert whose CAP file ``actor`` may fetch: a sent public Actual alert for anyone,
    any other only for those who may view it (Http404 otherwise, never leaking existence)."""
    alert = get_object_or_404(Alert, pk=alert_id)
    if policy.can_download_public_cap(
        status=alert.status,
        scope=alert.scope,
        sent=alert.sent is not None and alert.state != Alert.State.DRAFT,
    ):
        return alert
    return selectors.get_alert_for_user(actor, alert_id)


def cap_xml(alert: Alert) -> bytes:
    """The alert as a CAP 1.2 file (checked against the schema); a draft not yet sent says
    status Draft, so that it can never be relayed as an actual alert."""
    document = alert.to_cap()
    if alert.state == Alert.State.DRAFT:
        document = replace(document, status=cap.Status.DRAFT)
    return cap.to_xml(document)


def public_feed_alerts(now: datetime | None = None) -> list[Alert]:
    """The feed's alerts, newest first: public, Actual, sent and not yet expired."""
    moment = now or timezone.now()
    return list(
        Alert.objects.filter(
            status=Status.ACTUAL.value,
            scope=Scope.PUBLIC.value,
            state__in=_PUBLISHED_STATES,
            sent__isnull=False,
        )
        .filter(Q(expires__isnull=True) | Q(expires__gt=moment))
        .order_by("-sent", "-id")[:FEED_SIZE]
    )


def absolute_url(path: str) -> str:
    return urljoin(settings.PUBLIC_URL, path)


def cap_file_url(alert: Alert) -> str:
    return absolute_url(reverse("alerts:cap", args=[alert.pk]))


def feed_updated(alerts: Sequence[Alert]) -> datetime | None:
    """When the feed last changed: the newest alert's sending time (None when empty)."""
    return max((alert.sent for alert in alerts if alert.sent is not None), default=None)


def build_feed(alerts: Sequence[Alert], *, title: str, updated: datetime) -> bytes:
    """The Atom 1.0 document listing ``alerts``, each entry linking to its CAP file."""
    feed_url = absolute_url(reverse("cap_feed"))
    feed = etree.Element(f"{{{ATOM_NAMESPACE}}}feed", nsmap={None: ATOM_NAMESPACE})
    _add(feed, "id", feed_url)
    _add(feed, "title", title)
    _add(feed, "updated", format_datetime(updated.replace(microsecond=0)))
    _link(feed, rel="self", type="application/atom+xml", href=feed_url)
    for alert in alerts:
        entry = etree.SubElement(feed, f"{{{ATOM_NAMESPACE}}}entry")
        cap_url = cap_file_url(alert)
        _add(entry, "id", cap_url)
        _add(entry, "title", alert.headline)
        sent = alert.sent or alert.created_at
        _add(entry, "updated", format_datetime(sent.replace(microsecond=0)))
        author = etree.SubElement(entry, f"{{{ATOM_NAMESPACE}}}author")
        _add(author, "name", alert.sender)
        if alert.description:
            _add(entry, "summary", alert.description)
        _link(entry, rel="alternate", type=CAP_CONTENT_TYPE, href=cap_url)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _add(parent: etree._Element, name: str, text: str) -> None:
    etree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}{name}").text = text


def _link(parent: etree._Element, **attributes: str) -> None:
    etree.SubElement(parent, f"{{{ATOM_NAMESPACE}}}link", attrib=attributes)
