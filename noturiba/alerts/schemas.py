"""The alerts' API schemas: what ``/api/v1/alerts`` reads and writes.

Inputs only parse and bound values (the shared :data:`~noturiba.network.schemas.Text`,
:data:`~noturiba.network.schemas.Code` and :data:`~noturiba.network.schemas.ObjectId` types of
the directory's API); the CAP rules (polygon, circle, date order, a reference for Update and
Cancel) are checked by ``noturiba.alerts.actions``, whose field errors the API answers with 422.
Outputs read rows that the endpoint prepared (``present_*`` in ``noturiba.alerts.api.alerts``).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from noturiba.alerts.models import Alert, Delivery
from noturiba.alerts.replies import Answer
from noturiba.lib.cap.model import Category, Certainty, Severity, Urgency
from noturiba.network.models import Membership
from noturiba.network.schemas import MAX_CODES, Code, Input, ObjectId, Text, _plain_text

# An escalation later than a week would come after any real crisis has moved on.
MAX_ESCALATION_MINUTES = 7 * 24 * 60
# CAP dates are read as the years a crisis can happen in: far-off years are typing mistakes
# (and years near 1 or 9999 do not survive the conversion to UTC).
MIN_YEAR, MAX_YEAR = 2000, 2999


def _iso_text(value: Any) -> Any:
    """Dates come as ISO 8601 text, not as numbers pydantic would read as Unix time."""
    if not isinstance(value, str):
        raise ValueError(
            "must be an ISO 8601 date and time with its offset, e.g. 2026-11-26T10:00:00+02:00"
        )
    return value


def _plausible_year(value: datetime.datetime) -> datetime.datetime:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


# One line of text, surrounding spaces removed (a headline of spaces is no headline).
Line = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_plain_text)]

CapDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_text), AfterValidator(_plausible_year)]

if TYPE_CHECKING:
    AlertStatus = str
    AlertMsgType = str
    AlertScope = str
    AlertCategory = str
    AlertUrgency = str
    AlertSeverity = str
    AlertCertainty = str
    AlertState = str
    DeliveryState = str
    DeliveryRecipient = str
    AnswerName = str
    Role = str
else:
    # Inline enums (choice classes share names such as ``State``, which would collide in the
    # OpenAPI document).
    def _values(field: str) -> tuple[str, ...]:
        return tuple(value for value, _label in Alert._meta.get_field(field).choices)

    AlertStatus = Literal[_values("status")]
    AlertMsgType = Literal[_values("msg_type")]
    AlertScope = Literal[_values("scope")]
    AlertCategory = Literal[tuple(member.value for member in Category)]
    AlertUrgency = Literal[tuple(member.value for member in Urgency)]
    AlertSeverity = Literal[tuple(member.value for member in Severity)]
    AlertCertainty = Literal[tuple(member.value for member in Certainty)]
    AlertState = Literal[tuple(Alert.State.values)]
    DeliveryState = Literal[tuple(Delivery.State.values)]
    DeliveryRecipient = Literal[tuple(Delivery.Recipient.values)]
    AnswerName = Literal[tuple(Answer.values)]
    Role = Literal[tuple(Membership.Role.values)]

ChannelName = Annotated[
    str, Field(min_length=1, max_length=20, pattern=r"^[a-z0-9_-]+$", description="Channel kind.")
]


# --- Writing an alert ---------------------------------------------------------------------------


class AudienceIn(Input):
    """Who receives the alert: members of organisations matching every filter given.

    Without municipalities of its own, the audience is the people of the alert's area.
    """

    municipalities: list[Code] = Field(
        [], max_length=MAX_CODES, description="Municipality codes (ATVK-based, e.g. `LV-067`)."
    )
    target_groups: list[Code] = Field(
        [], max_length=MAX_CODES, description="Codes of target groups the organisations serve."
    )
    capabilities: list[Code] = Field(
        [], max_length=MAX_CODES, description="Codes of capabilities the organisations offer."
    )
    organisations: list[ObjectId] = Field(
        [], max_length=MAX_CODES, description="Ids of organisations."
    )
    roles: list[Role] = Field([], max_length=5, description="Only members with these roles.")
    lists: list[ObjectId] = Field(
        [], max_length=MAX_CODES, description="Ids of saved lists (yours; coordinators: any)."
    )


class AlertIn(Input):
    """A new draft alert (CAP 1.2's fields, a Latvian and an optional English text)."""

    status: AlertStatus = Field("Actual", description="CAP status.")
    msg_type: AlertMsgType = Field("Alert", description="CAP message type.")
    references: ObjectId | None = Field(
        None, description="Id of the earlier alert this updates or cancels (required then)."
    )
    scope: AlertScope = Field("Restricted", description="CAP scope.")
    category: AlertCategory = Field("Safety", description="CAP category.")
    event: Line = Field(min_length=1, max_length=200, description="What happens, in a few words.")
    urgency: AlertUrgency = Field("Immediate")
    severity: AlertSeverity = Field("Severe")
    certainty: AlertCertainty = Field("Likely")
    headline: Line = Field(min_length=1, max_length=160, description="Latvian headline.")
    description: Text = Field("", max_length=10_000)
    instruction: Text = Field("", max_length=10_000)
    headline_en: Line = Field("", max_length=160, description="English headline (optional).")
    description_en: Text = Field("", max_length=10_000)
    instruction_en: Text = Field("", max_length=10_000)
    web: Text = Field("", max_length=200, description="A link with more information.")
    effective: CapDateTime | None = Field(None, description="ISO 8601 with offset.")
    expires: CapDateTime | None = Field(None, description="ISO 8601 with offset.")
    municipalities: list[Code] = Field(
        [], max_length=MAX_CODES, description="The area: municipality codes."
    )
    area_polygon: Text = Field(
        "",
        max_length=20_000,
        description="CAP polygon: `lat,lon` pairs separated by spaces, the first repeated last.",
    )
    area_circle: Text = Field(
        "", max_length=100, description="CAP circle: `lat,lon radius` (radius in km)."
    )
    escalate_after_minutes: int | None = Field(
        None,
        ge=1,
        le=MAX_ESCALATION_MINUTES,
        description="Unanswered after this long → the next channel, then the second contact.",
    )
    audience: AudienceIn = Field(default_factory=lambda: AudienceIn.model_validate({}))

    @field_validator("expires")
    @classmethod
    def _expires_after_effective(
        cls, value: datetime.datetime | None, info: ValidationInfo
    ) -> datetime.datetime | None:
        effective = info.data.get("effective")
        if value is not None and effective is not None and value <= effective:
            raise ValueError("must be later than effective")
        return value


# --- Reading alerts -----------------------------------------------------------------------------


class AudienceOut(Schema):
    municipalities: list[str] = Field(description="Municipality codes.")
    target_groups: list[str]
    capabilities: list[str]
    organisations: list[int]
    roles: list[str]
    lists: list[int]


class AlertOut(Schema):
    id: int
    identifier: str = Field(description="CAP identifier.")
    sender: str
    sent: datetime.datetime | None
    state: AlertState = Field(
        description="`draft`, `approval` (awaiting a second person), `sending`, `sent` or "
        "`cancelled`."
    )
    status: AlertStatus
    msg_type: AlertMsgType
    references: int | None = Field(description="Id of the alert this one updates or cancels.")
    scope: AlertScope
    category: AlertCategory
    event: str
    urgency: AlertUrgency
    severity: AlertSeverity
    certainty: AlertCertainty
    headline: str
    description: str
    instruction: str
    headline_en: str
    description_en: str
    instruction_en: str
    web: str
    effective: datetime.datetime | None
    expires: datetime.datetime | None
    municipalities: list[str] = Field(description="The area: municipality codes.")
    area_polygon: str
    area_circle: str
    escalate_after_minutes: int | None
    audience: AudienceOut
    created_by: int | None = Field(description="User id of the author.")
    created_at: datetime.datetime
    approved_by: int | None
    approved_at: datetime.datetime | None

    @staticmethod
    def resolve_references(obj: Alert) -> int | None:
        return obj.references_id

    @staticmethod
    def resolve_municipalities(obj: Alert) -> list[str]:
        return sorted(m.code for m in obj.municipalities.all())

    @staticmethod
    def resolve_escalate_after_minutes(obj: Alert) -> int | None:
        if obj.escalate_after is None:
            return None
        return int(obj.escalate_after.total_seconds() // 60)

    @staticmethod
    def resolve_audience(obj: Alert) -> dict[str, Any]:
        return getattr(obj, "audience_out", {})

    @staticmethod
    def resolve_created_by(obj: Alert) -> int | None:
        return obj.created_by_id

    @staticmethod
    def resolve_approved_by(obj: Alert) -> int | None:
        return obj.approved_by_id


class ProgressOut(Schema):
    deliveries: int = Field(description="Deliveries written (people × channels × steps).")
    by_state: dict[str, int] = Field(description="Deliveries per state.")
    by_channel: dict[str, dict[str, int]] = Field(description="Channel → state → deliveries.")
    by_answer: dict[str, int] = Field(description="Answers per kind.")
    acknowledged: int = Field(description="People who answered.")


class AlertDetailOut(AlertOut):
    """One alert with its live progress."""

    progress: ProgressOut

    @staticmethod
    def resolve_progress(obj: Alert) -> Any:
        return obj.progress  # type: ignore[attr-defined]


class SentOut(Schema):
    alert: AlertDetailOut
    queued: int = Field(description="Deliveries queued by this call (0 while awaiting approval).")


class CancelledOut(Schema):
    alert: AlertDetailOut
    stopped: int = Field(description="Queued deliveries stopped before they went out.")


class AlertListQuery(Schema):
    state: AlertState | None = Field(None, description="Only alerts in this state.")


# --- Deliveries ---------------------------------------------------------------------------------


class DeliveryQuery(Schema):
    state: DeliveryState | None = Field(None, description="Only deliveries in this state.")
    channel: ChannelName | None = Field(None, description="Only deliveries over this channel.")


class PersonRef(Schema):
    id: int
    name: str


class DeliveryOut(Schema):
    id: int
    person: PersonRef | None = Field(description="Null for a connected system (webhook).")
    recipient: DeliveryRecipient = Field(
        description="`person`, `second` (their second contact) or `system` (a webhook)."
    )
    channel: str
    address: str = Field(
        description="Masked (`m***@example.lv`, `+3712*****02`) unless the caller may see the "
        "person's contacts (webhook addresses: coordinators)."
    )
    state: DeliveryState
    attempts: int
    step: int = Field(description="0: the first channel; 1, 2 …: escalations.")
    sent_at: datetime.datetime | None
    last_error: str
    answer: AnswerName | None = Field(description="The person's answer to the alert, if any.")

    @staticmethod
    def resolve_person(obj: Delivery) -> dict[str, Any] | None:
        if obj.person is None:
            return None
        return {"id": obj.person.pk, "name": obj.person.full_name}

    @staticmethod
    def resolve_address(obj: Delivery) -> str:
        return getattr(obj, "shown_address", obj.address)

    @staticmethod
    def resolve_last_error(obj: Delivery) -> str:
        return getattr(obj, "shown_error", obj.last_error)

    @staticmethod
    def resolve_answer(obj: Delivery) -> str | None:
        return getattr(obj, "answer", None)
