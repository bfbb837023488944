"""Helpers for the matching tests: a request line in Ogre and organisations offering for it."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.network.models import (
    CapabilityType,
    Membership,
    Municipality,
    Organisation,
    OrganisationCapability,
    Person,
)

OGRE = (Decimal("56.81620"), Decimal("24.61400"))
RIGA = (Decimal("56.94960"), Decimal("24.10520"))
LIEPAJA = (Decimal("56.50470"), Decimal("21.01080"))


def place(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def make_request(
    *,
    created_by: User | None = None,
    municipality: str = "LV-067",
    at: tuple[Decimal, Decimal] | None = OGRE,
    **fields: Any,
) -> AssistanceRequest:
    return AssistanceRequest.objects.create(
        title=fields.pop("title", "Evakuācija no Ogres"),
        municipality=place(municipality),
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
        deadline=fields.pop("deadline", timezone.now() + datetime.timedelta(days=1)),
        contact_name="Jānis Liepa",
        created_by=created_by,
        **fields,
    )


def make_line(
    request: AssistanceRequest,
    *,
    capability: str = "transport",
    quantity: int = 10,
    claimed: int = 0,
) -> RequestLine:
    kind = CapabilityType.objects.get(code=capability)
    return RequestLine.objects.create(
        request=request,
        capability=kind,
        quantity=Decimal(quantity),
        unit=kind.unit,
        claimed=Decimal(claimed),
    )


def make_organisation(
    name: str,
    *,
    at: tuple[Decimal, Decimal] | None = None,
    seat: str | None = None,
    covers: tuple[str, ...] = (),
    capability: str | None = "transport",
    quantity: int = 10,
    startup_hours: int | None = None,
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name,
        municipality=place(seat) if seat else None,
        latitude=at[0] if at else None,
        longitude=at[1] if at else None,
    )
    if covers:
        organisation.municipalities.set([place(code) for code in covers])
    if capability:
        OrganisationCapability.objects.create(
            organisation=organisation,
            capability=CapabilityType.objects.get(code=capability),
            quantity=Decimal(quantity),
            startup_hours=startup_hours,
        )
    return organisation


def add_people(
    organisation: Organisation, count: int, *, role: str = Membership.Role.MEMBER, prefix: str = ""
) -> list[Person]:
    label = prefix or f"o{organisation.pk}"
    people = [
        Person.objects.create(full_name=f"{label} {n}", email=f"{label}.{n}@example.lv")
        for n in range(count)
    ]
    Membership.objects.bulk_create(
        Membership(person=person, organisation=organisation, role=role) for person in people
    )
    return people
