"""Shelter fixtures: a public shelter in Ogre run by org A, a hidden one in Liepāja run by
org B, a hidden one in Ogre run by the Ogre commission, and a public closed one in Riga."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from noturiba.network.models import Institution, Municipality, Organisation
from noturiba.shelters.models import Shelter


def make_shelter(**fields: Any) -> Shelter:
    values: dict[str, Any] = {
        "name": "Patvertne",
        "address": "Brīvības iela 1",
        "municipality": Municipality.objects.get(code="LV-067"),
        "floor_area": Decimal("112.5"),
        "status": Shelter.Status.OPEN,
    }
    values.update(fields)
    if isinstance(values["municipality"], str):
        values["municipality"] = Municipality.objects.get(code=values["municipality"])
    return Shelter.objects.create(**values)


@pytest.fixture
def ogre_shelter(org_a: Organisation) -> Shelter:
    """Public, open, 112.5 m² (150 short-stay, 32 Sphere), run by org A."""
    return make_shelter(
        name="Ogres kultūras centra patvertne",
        latitude=Decimal("56.81750"),
        longitude=Decimal("24.60520"),
        operator_organisation=org_a,
        contact_phone="+37167000001",
        step_free=True,
        accessible_toilet=True,
        wheelchair_spaces=4,
        water=True,
        heating=True,
        occupancy=10,
        is_public=True,
    )


@pytest.fixture
def liepaja_hidden(org_b: Organisation) -> Shelter:
    """Not public, open, in Liepāja, run by org B."""
    return make_shelter(
        name="Karostas slēptā patvertne",
        municipality="LV-LPX",
        latitude=Decimal("56.55030"),
        longitude=Decimal("21.02260"),
        operator_organisation=org_b,
        floor_area=Decimal("75"),
        is_public=False,
    )


@pytest.fixture
def ogre_hidden(ogre_commission: Institution) -> Shelter:
    """Not public, closed, in Ogre, run by the Ogre commission; no floor area."""
    return make_shelter(
        name="Ikšķiles aizsegtā vieta",
        kind=Shelter.Kind.COVER,
        operator_institution=ogre_commission,
        floor_area=None,
        status=Shelter.Status.CLOSED,
        is_public=False,
    )


@pytest.fixture
def riga_closed(reference: None) -> Shelter:
    """Public but closed, in Riga, no operator."""
    return make_shelter(
        name="Rīgas slēgtā patvertne",
        municipality="LV-RIX",
        latitude=Decimal("56.94870"),
        longitude=Decimal("24.10630"),
        status=Shelter.Status.CLOSED,
        is_public=True,
    )


@pytest.fixture
def shelters(
    ogre_shelter: Shelter, liepaja_hidden: Shelter, ogre_hidden: Shelter, riga_closed: Shelter
) -> dict[str, Shelter]:
    return {
        "ogre": ogre_shelter,
        "liepaja": liepaja_hidden,
        "ogre_hidden": ogre_hidden,
        "riga_closed": riga_closed,
    }
