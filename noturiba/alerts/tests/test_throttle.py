"""The per-channel rate limit: slots reserved a chunk at a time in one row every worker shares."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from noturiba.alerts import throttle
from noturiba.alerts.models import ChannelThrottle

T0 = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_a_reservation_spaces_its_slots_by_the_rate_from_now_on_an_idle_channel() -> None:
    reservation = throttle.reserve("sms", 5, rate_per_second=10, now=T0)

    assert [reservation.slot(i) for i in range(5)] == [T0 + SECOND * i / 10 for i in range(5)]
    assert reservation.end == T0 + SECOND / 2
    assert ChannelThrottle.objects.get(channel="sms").next_free_at == T0 + SECOND / 2
    with pytest.raises(IndexError):
        reservation.slot(5)


@pytest.mark.django_db
def test_the_next_reservation_starts_where_the_last_one_ended() -> None:
    first = throttle.reserve("email", 20, rate_per_second=20, now=T0)
    second = throttle.reserve("email", 10, rate_per_second=20, now=T0 + SECOND / 4)

    assert second.start == first.end == T0 + SECOND
    assert second.end == T0 + SECOND * 3 / 2


@pytest.mark.django_db
def test_a_channel_idle_past_its_last_slot_starts_again_at_now_without_a_burst() -> None:
    throttle.reserve("webhook", 2, rate_per_second=2, now=T0)  # ends at T0 + 1 s

    later = throttle.reserve("webhook", 3, rate_per_second=2, now=T0 + SECOND * 60)

    assert later.start == T0 + SECOND * 60
    assert later.end == T0 + SECOND * 61.5


@pytest.mark.django_db
def test_channels_have_separate_budgets() -> None:
    throttle.reserve("email", 50, rate_per_second=10, now=T0)

    assert throttle.reserve("sms", 1, rate_per_second=10, now=T0).start == T0


def test_a_chunk_is_about_a_seconds_worth_of_messages() -> None:
    assert throttle.chunk_size(10) == 10
    assert throttle.chunk_size(0.5) == 1
    assert throttle.chunk_size(100_000) == throttle.MAX_CHUNK


@pytest.mark.parametrize("bad", [0, -1])
def test_a_rate_must_be_positive(bad: float) -> None:
    with pytest.raises(ValueError):
        throttle.interval_for(bad)


def test_waiting_sleeps_only_until_the_slot() -> None:
    slept: list[float] = []

    waited = throttle.wait_until(T0 + SECOND * 2, sleep=slept.append, clock=lambda: T0)
    no_wait = throttle.wait_until(T0 - SECOND, sleep=slept.append, clock=lambda: T0)

    assert slept == [2.0]
    assert (waited, no_wait) == (2.0, 0.0)


@pytest.mark.django_db(transaction=True)
def test_two_workers_share_one_budget_and_their_slots_never_overlap() -> None:
    """Two threads (each its own database connection, as two workers would have) reserve
    chunks at once; together their slots are one gapless sequence at the channel's rate."""
    start = timezone.now() + datetime.timedelta(hours=1)  # later than "now" in every call
    ChannelThrottle.objects.create(channel="sms", next_free_at=start)
    reservations: list[throttle.Reservation] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(10):
                reservation = throttle.reserve("sms", 7, rate_per_second=50)
                with lock:
                    reservations.append(reservation)
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    ordered = sorted(reservations, key=lambda r: r.start)
    assert len(ordered) == 20
    assert ordered[0].start == start
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        assert later.start == earlier.end  # no overlap, no gap
    assert ChannelThrottle.objects.get(channel="sms").next_free_at == start + (
        datetime.timedelta(seconds=1) / 50 * 140
    )
