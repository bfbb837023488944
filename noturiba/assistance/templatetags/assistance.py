"""Template filters of the assistance pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: Any) -> Any:
    """``mapping[key]``, or None: for dictionaries keyed by ids in a view's context."""
    if not mapping:
        return None
    return mapping.get(key)
