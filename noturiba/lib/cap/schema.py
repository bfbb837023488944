"""Validation against the bundled OASIS CAP 1.2 XSD (CAP-v1.2.xsd, see README.md)."""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree

from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.model import CAP_NAMESPACE

SCHEMA_PATH = Path(__file__).with_name("CAP-v1.2.xsd")
_MAX_REPORTED_ERRORS = 3
# lxml's XMLSchema objects are not shared between threads: one per thread.
_local = threading.local()


def _schema() -> etree.XMLSchema:
    schema: etree.XMLSchema | None = getattr(_local, "schema", None)
    if schema is None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))
        _local.schema = schema
    return schema


def _plain(message: str) -> str:
    """libxml2's message without the CAP namespace on every element name."""
    return message.replace(f"{{{CAP_NAMESPACE}}}", "")


def validate(root: etree._Element) -> None:
    """Raise CapError(code=SCHEMA_INVALID) with the schema's first errors, line by line."""
    schema = _schema()
    if schema.validate(root):
        return
    errors = [
        f"line {error.line}: {_plain(error.message)}"
        for error in list(schema.error_log)[:_MAX_REPORTED_ERRORS]
    ]
    raise CapError(
        "The document does not follow the CAP 1.2 schema: " + "; ".join(errors),
        code=ErrorCode.SCHEMA_INVALID,
    )
