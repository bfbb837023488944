"""When to try a failed delivery again: exponential backoff with jitter.

The n-th retry waits between half and all of ``base · 2^(n-1)`` seconds, never more than ``cap``;
the random spread keeps thousands of deliveries that failed together from retrying together.
"""

from __future__ import annotations

import datetime
import random

DEFAULT_BASE = datetime.timedelta(seconds=30)
DEFAULT_CAP = datetime.timedelta(hours=1)
_MAX_EXPONENT = 62  # 2**62 · base is far beyond any cap; keeps the arithmetic bounded
_RANDOM = random.Random()


def next_attempt_delay(
    attempt: int,
    *,
    base: datetime.timedelta = DEFAULT_BASE,
    cap: datetime.timedelta = DEFAULT_CAP,
    retry_after: datetime.timedelta | None = None,
    rng: random.Random | None = None,
) -> datetime.timedelta:
    """How long to wait before attempt number ``attempt + 1`` after ``attempt`` failed ones.

    ``attempt`` starts at 1. ``retry_after`` (what the provider asked for) raises the delay, up
    to ``cap``. Pass a seeded ``random.Random`` for a reproducible spread.
    """
    if attempt < 1:
        raise ValueError(f"attempt must be at least 1, got {attempt}")
    base_us = _microseconds(base)
    cap_us = _microseconds(cap)
    ceiling = min(cap_us, base_us * 2 ** min(attempt - 1, _MAX_EXPONENT))
    spread = (rng or _RANDOM).randint(0, ceiling - ceiling // 2)
    delay = ceiling // 2 + spread
    if retry_after is not None:
        delay = max(delay, min(_microseconds(retry_after), cap_us))
    return datetime.timedelta(microseconds=delay)


def _microseconds(delta: datetime.timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
