"""Requests, lines and claims for the follow pages' tests, written directly (as the claims
actions would leave them: ``RequestLine.claimed`` the sum of active claims, ``done`` of done ones).

``situation`` (see :func:`make_situation`) is a small response in Ogre and Liepāja:

=================  ==========  ====================================================  ==========
request            where       lines and claims                                      deadline
=================  ==========  ====================================================  ==========
Ogre water         Ogre, exact transport 7 of 10 seats (A, claimed);                  tomorrow
                               drinking water 200 of 500 l (B, done)
Ogre warm room     Ogre centre premises 50 of 50 m² (A, under way) → covered          yesterday
Ogre first aid     Ogre, exact first aid 0 of 4 people → overdue                       2 h ago
Liepāja interpret  Liepāja     translation 5 of 20 hours (B, claimed)                 in 2 days
Ogre last month    Ogre        closed 20 days ago (outside the last 7 days)           −25 days
=================  ==========  ====================================================  ==========
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from noturiba.assistance.models import AssistanceRequest, Claim, RequestLine
from noturiba.network.models import CapabilityType, Municipality, Organisation


def make_request(
    *,
    title: str,
    municipality: str,
    lines: list[tuple[str, int]],
    deadline: datetime.datetime | None = None,
    urgency: str = AssistanceRequest.UrgencyChoice.IMMEDIATE,
    latitude: str | None = None,
    longitude: str | None = None,
    created_at: datetime.datetime | None = None,
    state: str = AssistanceRequest.State.OPEN,
    closed_at: datetime.datetime | None = None,
    offered_to_network: bool = True,
    address: str = "",
) -> AssistanceRequest:
    now = timezone.now()
    request = AssistanceRequest.objects.create(
        title=title,
        municipality=Municipality.objects.get(code=municipality),
        address=address,
        latitude=Decimal(latitude) if latitude else None,
        longitude=Decimal(longitude) if longitude else None,
        urgency=urgency,
        deadline=deadline or now + datetime.timedelta(days=1),
        contact_name="Kontaktpersona",
        created_at=created_at or now - datetime.timedelta(hours=5),
        state=state,
        closed_at=closed_at,
        offered_to_network=offered_to_network,
    )
    for position, (code, quantity) in enumerate(lines):
        capability = CapabilityType.objects.get(code=code)
        RequestLine.objects.create(
            request=request,
            capability=capability,
            quantity=Decimal(quantity),
            unit=capability.unit,
            position=position,
        )
    return request


def line_of(request: AssistanceRequest, code: str) -> RequestLine:
    return request.lines.get(capability__code=code)


def make_claim(
    line: RequestLine,
    organisation: Organisation,
    quantity: int,
    state: str = Claim.State.CLAIMED,
) -> Claim:
    claim = Claim.objects.create(
        line=line, organisation=organisation, quantity=Decimal(quantity), state=state
    )
    claims = Claim.objects.filter(line=line)
    line.claimed = sum((c.quantity for c in claims if c.state in Claim.ACTIVE), Decimal(0))
    line.done = sum((c.quantity for c in claims if c.state == Claim.State.DONE), Decimal(0))
    line.save(update_fields=["claimed", "done"])
    return claim


@dataclass
class Situation:
    ogre_water: AssistanceRequest
    ogre_warm_room: AssistanceRequest
    ogre_first_aid: AssistanceRequest
    liepaja: AssistanceRequest
    ogre_old: AssistanceRequest


LIEPAJA_TITLE = "Liepājas tulki bēgļiem"


def make_situation(org_a: Organisation, org_b: Organisation) -> Situation:
    now = timezone.now()
    water = make_request(
        title="Ūdens un transports Ogrē",
        municipality="LV-067",
        lines=[("transport", 10), ("drinking_water", 500)],
        latitude="56.82000",
        longitude="24.60000",
        address="Brīvības iela 33, Ogre",
    )
    make_claim(line_of(water, "transport"), org_a, 7)
    make_claim(line_of(water, "drinking_water"), org_b, 200, Claim.State.DONE)
    warm_room = make_request(
        title="Siltā telpa Ogrē",
        municipality="LV-067",
        lines=[("premises", 50)],
        urgency=AssistanceRequest.UrgencyChoice.EXPECTED,
        deadline=now - datetime.timedelta(days=1),
    )
    make_claim(line_of(warm_room, "premises"), org_a, 50, Claim.State.UNDER_WAY)
    first_aid = make_request(
        title="Pirmā palīdzība Ogres stacijā",
        municipality="LV-067",
        lines=[("first_aid", 4)],
        urgency=AssistanceRequest.UrgencyChoice.FUTURE,
        deadline=now - datetime.timedelta(hours=2),
        latitude="56.81500",
        longitude="24.61000",
    )
    liepaja = make_request(
        title=LIEPAJA_TITLE,
        municipality="LV-LPX",
        lines=[("translation", 20)],
        deadline=now + datetime.timedelta(days=2),
    )
    make_claim(line_of(liepaja, "translation"), org_b, 5)
    old = make_request(
        title="Vecs pieprasījums",
        municipality="LV-067",
        lines=[("food", 30)],
        created_at=now - datetime.timedelta(days=30),
        deadline=now - datetime.timedelta(days=25),
        state=AssistanceRequest.State.CLOSED,
        closed_at=now - datetime.timedelta(days=20),
    )
    return Situation(water, warm_room, first_aid, liepaja, old)
