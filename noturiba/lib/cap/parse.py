"""Reading untrusted bytes into an Alert: bounded, DTD-free, schema-valid, rule-checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TypeVar

from lxml import etree

from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.formats import (
    parse_circle,
    parse_datetime,
    parse_decimal,
    parse_polygon,
    parse_references,
)
from noturiba.lib.cap.model import (
    CAP_NAMESPACE,
    Alert,
    Area,
    Category,
    Certainty,
    Info,
    MsgType,
    NamedValue,
    Resource,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
)
from noturiba.lib.cap.rules import check_alert
from noturiba.lib.cap.safexml import DEFAULT_MAX_BYTES, parse_untrusted_xml
from noturiba.lib.cap.schema import validate

# Earlier CAP versions are refused rather than mapped: their value lists and rules differ
# (CAP 1.0 has no <responseType> "Avoid"/"AllClear", 1.1 allows other date forms), and a
# silent mapping would let a sender believe their alert was read as they meant it.
OLDER_NAMESPACES = {
    "urn:oasis:names:tc:emergency:cap:1.1": "1.1",
    "http://www.incident.com/cap/1.0": "1.0",
    "urn:oasis:names:tc:emergency:cap:1.0": "1.0",
}

T = TypeVar("T")


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Alert:
    """The CAP 1.2 alert in `data`, or CapError saying in plain words why it is refused."""
    root = parse_untrusted_xml(data, max_bytes=max_bytes)
    return alert_from_element(root)


def alert_from_element(root: etree._Element) -> Alert:
    """An Alert from an already safely parsed <alert> element (validated here)."""
    _check_root(root)
    validate(root)
    alert = _alert(root)
    check_alert(alert)
    return alert


def _check_root(root: etree._Element) -> None:
    if not isinstance(root.tag, str):
        raise CapError("The document has no root element.", code=ErrorCode.WRONG_ROOT)
    name = etree.QName(root)
    version = OLDER_NAMESPACES.get(name.namespace or "")
    if version is not None:
        raise CapError(
            f"CAP {version} is not supported; send CAP 1.2.", code=ErrorCode.UNSUPPORTED_VERSION
        )
    if name.namespace != CAP_NAMESPACE:
        raise CapError(
            f"The root element <{name.localname}> is in namespace '{name.namespace or ''}',"
            f" not CAP 1.2's '{CAP_NAMESPACE}'.",
            code=ErrorCode.WRONG_ROOT,
        )
    if name.localname != "alert":
        raise CapError(
            f"The root element is <{name.localname}>, not <alert>: a CAP document holds"
            " exactly one alert.",
            code=ErrorCode.WRONG_ROOT,
        )


def _children(parent: etree._Element, name: str) -> list[etree._Element]:
    return parent.findall(f"{{{CAP_NAMESPACE}}}{name}")


def _text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def _all(parent: etree._Element, name: str, convert: Callable[[str], T]) -> tuple[T, ...]:
    return tuple(convert(_text_of(child)) for child in _children(parent, name))


def _optional(parent: etree._Element, name: str) -> str | None:
    children = _children(parent, name)
    return _text_of(children[0]) if children else None


def _required(parent: etree._Element, name: str) -> str:
    # The schema has already made sure required elements are present.
    return _text_of(_children(parent, name)[0])


def _optional_time(parent: etree._Element, name: str) -> datetime | None:
    text = _optional(parent, name)
    return None if text is None else parse_datetime(text.strip())


def _optional_decimal(parent: etree._Element, name: str) -> Decimal | None:
    text = _optional(parent, name)
    return None if text is None else parse_decimal(text.strip(), name)


def _named_values(parent: etree._Element, name: str) -> tuple[NamedValue, ...]:
    return tuple(
        NamedValue(value_name=_required(child, "valueName"), value=_required(child, "value"))
        for child in _children(parent, name)
    )


def _alert(root: etree._Element) -> Alert:
    references = _optional(root, "references")
    return Alert(
        identifier=_required(root, "identifier"),
        sender=_required(root, "sender"),
        sent=parse_datetime(_required(root, "sent").strip()),
        status=Status(_required(root, "status")),
        msg_type=MsgType(_required(root, "msgType")),
        source=_optional(root, "source"),
        scope=Scope(_required(root, "scope")),
        restriction=_optional(root, "restriction"),
        addresses=_optional(root, "addresses"),
        codes=_all(root, "code", str),
        note=_optional(root, "note"),
        references=() if references is None else parse_references(references),
        incidents=_optional(root, "incidents"),
        infos=tuple(_info(element) for element in _children(root, "info")),
    )


def _info(element: etree._Element) -> Info:
    return Info(
        language=_optional(element, "language"),
        categories=_all(element, "category", Category),
        event=_required(element, "event"),
        response_types=_all(element, "responseType", ResponseType),
        urgency=Urgency(_required(element, "urgency")),
        severity=Severity(_required(element, "severity")),
        certainty=Certainty(_required(element, "certainty")),
        audience=_optional(element, "audience"),
        event_codes=_named_values(element, "eventCode"),
        effective=_optional_time(element, "effective"),
        onset=_optional_time(element, "onset"),
        expires=_optional_time(element, "expires"),
        sender_name=_optional(element, "senderName"),
        headline=_optional(element, "headline"),
        description=_optional(element, "description"),
        instruction=_optional(element, "instruction"),
        web=_optional(element, "web"),
        contact=_optional(element, "contact"),
        parameters=_named_values(element, "parameter"),
        resources=tuple(_resource(child) for child in _children(element, "resource")),
        areas=tuple(_area(child) for child in _children(element, "area")),
    )


def _resource(element: etree._Element) -> Resource:
    size = _optional(element, "size")
    return Resource(
        resource_desc=_required(element, "resourceDesc"),
        mime_type=_required(element, "mimeType"),
        size=None if size is None else _size(size),
        uri=_optional(element, "uri"),
        deref_uri=_optional(element, "derefUri"),
        digest=_optional(element, "digest"),
    )


def _size(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:  # xs:integer has no bound; Python refuses over 4300 digits
        raise CapError(
            f"The resource size '{text[:20]}…' is too large.", code=ErrorCode.RULE_BROKEN
        ) from None


def _area(element: etree._Element) -> Area:
    # Real feeds send empty <polygon/>s; an empty polygon describes nothing and is skipped.
    polygons = [text for text in _all(element, "polygon", str) if text.strip()]
    return Area(
        area_desc=_required(element, "areaDesc"),
        polygons=tuple(parse_polygon(text) for text in polygons),
        circles=_all(element, "circle", lambda text: parse_circle(text.strip())),
        geocodes=_named_values(element, "geocode"),
        altitude=_optional_decimal(element, "altitude"),
        ceiling=_optional_decimal(element, "ceiling"),
    )
