"""Formatting for the lockout page (django-axes renders it with a ``timedelta``)."""

from __future__ import annotations

import datetime
import math

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration: datetime.timedelta) -> int:
    """A lockout's length in minutes, rounded up so that "try again in N minutes" holds."""
    return max(1, math.ceil(duration.total_seconds() / 60))
