"""Demo assistance requests for ``make run``: a few needs around the country, some answered.

Called by ``noturiba demo_assistance`` (and by ``noturiba setup`` after the demo training).
The same seed gives the same requests. Requests are marked ``is_demo``; the claims are by the
demo network's organisations of the same municipality, when there are any. Rows are written
directly, not through the actions: nothing here happened, so nothing is audited or sent.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.network.models import CapabilityType, Municipality, Organisation


@dataclass(frozen=True)
class DemoNeed:
    title: str
    municipality: str
    hours: int  # deadline from now (negative: already past)
    urgency: str
    lines: tuple[tuple[str, int, int], ...]  # capability, quantity, share claimed in %
    address: str = ""
    description: str = ""
    offered: bool = True


NEEDS = [
    DemoNeed(
        "Evakuēt 40 cilvēkus ar kustību traucējumiem no Ciemupes",
        "LV-067",
        6,
        "Immediate",
        (("transport", 40, 70), ("first_aid", 4, 100)),
        address="Ciemupe, Ogres novads",
        description="Plūdu draudi; cilvēki ar ratiņkrēsliem un guļoši pacienti.",
    ),
    DemoNeed(
        "Silto telpu dežūras trīs diennaktis",
        "LV-067",
        30,
        "Expected",
        (("premises", 120, 100), ("volunteers", 12, 50)),
        address="Brīvības iela 33, Ogre",
    ),
    DemoNeed(
        "Dzeramais ūdens Ķekavas ciemiem",
        "LV-052",
        -2,
        "Immediate",
        (("drinking_water", 3000, 20),),
        description="Ūdensapgāde pārtraukta pēc vētras.",
    ),
    DemoNeed(
        "Tulki bēgļu uzņemšanas centram",
        "LV-RIX",
        48,
        "Future",
        (("translation", 40, 0), ("psychological_first_aid", 3, 0)),
        address="Rīga, Daugavgrīvas iela 17",
        description="Ukraiņu un krievu valoda, maiņās pa 4 stundām.",
    ),
    DemoNeed(
        "Ģeneratori sociālās aprūpes centram",
        "LV-LPX",
        12,
        "Immediate",
        (("power_generators", 30, 100),),
        address="Liepāja, Ziemeļu iela 1",
    ),
    DemoNeed(
        "Siltas maltītes senioriem",
        "LV-DGV",
        20,
        "Expected",
        (("food", 250, 40), ("transport", 8, 0)),
        address="Daugavpils",
    ),
    DemoNeed(
        "Aprūpe cilvēkiem ar invaliditāti evakuācijas laikā",
        "LV-JEL",
        72,
        "Future",
        (("disability_care", 15, 0),),
        offered=False,
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    requests: int = 0
    lines: int = 0
    claims: int = 0
    skipped: bool = False


@transaction.atomic
def generate_assistance_demo(*, seed: int = 2026) -> DemoSummary:
    """Add the demo requests, unless the database already has assistance requests."""
    if AssistanceRequest.objects.exists():
        return DemoSummary(skipped=True)
    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    municipalities = {m.code: m for m in Municipality.objects.all()}
    capabilities = {c.code: c for c in CapabilityType.objects.all()}
    requests = lines = claims = 0
    for need in NEEDS:
        municipality = municipalities.get(need.municipality)
        if municipality is None or any(code not in capabilities for code, _, _ in need.lines):
            continue
        request = AssistanceRequest.objects.create(
            title=need.title,
            description=need.description,
            municipality=municipality,
            address=need.address,
            latitude=municipality.latitude,
            longitude=municipality.longitude,
            urgency=need.urgency,
            deadline=now + datetime.timedelta(hours=need.hours),
            starts_at=now,
            contact_name="Civilās aizsardzības komisija",
            contact_phone="+37167000000",
            offered_to_network=need.offered,
            is_demo=True,
            created_at=now - datetime.timedelta(hours=rng.randint(1, 12)),
        )
        requests += 1
        helpers = list(
            Organisation.objects.filter(is_demo=True, municipality=municipality).order_by("pk")[:20]
        )
        for position, (code, quantity, share) in enumerate(need.lines):
            capability = capabilities[code]
            claimed = Decimal(quantity * share // 100) if helpers else Decimal(0)
            line = RequestLine.objects.create(
                request=request,
                capability=capability,
                quantity=Decimal(quantity),
                unit=capability.unit,
                claimed=claimed,
                position=position,
            )
            lines += 1
            if claimed > 0:
                # one or two organisations share what is claimed
                first = (claimed / 2).quantize(Decimal(1)) if claimed > 1 else claimed
                parts = [first, claimed - first] if len(helpers) > 1 else [claimed]
                chosen = rng.sample(helpers, k=len(parts))
                for organisation, part in zip(chosen, parts, strict=True):
                    if part > 0:
                        Claim.objects.create(line=line, organisation=organisation, quantity=part)
                        claims += 1
    return DemoSummary(requests=requests, lines=lines, claims=claims)
