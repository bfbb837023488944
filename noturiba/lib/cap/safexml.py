"""Parsing untrusted XML: bounded size, no DTD, no entities, no network."""

from __future__ import annotations

from lxml import etree

from noturiba.lib.cap.errors import CapError, ErrorCode

DEFAULT_MAX_BYTES = 1_000_000

# A DOCTYPE is where entities (XXE, "billion laughs") are declared: refuse any, in the
# encodings a document may declare, before the parser sees it, and again after parsing.
# (A CDATA section quoting "<!DOCTYPE" is refused too: a price worth paying.)
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)


def parse_untrusted_xml(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of `data`, or CapError when it is too large, has a DTD or is not XML."""
    if len(data) > max_bytes:
        raise CapError(
            f"The document is {len(data)} bytes; at most {max_bytes} are accepted.",
            code=ErrorCode.TOO_LARGE,
        )
    if any(marker in data for marker in _DTD_MARKERS):
        raise _forbidden_dtd()
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise CapError(
            f"The document is not well-formed XML (line {error.lineno}): {error.msg}",
            code=ErrorCode.NOT_XML,
        ) from None
    except (etree.LxmlError, ValueError) as error:
        raise CapError(f"The document is not XML: {error}", code=ErrorCode.NOT_XML) from None
    if root is None:
        raise CapError("The document is empty.", code=ErrorCode.NOT_XML)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _forbidden_dtd()
    return root


def _forbidden_dtd() -> CapError:
    return CapError(
        "The document has a DOCTYPE or entity declarations, which are refused.",
        code=ErrorCode.FORBIDDEN_DTD,
    )
