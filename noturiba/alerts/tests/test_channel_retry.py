"""The retry policy of alert deliveries: exponential backoff with jitter, capped."""

from __future__ import annotations

import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noturiba.alerts.retry import next_attempt_delay

BASE = datetime.timedelta(seconds=30)
CAP = datetime.timedelta(hours=1)


@given(attempt=st.integers(min_value=1, max_value=10_000), seed=st.integers())
def test_it_stays_between_half_and_all_of_the_exponential_step_and_never_above_the_cap(
    attempt: int, seed: int
) -> None:
    delay = next_attempt_delay(attempt, base=BASE, cap=CAP, rng=random.Random(seed))

    ceiling = min(CAP, BASE * 2 ** min(attempt - 1, 20))
    assert ceiling / 2 <= delay <= ceiling
    assert delay <= CAP


def test_it_doubles_the_step_with_each_attempt_until_the_cap() -> None:
    lowest = [
        min(next_attempt_delay(n, base=BASE, cap=CAP, rng=random.Random(s)) for s in range(50))
        for n in range(1, 12)
    ]

    assert lowest[0] >= datetime.timedelta(seconds=15)
    assert lowest[1] >= datetime.timedelta(seconds=30)
    assert lowest[2] >= datetime.timedelta(seconds=60)
    assert lowest == sorted(lowest)
    assert lowest[-1] >= CAP / 2


def test_it_is_reproducible_with_a_seeded_random() -> None:
    first = [next_attempt_delay(n, rng=random.Random(7)) for n in range(1, 8)]
    second = [next_attempt_delay(n, rng=random.Random(7)) for n in range(1, 8)]

    assert first == second


def test_it_spreads_deliveries_that_failed_together() -> None:
    rng = random.Random(1)

    delays = {next_attempt_delay(3, rng=rng) for _ in range(100)}

    assert len(delays) > 50


def test_it_waits_at_least_as_long_as_the_provider_asked_up_to_the_cap() -> None:
    asked = datetime.timedelta(minutes=10)

    assert next_attempt_delay(1, base=BASE, cap=CAP, retry_after=asked) == asked
    assert next_attempt_delay(1, cap=CAP, retry_after=datetime.timedelta(days=1)) == CAP


def test_it_refuses_an_attempt_number_below_one() -> None:
    with pytest.raises(ValueError, match="attempt"):
        next_attempt_delay(0)
