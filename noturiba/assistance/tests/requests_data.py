"""Requests for the request pages' tests, written straight to the database (the actions are
tested on their own in ``test_post_request.py``)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.network.models import CapabilityType, Municipality


def make_request(
    *,
    title: str = "Evacuate 40 people",
    municipality: str = "LV-067",
    lines: list[tuple[str, int | str, int | str]] | None = None,
    deadline: datetime.datetime | None = None,
    **extra: Any,
) -> AssistanceRequest:
    """A request with ``lines`` as (capability code, quantity, claimed) — default one line of
    10 seats of transport, nothing claimed."""
    request = AssistanceRequest.objects.create(
        title=title,
        municipality=Municipality.objects.get(code=municipality),
        deadline=deadline or timezone.now() + datetime.timedelta(hours=6),
        contact_name="Jānis Liepa",
        **extra,
    )
    for position, (code, quantity, claimed) in enumerate(lines or [("transport", 10, 0)]):
        capability = CapabilityType.objects.get(code=code)
        RequestLine.objects.create(
            request=request,
            capability=capability,
            quantity=Decimal(quantity),
            claimed=Decimal(claimed),
            unit=capability.unit,
            position=position,
        )
    return request
