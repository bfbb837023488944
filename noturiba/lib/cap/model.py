"""Typed model of an OASIS CAP 1.2 alert (the value lists are the XSD's enumerations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"


class Status(StrEnum):
    ACTUAL = "Actual"
    EXERCISE = "Exercise"
    SYSTEM = "System"
    TEST = "Test"
    DRAFT = "Draft"


class MsgType(StrEnum):
    ALERT = "Alert"
    UPDATE = "Update"
    CANCEL = "Cancel"
    ACK = "Ack"
    ERROR = "Error"


class Scope(StrEnum):
    PUBLIC = "Public"
    RESTRICTED = "Restricted"
    PRIVATE = "Private"


class Category(StrEnum):
    GEO = "Geo"
    MET = "Met"
    SAFETY = "Safety"
    SECURITY = "Security"
    RESCUE = "Rescue"
    FIRE = "Fire"
    HEALTH = "Health"
    ENV = "Env"
    TRANSPORT = "Transport"
    INFRA = "Infra"
    CBRNE = "CBRNE"
    OTHER = "Other"


class ResponseType(StrEnum):
    SHELTER = "Shelter"
    EVACUATE = "Evacuate"
    PREPARE = "Prepare"
    EXECUTE = "Execute"
    AVOID = "Avoid"
    MONITOR = "Monitor"
    ASSESS = "Assess"
    ALL_CLEAR = "AllClear"
    NONE = "None"


class Urgency(StrEnum):
    IMMEDIATE = "Immediate"
    EXPECTED = "Expected"
    FUTURE = "Future"
    PAST = "Past"
    UNKNOWN = "Unknown"


class Severity(StrEnum):
    EXTREME = "Extreme"
    SEVERE = "Severe"
    MODERATE = "Moderate"
    MINOR = "Minor"
    UNKNOWN = "Unknown"


class Certainty(StrEnum):
    OBSERVED = "Observed"
    LIKELY = "Likely"
    POSSIBLE = "Possible"
    UNLIKELY = "Unlikely"
    UNKNOWN = "Unknown"


@dataclass(frozen=True, kw_only=True)
class NamedValue:
    """A CAP valueName/value pair (eventCode, parameter, geocode)."""

    value_name: str
    value: str


@dataclass(frozen=True, kw_only=True)
class Reference:
    """One earlier message an Update, Cancel or Ack refers to."""

    sender: str
    identifier: str
    sent: datetime


@dataclass(frozen=True, kw_only=True)
class Point:
    """WGS 84 latitude and longitude in decimal degrees."""

    lat: Decimal
    lon: Decimal


@dataclass(frozen=True, kw_only=True)
class Polygon:
    """A closed ring: at least four points, the first equal to the last."""

    points: tuple[Point, ...]


@dataclass(frozen=True, kw_only=True)
class Circle:
    """A centre point and a radius in kilometres."""

    center: Point
    radius_km: Decimal


@dataclass(frozen=True, kw_only=True)
class Resource:
    resource_desc: str
    mime_type: str
    size: int | None = None
    uri: str | None = None
    deref_uri: str | None = None
    digest: str | None = None


@dataclass(frozen=True, kw_only=True)
class Area:
    area_desc: str
    polygons: tuple[Polygon, ...] = ()
    circles: tuple[Circle, ...] = ()
    geocodes: tuple[NamedValue, ...] = ()
    altitude: Decimal | None = None
    ceiling: Decimal | None = None


@dataclass(frozen=True, kw_only=True)
class Info:
    """One <info> block; `language` None means CAP's default, en-US."""

    categories: tuple[Category, ...]
    event: str
    urgency: Urgency
    severity: Severity
    certainty: Certainty
    language: str | None = None
    response_types: tuple[ResponseType, ...] = ()
    audience: str | None = None
    event_codes: tuple[NamedValue, ...] = ()
    effective: datetime | None = None
    onset: datetime | None = None
    expires: datetime | None = None
    sender_name: str | None = None
    headline: str | None = None
    description: str | None = None
    instruction: str | None = None
    web: str | None = None
    contact: str | None = None
    parameters: tuple[NamedValue, ...] = ()
    resources: tuple[Resource, ...] = ()
    areas: tuple[Area, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Alert:
    """A CAP 1.2 <alert>. `addresses` and `incidents` keep CAP's space-delimited text."""

    identifier: str
    sender: str
    sent: datetime
    status: Status
    msg_type: MsgType
    scope: Scope
    source: str | None = None
    restriction: str | None = None
    addresses: str | None = None
    codes: tuple[str, ...] = ()
    note: str | None = None
    references: tuple[Reference, ...] = ()
    incidents: str | None = None
    infos: tuple[Info, ...] = ()

    def as_reference(self) -> Reference:
        """How an Update or Cancel refers to this alert; also its identity for de-duplication."""
        return Reference(sender=self.sender, identifier=self.identifier, sent=self.sent)
