from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from noturiba.lib.cap import Alert, CapError, ErrorCode, FeedContents, parse, parse_feed, to_xml
from noturiba.lib.tests.cap_documents import CAP_1_1
from noturiba.lib.tests.cap_strategies import alerts

EXAMPLES = Path(__file__).with_name("cap_examples")
THUNDERSTORM = (EXAMPLES / "02-oasis-a2-severe-thunderstorm.xml").read_bytes()


def without_declaration(document: bytes) -> bytes:
    return document.split(b"?>", 1)[1]


def atom(*entries: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Warnings</title>'
        + b"".join(b"<entry><title>w</title>" + entry + b"</entry>" for entry in entries)
        + b"</feed>"
    )


def test_it_returns_alerts_embedded_in_atom_entries_ready_to_parse() -> None:
    data = atom(b'<content type="text/xml">' + without_declaration(THUNDERSTORM) + b"</content>")
    contents = parse_feed(data)
    assert contents.links == ()
    assert [parse(alert) for alert in contents.alerts] == [parse(THUNDERSTORM)]


def test_it_returns_cap_links_of_atom_entries_resolved_against_the_feed() -> None:
    data = atom(
        b'<link rel="alternate" type="text/html" href="/page/1"/>'
        b'<link rel="alternate" type="application/cap+xml" href="/cap/1.xml"/>',
        b'<link href="https://warnings.example.org/cap/2.xml"/>',
        b'<link href="https://warnings.example.org/cap/2.xml"/>',
    )
    contents = parse_feed(data, base_url="https://meteo.example.lv/feed.atom")
    assert contents == FeedContents(
        alerts=(),
        links=("https://meteo.example.lv/cap/1.xml", "https://warnings.example.org/cap/2.xml"),
    )


def test_it_drops_links_that_are_not_http() -> None:
    data = atom(b'<link href="file:///etc/passwd"/>', b'<link href="ftp://example.org/a.xml"/>')
    assert parse_feed(data).links == ()


def test_it_reads_rss_enclosures_and_links() -> None:
    data = (
        b"<rss version='2.0'><channel><title>t</title>"
        b"<item><link>https://example.org/page</link>"
        b"<enclosure url='https://example.org/a.cap' type='application/cap+xml' length='1'/></item>"
        b"<item><link>https://example.org/b.xml</link></item>"
        b"<item>" + without_declaration(THUNDERSTORM) + b"</item>"
        b"</channel></rss>"
    )
    contents = parse_feed(data)
    assert contents.links == ("https://example.org/a.cap", "https://example.org/b.xml")
    assert len(contents.alerts) == 1


def test_it_returns_a_single_cap_document_as_it_is() -> None:
    contents = parse_feed(THUNDERSTORM)
    assert [parse(alert) for alert in contents.alerts] == [parse(THUNDERSTORM)]


def test_it_passes_on_an_embedded_cap_1_1_alert_for_parse_to_refuse() -> None:
    contents = parse_feed(atom(b"<content>" + without_declaration(CAP_1_1) + b"</content>"))
    with pytest.raises(CapError) as refused:
        parse(contents.alerts[0])
    assert refused.value.code == ErrorCode.UNSUPPORTED_VERSION


def test_it_refuses_what_is_not_a_feed() -> None:
    with pytest.raises(CapError) as refused:
        parse_feed(b"<html><body>Not here</body></html>")
    assert refused.value.code == ErrorCode.NOT_A_FEED
    assert "<html>" in refused.value.reason


def test_it_refuses_a_feed_with_a_doctype() -> None:
    data = atom().replace(
        b"<feed", b'<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed'
    )
    with pytest.raises(CapError) as refused:
        parse_feed(data)
    assert refused.value.code == ErrorCode.FORBIDDEN_DTD


def test_it_refuses_a_feed_larger_than_the_bound() -> None:
    with pytest.raises(CapError) as refused:
        parse_feed(atom(b"<summary>" + b"x" * 5000 + b"</summary>"), max_bytes=4000)
    assert refused.value.code == ErrorCode.TOO_LARGE


@given(st.binary(max_size=2000))
def test_random_bytes_raise_nothing_but_cap_error(data: bytes) -> None:
    try:
        parse_feed(data)
    except CapError:
        pass


def test_it_takes_the_source_of_out_of_line_atom_content() -> None:
    data = atom(b'<content type="application/cap+xml" src="https://example.org/c.xml"/>')
    assert parse_feed(data).links == ("https://example.org/c.xml",)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(alerts(), max_size=3))
def test_alerts_embedded_in_a_feed_come_back_whole(embedded: list[Alert]) -> None:
    entries = [
        b"<content>" + without_declaration(to_xml(alert)) + b"</content>" for alert in embedded
    ]
    assert [parse(alert) for alert in parse_feed(atom(*entries)).alerts] == embedded
