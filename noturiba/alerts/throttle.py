"""Rate limits per channel, shared by every worker: a leaky bucket kept in one database row.

Each channel has a :class:`~noturiba.alerts.models.ChannelThrottle` row holding the next free
sending slot. A worker about to send ``k`` messages reserves ``k`` consecutive slots in one short
transaction — the row locked (``SELECT … FOR UPDATE`` on PostgreSQL, the write lock on SQLite),
``next_free_at`` moved ``k`` intervals past ``max(now, next_free_at)`` — and then waits for each
slot before sending. Workers therefore queue behind each other's reservations and together never
send faster than the channel's rate, with one database write per chunk of messages, not per
message. There is no burst allowance: an idle channel starts at *now*.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from noturiba.alerts.models import ChannelThrottle

# The most messages one reservation covers: a chunk is about a second of a channel's budget.
MAX_CHUNK = 50


@dataclass(frozen=True)
class Reservation:
    """``count`` sending slots of ``channel``, ``interval`` apart from ``start``."""

    channel: str
    start: datetime.datetime
    interval: datetime.timedelta
    count: int

    def slot(self, index: int) -> datetime.datetime:
        """When message number ``index`` (from 0) of the chunk may go."""
        if not 0 <= index < self.count:
            raise IndexError(f"slot {index} of a reservation of {self.count}")
        return self.start + self.interval * index

    @property
    def end(self) -> datetime.datetime:
        """The first slot after this reservation (the row's ``next_free_at`` just after it)."""
        return self.start + self.interval * self.count


def interval_for(rate_per_second: float) -> datetime.timedelta:
    if rate_per_second <= 0:
        raise ValueError(f"a rate must be positive, got {rate_per_second}")
    return datetime.timedelta(seconds=1 / rate_per_second)


def chunk_size(rate_per_second: float) -> int:
    """How many messages to reserve at once: about a second's worth, 1 to :data:`MAX_CHUNK`."""
    return max(1, min(MAX_CHUNK, int(rate_per_second)))


def reserve(
    channel: str,
    count: int,
    *,
    rate_per_second: float,
    now: datetime.datetime | None = None,
) -> Reservation:
    """Reserve ``count`` consecutive slots of ``channel`` at ``rate_per_second``."""
    if count < 1:
        raise ValueError(f"reserve at least one slot, not {count}")
    interval = interval_for(rate_per_second)
    current = now or timezone.now()
    ChannelThrottle.objects.get_or_create(channel=channel, defaults={"next_free_at": current})
    with transaction.atomic():
        row = ChannelThrottle.objects.select_for_update().get(channel=channel)
        start = max(current, row.next_free_at)
        reservation = Reservation(channel=channel, start=start, interval=interval, count=count)
        ChannelThrottle.objects.filter(channel=channel).update(next_free_at=reservation.end)
    return reservation


def wait_until(
    moment: datetime.datetime,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], datetime.datetime] = timezone.now,
) -> float:
    """Sleep until ``moment`` (no sleep when it has passed); returns the seconds slept."""
    delay = (moment - clock()).total_seconds()
    if delay <= 0:
        return 0.0
    sleep(delay)
    return delay
