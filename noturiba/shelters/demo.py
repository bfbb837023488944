"""Demo shelters: a dozen realistic places in several municipalities (marked ``is_demo``).

Operators are demo organisations of the same municipality when the directory has some
(``noturiba demo`` runs first in ``setup``), otherwise the shelter has no operator. Idempotent:
nothing is added when demo shelters already exist.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from noturiba.network.models import Municipality, Organisation
from noturiba.shelters.models import Shelter, ShelterUpdate

K = Shelter.Kind
S = Shelter.Status

# name, kind, address, municipality, lat, lon, floor area, status, share full, public, features
DEMO_SHELTERS: list[tuple[str, str, str, str, str, str, str, str, float, bool, str]] = [
    (
        "Rīgas 1. vidusskolas patvertne",
        K.SHELTER,
        "Jauniela 1",
        "LV-RIX",
        "56.94870",
        "24.10630",
        "240",
        S.OPEN,
        0.4,
        True,
        "step_free accessible_toilet lift water toilets heating power_backup first_aid",
    ),
    (
        "Āgenskalna tirgus pagrabs",
        K.COVER,
        "Nometņu iela 64",
        "LV-RIX",
        "56.93580",
        "24.06880",
        "180",
        S.OPEN,
        0.9,
        True,
        "water toilets",
    ),
    (
        "Purvciema sporta nams",
        K.EVACUATION,
        "Dzelzavas iela 64",
        "LV-RIX",
        "56.95760",
        "24.20140",
        "600",
        S.OPENING,
        0.0,
        True,
        "step_free accessible_toilet hearing_loop water toilets heating first_aid",
    ),
    (
        "Ogres kultūras centra patvertne",
        K.SHELTER,
        "Brīvības iela 15",
        "LV-067",
        "56.81750",
        "24.60520",
        "150",
        S.OPEN,
        0.3,
        True,
        "step_free accessible_toilet water toilets heating power_backup",
    ),
    (
        "Ogres novada sildīšanas punkts",
        K.WARM_ROOM,
        "Skolas iela 12",
        "LV-067",
        "56.81420",
        "24.61040",
        "60",
        S.FULL,
        1.0,
        True,
        "water toilets heating",
    ),
    (
        "Ikšķiles skolas aizsegtā vieta",
        K.COVER,
        "Skolas iela 6",
        "LV-067",
        "56.83690",
        "24.49940",
        "90",
        S.CLOSED,
        0.0,
        False,
        "toilets",
    ),
    (
        "Liepājas Olimpiskā centra patvertne",
        K.SHELTER,
        "Brīvības iela 39",
        "LV-LPX",
        "56.51120",
        "21.01530",
        "420",
        S.OPEN,
        0.2,
        True,
        "step_free accessible_toilet lift hearing_loop "
        "water toilets heating power_backup first_aid",
    ),
    (
        "Karostas evakuācijas punkts",
        K.EVACUATION,
        "Atmodas bulvāris 6",
        "LV-LPX",
        "56.55030",
        "21.02260",
        "300",
        S.CLOSED,
        0.0,
        False,
        "water toilets",
    ),
    (
        "Daugavpils Vienības nama patvertne",
        K.SHELTER,
        "Rīgas iela 22a",
        "LV-DGV",
        "55.87260",
        "26.51630",
        "200",
        S.OPEN,
        0.6,
        True,
        "step_free water toilets heating first_aid",
    ),
    (
        "Valmieras drāmas teātra pagrabs",
        K.COVER,
        "Lāčplēša iela 4",
        "LV-113",
        "57.53710",
        "25.42600",
        "110",
        S.OPEN,
        0.1,
        True,
        "accessible_toilet lift water toilets",
    ),
    (
        "Jelgavas sporta halles sildīšanas punkts",
        K.WARM_ROOM,
        "Mātera iela 44",
        "LV-JEL",
        "56.64860",
        "23.73270",
        "250",
        S.OPENING,
        0.0,
        True,
        "step_free accessible_toilet water toilets heating power_backup",
    ),
    (
        "Cēsu pils kvartāla patvertne",
        K.SHELTER,
        "Pils laukums 9",
        "LV-022",
        "57.31280",
        "25.27170",
        "75",
        S.OPEN,
        0.5,
        False,
        "step_free water toilets heating",
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    shelters: int
    skipped: bool = False


@transaction.atomic
def generate_shelters_demo(*, seed: int = 2026) -> DemoSummary:
    """Add the demo shelters (unless demo shelters exist already)."""
    if Shelter.objects.filter(is_demo=True).exists():
        return DemoSummary(0, skipped=True)
    rng = random.Random(seed)
    municipalities = {
        m.code: m for m in Municipality.objects.filter(code__in={row[3] for row in DEMO_SHELTERS})
    }
    now = timezone.now()
    created = 0
    for name, kind, address, code, lat, lon, area, status, share, public, features in DEMO_SHELTERS:
        municipality = municipalities.get(code)
        if municipality is None:
            continue
        operator = (
            Organisation.objects.filter(is_demo=True, municipality=municipality)
            .order_by("pk")
            .first()
        )
        flags = set(features.split())
        shelter = Shelter(
            name=name,
            kind=kind,
            address=address,
            municipality=municipality,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            floor_area=Decimal(area),
            operator_organisation=operator,
            contact_phone=f"+3716{rng.randrange(1000000, 9999999)}",
            step_free="step_free" in flags,
            accessible_toilet="accessible_toilet" in flags,
            lift="lift" in flags,
            hearing_loop="hearing_loop" in flags,
            wheelchair_spaces=rng.choice((2, 4, 6)) if "step_free" in flags else 0,
            water="water" in flags,
            toilets="toilets" in flags,
            heating="heating" in flags,
            power_backup="power_backup" in flags,
            first_aid="first_aid" in flags,
            status=status,
            is_public=public,
            notes="",
            is_demo=True,
        )
        capacity = shelter.short_stay_capacity or 0
        shelter.occupancy = int(capacity * share)
        if status != S.CLOSED:
            shelter.occupancy_updated_at = now - timedelta(minutes=rng.randrange(3, 240))
        shelter.save()
        if shelter.occupancy_updated_at is not None:
            ShelterUpdate.objects.create(
                shelter=shelter,
                status=status,
                occupancy=shelter.occupancy,
                note="",
                created_at=shelter.occupancy_updated_at,
            )
        created += 1
    return DemoSummary(created)
