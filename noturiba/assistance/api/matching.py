"""Assistance requests' API: matching."""

from ninja import Router

router = Router(tags=["assistance requests"])
