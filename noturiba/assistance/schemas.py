"""The API's schemas of assistance requests and their lines (shared by the areas' API modules:
claims and matching present lines with :class:`LineOut` and :func:`present_line`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from noturiba.assistance.models import AssistanceRequest, RequestLine
from noturiba.network.models import Unit
from noturiba.network.schemas import Input, Latitude, Longitude, ObjectId

if TYPE_CHECKING:
    UrgencyName = str
    UnitName = str
    StateName = str
else:
    UrgencyName = Literal[tuple(AssistanceRequest.UrgencyChoice.values)]
    UnitName = Literal[tuple(Unit.values)]
    StateName = Literal[tuple(AssistanceRequest.State.values)]

# A request's coverage on the board: ``closed`` covers closed and cancelled requests.
StatusName = Literal["open", "partly", "covered", "overdue", "closed"]
Coverage = Literal["uncovered", "partly", "covered"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
LineQuantity = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)]


class CapabilityRef(Schema):
    code: str = Field(description="Code of the capability catalogue, e.g. `transport`.")
    name: str = Field(description="Its name in the interface language.")


class LineOut(Schema):
    id: int
    capability: CapabilityRef
    quantity: Decimal = Field(description="How much is asked for (decimal string).")
    unit: str = Field(description="`seats`, `m2`, `people`, `litres`, `hours` …")
    claimed: Decimal = Field(description="How much organisations have claimed.")
    remaining: Decimal = Field(description="What is still missing: quantity − claimed.")
    done: Decimal = Field(description="How much of the claimed part is done.")
    notes: str


def present_line(line: RequestLine) -> dict[str, Any]:
    """A line as :class:`LineOut` (its capability should be loaded with it)."""
    return {
        "id": line.pk,
        "capability": {"code": line.capability.code, "name": line.capability.name},
        "quantity": line.quantity,
        "unit": line.unit,
        "claimed": line.claimed,
        "remaining": line.remaining,
        "done": line.done,
        "notes": line.notes,
    }


class LineIn(Input):
    capability: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] = Field(
        description="Code of the capability catalogue, e.g. `transport`."
    )
    quantity: LineQuantity
    unit: UnitName | None = Field(None, description="Default: the capability's unit.")
    notes: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class RequestIn(Input):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, max_length=6)] = Field(
        description="ISO 3166-2:LV code of the municipality, e.g. `LV-067`."
    )
    address: Text = ""
    latitude: Latitude | None = Field(None, description="Within Latvia; with `longitude`.")
    longitude: Longitude | None = None
    urgency: UrgencyName = Field("Immediate", description="CAP 1.2 urgency.")
    starts_at: datetime.datetime | None = Field(
        None, description="Needed from (a time without offset is Riga time)."
    )
    ends_at: datetime.datetime | None = Field(None, description="Needed until.")
    deadline: datetime.datetime = Field(description="When the help must be in place.")
    contact_name: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    contact_phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=30)] = Field(
        "", description="E.164 or a Latvian number."
    )
    contact_email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] = ""
    alert_id: ObjectId | None = Field(None, description="A related alert the caller may see.")
    offered_to_network: bool = True
    offers_need_approval: bool = False
    lines: list[LineIn] = Field(min_length=1, max_length=50)


class InstitutionRef(Schema):
    id: int
    name: str


class RequestOut(Schema):
    id: int
    url: str = Field(description="The request's page.")
    title: str
    description: str
    state: StateName
    coverage: Coverage = Field(description="Of all lines together.")
    overdue: bool = Field(description="Open, past its deadline and not covered.")
    municipality: str = Field(description="ISO 3166-2:LV code.")
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    urgency: UrgencyName
    starts_at: datetime.datetime | None
    ends_at: datetime.datetime | None
    deadline: datetime.datetime
    contact_name: str
    contact_phone: str
    contact_email: str
    alert_id: int | None
    institution: InstitutionRef | None
    offered_to_network: bool
    offers_need_approval: bool
    created_at: datetime.datetime
    closed_at: datetime.datetime | None
    cancel_reason: str = Field(description="Why the request was cancelled; empty otherwise.")
    lines: list[LineOut]


class RequestQuery(Schema):
    state: StateName | None = Field(None, description="Only requests in this state.")
    status: StatusName | None = Field(
        None,
        description=(
            "The board's tabs: `open` (open, nothing claimed), `partly`, `covered`, `overdue` "
            "(open, past the deadline, not covered), `closed` (closed or cancelled)."
        ),
    )
    municipality: str | None = Field(
        None, max_length=6, description="ISO 3166-2:LV code, e.g. `LV-067`."
    )
