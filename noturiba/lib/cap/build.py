"""Writing an Alert as CAP 1.2 XML, elements in the XSD's order."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from lxml import etree

from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.formats import (
    format_circle,
    format_datetime,
    format_decimal,
    format_polygon,
    format_references,
)
from noturiba.lib.cap.model import CAP_NAMESPACE, Alert, Area, Info, NamedValue, Resource
from noturiba.lib.cap.rules import check_alert
from noturiba.lib.cap.schema import validate


def to_xml(alert: Alert) -> bytes:
    """UTF-8 CAP 1.2 XML of `alert`, checked against the rules and the XSD (else CapError)."""
    check_alert(alert)
    try:
        root = _alert_element(alert)
    except ValueError as error:  # lxml refuses text XML cannot carry (control characters)
        raise CapError(
            f"The alert has text XML cannot carry: {error}", code=ErrorCode.RULE_BROKEN
        ) from None
    validate(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, f"{{{CAP_NAMESPACE}}}{name}").text = text


def _add_time(parent: etree._Element, name: str, value: datetime | None) -> None:
    _add(parent, name, None if value is None else format_datetime(value))


def _add_decimal(parent: etree._Element, name: str, value: Decimal | None) -> None:
    _add(parent, name, None if value is None else format_decimal(value))


def _add_named_value(parent: etree._Element, name: str, pair: NamedValue) -> None:
    element = etree.SubElement(parent, f"{{{CAP_NAMESPACE}}}{name}")
    _add(element, "valueName", pair.value_name)
    _add(element, "value", pair.value)


def _alert_element(alert: Alert) -> etree._Element:
    root = etree.Element(f"{{{CAP_NAMESPACE}}}alert", nsmap={None: CAP_NAMESPACE})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add_time(root, "sent", alert.sent)
    _add(root, "status", alert.status.value)
    _add(root, "msgType", alert.msg_type.value)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope.value)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", alert.addresses)
    for code in alert.codes:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    if alert.references:
        _add(root, "references", format_references(alert.references))
    _add(root, "incidents", alert.incidents)
    for info in alert.infos:
        _add_info(root, info)
    return root


def _add_info(root: etree._Element, info: Info) -> None:
    element = etree.SubElement(root, f"{{{CAP_NAMESPACE}}}info")
    _add(element, "language", info.language)
    for category in info.categories:
        _add(element, "category", category.value)
    _add(element, "event", info.event)
    for response_type in info.response_types:
        _add(element, "responseType", response_type.value)
    _add(element, "urgency", info.urgency.value)
    _add(element, "severity", info.severity.value)
    _add(element, "certainty", info.certainty.value)
    _add(element, "audience", info.audience)
    for event_code in info.event_codes:
        _add_named_value(element, "eventCode", event_code)
    _add_time(element, "effective", info.effective)
    _add_time(element, "onset", info.onset)
    _add_time(element, "expires", info.expires)
    _add(element, "senderName", info.sender_name)
    _add(element, "headline", info.headline)
    _add(element, "description", info.description)
    _add(element, "instruction", info.instruction)
    _add(element, "web", info.web)
    _add(element, "contact", info.contact)
    for parameter in info.parameters:
        _add_named_value(element, "parameter", parameter)
    for resource in info.resources:
        _add_resource(element, resource)
    for area in info.areas:
        _add_area(element, area)


def _add_resource(info: etree._Element, resource: Resource) -> None:
    element = etree.SubElement(info, f"{{{CAP_NAMESPACE}}}resource")
    _add(element, "resourceDesc", resource.resource_desc)
    _add(element, "mimeType", resource.mime_type)
    _add(element, "size", None if resource.size is None else str(resource.size))
    _add(element, "uri", resource.uri)
    _add(element, "derefUri", resource.deref_uri)
    _add(element, "digest", resource.digest)


def _add_area(info: etree._Element, area: Area) -> None:
    element = etree.SubElement(info, f"{{{CAP_NAMESPACE}}}area")
    _add(element, "areaDesc", area.area_desc)
    for polygon in area.polygons:
        _add(element, "polygon", format_polygon(polygon))
    for circle in area.circles:
        _add(element, "circle", format_circle(circle))
    for geocode in area.geocodes:
        _add_named_value(element, "geocode", geocode)
    _add_decimal(element, "altitude", area.altitude)
    _add_decimal(element, "ceiling", area.ceiling)
