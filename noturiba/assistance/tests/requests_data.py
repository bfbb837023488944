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


def edit_data(request: AssistanceRequest, **extra: str) -> dict[str, str]:
    """The edit page's form as posted unchanged (the request's lines and one blank row), with
    ``extra`` fields set."""
    lines = list(request.lines.order_by("position"))
    data = {
        "title": request.title,
        "municipality": str(request.municipality_id),
        "urgency": request.urgency,
        "deadline": "2030-01-15T18:00",
        "contact_name": request.contact_name,
        "offered_to_network": "on",
        "lines-TOTAL_FORMS": str(len(lines) + 1),
        "lines-INITIAL_FORMS": str(len(lines)),
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "50",
    }
    for index, line in enumerate(lines):
        data |= {
            f"lines-{index}-id": str(line.pk),
            f"lines-{index}-capability": str(line.capability_id),
            f"lines-{index}-quantity": str(line.quantity),
            f"lines-{index}-unit": line.unit,
            f"lines-{index}-notes": line.notes,
        }
    data.update(extra)
    return data
