"""CAP's text formats: dates, coordinates, polygons, circles and references."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.model import Circle, Point, Polygon, Reference

# The XSD's pattern for every CAP dateTime: seconds, a numeric offset, never "Z".
_DATETIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d")
_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
_MAX_OFFSET = timedelta(hours=14)


def _broken(reason: str) -> CapError:
    return CapError(reason, code=ErrorCode.RULE_BROKEN)


def format_datetime(value: datetime) -> str:
    """`2026-11-26T10:00:00+02:00`; UTC is written -00:00 as the CAP 1.2 spec asks."""
    offset = value.utcoffset()
    if offset is None:
        raise _broken(f"The time {value} has no time zone; CAP needs one.")
    if offset.total_seconds() % 60 or abs(offset) > _MAX_OFFSET:
        raise _broken(f"The time zone offset {offset} cannot be written in CAP.")
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "-00:00" if offset == timedelta(0) else text


def parse_datetime(text: str) -> datetime:
    if not _DATETIME.fullmatch(text):
        raise _broken(f"'{text}' is not a CAP time like 2026-11-26T10:00:00+02:00.")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _broken(f"'{text}' is not a real date and time.") from None


def format_decimal(value: Decimal) -> str:
    return format(value, "f")


def parse_decimal(text: str, what: str) -> Decimal:
    if not _NUMBER.fullmatch(text):
        raise _broken(f"The {what} '{text}' is not a decimal number.")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _broken(f"The {what} '{text}' is not a decimal number.") from None


def format_point(point: Point) -> str:
    return f"{format_decimal(point.lat)},{format_decimal(point.lon)}"


def parse_point(text: str) -> Point:
    parts = text.split(",")
    if len(parts) != 2:
        raise _broken(f"The point '{text}' is not 'latitude,longitude'.")
    return Point(lat=parse_decimal(parts[0], "latitude"), lon=parse_decimal(parts[1], "longitude"))


def format_polygon(polygon: Polygon) -> str:
    return " ".join(format_point(point) for point in polygon.points)


def parse_polygon(text: str) -> Polygon:
    return Polygon(points=tuple(parse_point(pair) for pair in text.split()))


def format_circle(circle: Circle) -> str:
    return f"{format_point(circle.center)} {format_decimal(circle.radius_km)}"


def parse_circle(text: str) -> Circle:
    parts = text.split()
    if len(parts) != 2:
        raise _broken(f"The circle '{text}' is not 'latitude,longitude radius'.")
    return Circle(center=parse_point(parts[0]), radius_km=parse_decimal(parts[1], "radius"))


def format_references(references: tuple[Reference, ...]) -> str:
    return " ".join(
        f"{ref.sender},{ref.identifier},{format_datetime(ref.sent)}" for ref in references
    )


def parse_references(text: str) -> tuple[Reference, ...]:
    references = []
    for triple in text.split():
        parts = triple.split(",")
        if len(parts) != 3:
            raise _broken(f"The reference '{triple}' is not 'sender,identifier,sent'.")
        sender, identifier, sent = parts
        references.append(
            Reference(sender=sender, identifier=identifier, sent=parse_datetime(sent))
        )
    return tuple(references)
