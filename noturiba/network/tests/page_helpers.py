"""Helpers shared by the directory page tests: English pages and bulk organisations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from noturiba.conftest import municipality
from noturiba.network.models import (
    CapabilityType,
    Organisation,
    OrganisationCapability,
    TargetGroup,
)


@pytest.fixture
def english(settings: Any) -> None:
    """Pages in English, the source language, so assertions do not depend on translations."""
    settings.LANGUAGE_CODE = "en"


def make_organisations(count: int, *, prefix: str = "Biedrība", public: bool = True) -> None:
    """``count`` organisations in Rīga covering Ogre too, serving seniors, offering first aid."""
    first_aid = CapabilityType.objects.get(code="first_aid")
    seniors = TargetGroup.objects.get(code="seniors")
    riga = municipality("LV-RIX")
    ogre = municipality("LV-067")
    for number in range(count):
        organisation = Organisation(
            name=f"{prefix} {number:03d}",
            municipality=riga,
            latitude=Decimal("56.94965"),
            longitude=Decimal("24.10519"),
            is_public=public,
        )
        organisation.search_text = organisation.build_search_text()
        organisation.save()
        organisation.municipalities.set([riga, ogre])
        organisation.target_groups.set([seniors])
        OrganisationCapability.objects.create(
            organisation=organisation, capability=first_aid, quantity=Decimal(3)
        )
