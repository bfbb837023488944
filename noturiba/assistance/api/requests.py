"""Assistance requests' API: requests."""

from ninja import Router

router = Router(tags=["assistance requests"])
