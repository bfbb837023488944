"""CAP 1.2 rules the XSD cannot express, checked on every alert built or parsed."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.formats import format_datetime
from noturiba.lib.cap.model import Alert, Area, Circle, Info, Point, Polygon, Scope

# CAP 1.2 §3.2.1: identifier and sender contain no spaces, commas, "<" or "&".
_NAME = re.compile(r"[^\s,<&]+")


def _broken(reason: str) -> CapError:
    return CapError(reason, code=ErrorCode.RULE_BROKEN)


def check_alert(alert: Alert) -> None:
    """Raise CapError(code=RULE_BROKEN) naming the first rule the alert breaks."""
    _check_name(alert.identifier, "identifier")
    _check_name(alert.sender, "sender")
    _check_time(alert.sent, "sent")
    if alert.scope == Scope.RESTRICTED and not alert.restriction:
        raise _broken("A Restricted alert needs a <restriction>.")
    if alert.scope == Scope.PRIVATE and not alert.addresses:
        raise _broken("A Private alert needs <addresses>.")
    for ref in alert.references:
        _check_name(ref.sender, "reference sender")
        _check_name(ref.identifier, "reference identifier")
        _check_time(ref.sent, "reference sent")
    for info in alert.infos:
        _check_info(info, alert.sent)


def _check_name(value: str, what: str) -> None:
    if not _NAME.fullmatch(value):
        raise _broken(f"The {what} '{value}' must be non-empty, without spaces, commas, < or &.")


def _check_time(value: datetime, what: str) -> None:
    format_datetime(value)  # raises when the time cannot be written in CAP
    if value.microsecond:
        raise _broken(f"The {what} time has fractions of a second; CAP keeps whole seconds.")


def _check_info(info: Info, sent: datetime) -> None:
    if not info.categories:
        raise _broken("An <info> block needs at least one <category>.")
    for value, what in ((info.effective, "effective"), (info.onset, "onset")):
        if value is not None:
            _check_time(value, what)
    if info.expires is not None:
        _check_time(info.expires, "expires")
        start = info.effective or sent
        if info.expires <= start:
            raise _broken(
                f"The alert expires ({format_datetime(info.expires)}) before it takes effect"
                f" ({format_datetime(start)})."
            )
    for resource in info.resources:
        if resource.size is not None and resource.size < 0:
            raise _broken(f"The resource '{resource.resource_desc}' has a negative size.")
    for area in info.areas:
        _check_area(area)


def _check_area(area: Area) -> None:
    for polygon in area.polygons:
        _check_polygon(polygon)
    for circle in area.circles:
        _check_circle(circle)
    if area.ceiling is not None:
        if area.altitude is None:
            raise _broken(f"The area '{area.area_desc}' has a ceiling but no altitude.")
        _check_finite(area.ceiling, "ceiling")
        _check_finite(area.altitude, "altitude")
        if area.ceiling < area.altitude:
            raise _broken(f"The area '{area.area_desc}' has its ceiling below its altitude.")
    if area.altitude is not None:
        _check_finite(area.altitude, "altitude")


def _check_polygon(polygon: Polygon) -> None:
    if len(polygon.points) < 4:
        raise _broken("A polygon needs at least four points (the first repeated last).")
    if polygon.points[0] != polygon.points[-1]:
        raise _broken("A polygon must be closed: its last point must equal its first.")
    for point in polygon.points:
        _check_point(point)


def _check_circle(circle: Circle) -> None:
    _check_point(circle.center)
    _check_finite(circle.radius_km, "radius")
    if circle.radius_km < 0:
        raise _broken(f"A circle's radius cannot be negative ({circle.radius_km} km).")


def _check_point(point: Point) -> None:
    _check_finite(point.lat, "latitude")
    _check_finite(point.lon, "longitude")
    if not -90 <= point.lat <= 90:
        raise _broken(f"The latitude {point.lat} is outside -90..90.")
    if not -180 <= point.lon <= 180:
        raise _broken(f"The longitude {point.lon} is outside -180..180.")


def _check_finite(value: Decimal, what: str) -> None:
    if not value.is_finite():
        raise _broken(f"The {what} must be a finite number.")
