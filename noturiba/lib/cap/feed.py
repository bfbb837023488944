"""CAP alerts in Atom and RSS feeds: the alerts embedded in entries, and links to CAP files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree

from noturiba.lib.cap.errors import CapError, ErrorCode
from noturiba.lib.cap.model import CAP_NAMESPACE
from noturiba.lib.cap.parse import OLDER_NAMESPACES
from noturiba.lib.cap.safexml import DEFAULT_MAX_BYTES, parse_untrusted_xml

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
_ALERT_NAMESPACES = {CAP_NAMESPACE, *OLDER_NAMESPACES}
_FETCHABLE_SCHEMES = {"http", "https"}


@dataclass(frozen=True)
class FeedContents:
    """CAP documents found inline (each ready for `parse`) and CAP file links to fetch."""

    alerts: tuple[bytes, ...]
    links: tuple[str, ...]


def parse_feed(
    data: bytes, *, base_url: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> FeedContents:
    """What an Atom feed, an RSS 2.0 feed or a single CAP document offers.

    An entry (item) whose content holds a CAP <alert> gives that alert; any other gives its
    content's `src`, else its link typed application/cap+xml (an RSS enclosure), else its main
    link, resolved against `base_url`; links that are not http(s) are dropped. Inline alerts
    of older CAP versions are returned too, so that `parse` can refuse them with their reason.
    """
    root = parse_untrusted_xml(data, max_bytes=max_bytes)
    if _is_alert(root):
        return FeedContents(alerts=(_serialize(root),), links=())
    name = etree.QName(root) if isinstance(root.tag, str) else None
    if name is not None and (name.namespace, name.localname) == (ATOM_NAMESPACE, "feed"):
        entries = root.findall(f"{{{ATOM_NAMESPACE}}}entry")
        return _contents(entries, _atom_link, base_url)
    if name is not None and (name.namespace, name.localname) == (None, "rss"):
        return _contents(root.findall("channel/item"), _rss_link, base_url)
    raise CapError(
        f"The document is neither an Atom or RSS feed nor a CAP alert (its root is"
        f" <{name.localname if name else '?'}>).",
        code=ErrorCode.NOT_A_FEED,
    )


def _is_alert(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    name = etree.QName(element)
    return name.localname == "alert" and name.namespace in _ALERT_NAMESPACES


def _serialize(alert: etree._Element) -> bytes:
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8")


def _contents(
    entries: list[etree._Element],
    link_of: Callable[[etree._Element], str | None],
    base_url: str | None,
) -> FeedContents:
    alerts: list[bytes] = []
    links: list[str] = []
    for entry in entries:
        inline = [element for element in entry.iter() if _is_alert(element)]
        if inline:
            alerts.extend(_serialize(element) for element in inline)
            continue
        link = _fetchable(link_of(entry), base_url)
        if link is not None and link not in links:
            links.append(link)
    return FeedContents(alerts=tuple(alerts), links=tuple(links))


def _atom_link(entry: etree._Element) -> str | None:
    content = entry.find(f"{{{ATOM_NAMESPACE}}}content")
    if content is not None and content.get("src"):
        return content.get("src")
    links = entry.findall(f"{{{ATOM_NAMESPACE}}}link")
    for link in links:
        if "cap" in (link.get("type") or "").lower():
            return link.get("href")
    for link in links:
        if link.get("rel") in (None, "alternate"):
            return link.get("href")
    return None


def _rss_link(entry: etree._Element) -> str | None:
    for enclosure in entry.findall("enclosure"):
        if "cap" in (enclosure.get("type") or "").lower():
            return enclosure.get("url")
    return entry.findtext("link")


def _fetchable(href: str | None, base_url: str | None) -> str | None:
    if not href or not href.strip():
        return None
    url = urljoin(base_url or "", href.strip())
    return url if urlsplit(url).scheme in _FETCHABLE_SCHEMES else None
