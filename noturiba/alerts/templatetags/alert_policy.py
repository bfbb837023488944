"""Template questions about alerts, answered by the policy (for the site's navigation)."""

from __future__ import annotations

from django import template

from noturiba.accounts import policy

register = template.Library()


@register.filter
def can_write_alerts(user: policy.Actor) -> bool:
    """``{% if user|can_write_alerts %}``: show the Alerts link to those who write alerts."""
    return policy.can_write_alerts(user)
