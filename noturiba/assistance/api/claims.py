"""Assistance requests' API: claims."""

from ninja import Router

router = Router(tags=["assistance requests"])
