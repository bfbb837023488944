"""Shelters' JSON API."""

from ninja import Router

router = Router(tags=["shelters"])
