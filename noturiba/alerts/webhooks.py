"""Webhook endpoints in the fan-out: one signed delivery per active endpoint an alert concerns.

An endpoint without an organisation receives every alert; one with an organisation receives the
alerts whose audience includes at least one of that organisation's members. Its delivery has no
person (recipient *system*), the endpoint's URL as address and the ``webhook`` channel, which
signs with the endpoint's own secret when it has one (``WEBHOOK_SECRET`` otherwise).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from noturiba.alerts.models import Alert, Delivery, WebhookEndpoint
from noturiba.network.models import Membership, Person

CHANNEL = "webhook"


def endpoint_idempotency_key(alert: Alert, endpoint_id: int) -> str:
    return f"{alert.identifier}/endpoint/{endpoint_id}/{CHANNEL}"


def endpoints_for(people: QuerySet[Person]) -> QuerySet[WebhookEndpoint]:
    """The active endpoints an alert to ``people`` goes to."""
    audience_organisations = Membership.objects.filter(person__in=people.values("pk")).values(
        "organisation_id"
    )
    return WebhookEndpoint.objects.filter(is_active=True).filter(
        Q(organisation__isnull=True) | Q(organisation__in=audience_organisations)
    )


def write_endpoint_deliveries(
    alert: Alert,
    people: QuerySet[Person],
    *,
    created_at: datetime.datetime,
    known: Sequence[int] = (),
) -> list[int]:
    """Insert one queued webhook delivery per endpoint of the alert; returns the new ids.

    ``known`` are delivery ids the caller already has (left out of the answer). Runs inside the
    caller's transaction; writing twice adds nothing (the idempotency key is unique).
    """
    endpoints = list(endpoints_for(people).order_by("pk").values_list("pk", "url"))
    if not endpoints:
        return []
    keys = [endpoint_idempotency_key(alert, pk) for pk, _url in endpoints]
    Delivery.objects.bulk_create(
        [
            Delivery(
                alert=alert,
                person=None,
                endpoint_id=pk,
                recipient=Delivery.Recipient.ENDPOINT,
                channel=CHANNEL,
                address=url,
                idempotency_key=key,
                created_at=created_at,
            )
            for (pk, url), key in zip(endpoints, keys, strict=True)
        ],
        ignore_conflicts=True,
    )
    already = set(known)
    ids = Delivery.objects.filter(idempotency_key__in=keys).order_by("pk")
    return [pk for pk in ids.values_list("pk", flat=True) if pk not in already]
