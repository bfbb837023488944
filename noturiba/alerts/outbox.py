"""Writing the outbox: the delivery rows of an alert, saved in bulk before anything is sent."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.selectors import PlannedDelivery

_INSERT_BATCH = 2000


def idempotency_key(alert: Alert, person_id: int, channel: str) -> str:
    return f"{alert.identifier}/{person_id}/{channel}"


def write_deliveries(
    alert: Alert, planned: Iterable[PlannedDelivery], *, created_at: datetime.datetime
) -> list[int]:
    """Insert one queued delivery per planned (person, channel); returns their ids in order.

    Runs inside the caller's transaction.
    """
    deliveries = [
        Delivery(
            alert=alert,
            person_id=item.person_id,
            channel=item.channel,
            address=item.address,
            idempotency_key=idempotency_key(alert, item.person_id, item.channel),
            created_at=created_at,
        )
        for item in planned
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=_INSERT_BATCH)
    return list(Delivery.objects.filter(alert=alert).order_by("pk").values_list("pk", flat=True))
