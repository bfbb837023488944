"""Acknowledgement links start with the platform's public address."""

from __future__ import annotations

from typing import Any

from noturiba.alerts.models import Delivery
from noturiba.alerts.tasks import ack_url


def test_the_link_starts_with_the_public_address(settings: Any) -> None:
    settings.PUBLIC_URL = "https://noturiba.example.lv/"
    delivery = Delivery(ack_token="abc_DEF-123")
    assert ack_url(delivery) == "https://noturiba.example.lv/ack/abc_DEF-123/"
