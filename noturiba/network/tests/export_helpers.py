"""Reading exports back in tests: the whole content, and a careful vCard 4.0 parser."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from noturiba.network.exports import Export, export_organisations
from noturiba.network.selectors import DirectoryFilters


def export_text(actor: Any, fmt: str, **query: str) -> str:
    export: Export = export_organisations(actor, DirectoryFilters.from_query(query), fmt)
    return "".join(export.content)


@dataclass
class Card:
    properties: list[tuple[str, dict[str, str], str]] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for prop, _params, value in self.properties if prop == name]

    def value(self, name: str) -> str:
        [value] = self.values(name)
        return value


def unfold(text: str) -> list[str]:
    """RFC 6350 §3.2: CRLF line ends, at most 75 octets a line, continuation lines start with a
    space."""
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    logical: list[str] = []
    for line in physical:
        assert "\n" not in line and "\r" not in line
        assert len(line.encode("utf-8")) <= 75, line
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return logical


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def split_unescaped(value: str, separator: str) -> list[str]:
    return [unescape(part) for part in re.split(rf"(?<!\\){re.escape(separator)}", value)]


def parse_vcards(text: str) -> list[Card]:
    cards: list[Card] = []
    current: Card | None = None
    for line in unfold(text):
        head, _colon, value = line.partition(":")
        name, *raw_params = head.split(";")
        params = dict(param.split("=", 1) for param in raw_params)
        if name == "BEGIN":
            assert value == "VCARD" and current is None
            current = Card()
        elif name == "END":
            assert current is not None and current.properties[0] == ("VERSION", {}, "4.0")
            cards.append(current)
            current = None
        else:
            assert current is not None
            current.properties.append((name, params, value))
    assert current is None
    return cards
