"""Hostile input to the CAP parser: every refusal is a CapError, nothing is read or expanded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from noturiba.lib.cap import CapError, ErrorCode, parse
from noturiba.lib.tests.cap_documents import CAP_1_1, info, minimal


def refusal(data: bytes, **options: int) -> CapError:
    with pytest.raises(CapError) as refused:
        parse(data, **options)
    return refused.value


def test_it_does_not_read_an_external_entity() -> None:
    data = minimal(
        head="<source>&xxe;</source>",
    ).replace(
        b"<alert",
        b'<!DOCTYPE alert [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><alert',
    )
    error = refusal(data)
    assert error.code == ErrorCode.FORBIDDEN_DTD
    assert "root:" not in error.reason


def test_it_refuses_an_external_dtd() -> None:
    data = minimal().replace(
        b"<alert", b'<!DOCTYPE alert SYSTEM "http://127.0.0.1:9/cap.dtd"><alert', 1
    )
    assert refusal(data).code == ErrorCode.FORBIDDEN_DTD


def test_it_refuses_billion_laughs() -> None:
    entities = "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f'<!DOCTYPE alert [<!ENTITY lol0 "lol">{entities}]>'
    data = minimal(head="<source>&lol9;</source>").replace(b"<alert", doctype.encode() + b"<alert")
    assert refusal(data).code == ErrorCode.FORBIDDEN_DTD


def test_it_refuses_a_doctype_hidden_in_utf_16() -> None:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    assert refusal(text.encode("utf-16")).code == ErrorCode.FORBIDDEN_DTD


def test_it_refuses_an_undeclared_entity() -> None:
    assert refusal(minimal(head="<source>&xxe;</source>")).code == ErrorCode.NOT_XML


def test_it_refuses_a_50_mb_document_by_its_size() -> None:
    data = b"<alert>" + b"x" * 50_000_000 + b"</alert>"
    error = refusal(data)
    assert error.code == ErrorCode.TOO_LARGE
    assert "50000015 bytes" in error.reason


def test_it_honours_a_smaller_size_bound() -> None:
    assert refusal(minimal(), max_bytes=100).code == ErrorCode.TOO_LARGE


def test_it_refuses_cap_1_1_naming_the_version() -> None:
    error = refusal(CAP_1_1)
    assert error.code == ErrorCode.UNSUPPORTED_VERSION
    assert error.reason == "CAP 1.1 is not supported; send CAP 1.2."


def test_it_refuses_cap_1_0_naming_the_version() -> None:
    data = CAP_1_1.replace(
        b"urn:oasis:names:tc:emergency:cap:1.1", b"http://www.incident.com/cap/1.0"
    )
    assert "CAP 1.0" in refusal(data).reason


def test_it_refuses_a_wrong_namespace() -> None:
    data = minimal().replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:example:cap")
    error = refusal(data)
    assert error.code == ErrorCode.WRONG_ROOT
    assert "urn:example:cap" in error.reason


def test_it_refuses_an_alert_without_namespace() -> None:
    data = minimal().replace(b' xmlns="urn:oasis:names:tc:emergency:cap:1.2"', b"")
    assert refusal(data).code == ErrorCode.WRONG_ROOT


def test_it_refuses_what_is_not_xml() -> None:
    assert refusal(b"%PDF-1.7 not a CAP file").code == ErrorCode.NOT_XML
    assert refusal(b"").code == ErrorCode.NOT_XML
    assert refusal(b'{"alert": "json"}').code == ErrorCode.NOT_XML


def test_it_refuses_truncated_xml_with_the_line() -> None:
    data = minimal(head="\n\n")[:-20]
    error = refusal(data)
    assert error.code == ErrorCode.NOT_XML
    assert "line 3" in error.reason


def test_it_refuses_deep_nesting() -> None:
    data = minimal("<info>" * 50_000 + "</info>" * 50_000)
    assert refusal(data).code == ErrorCode.NOT_XML


def test_it_reads_a_utf_16_document() -> None:
    text = minimal().decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert parse(text.encode("utf-16")).identifier == "id-1"


def test_it_refuses_bytes_that_are_not_in_the_declared_encoding() -> None:
    data = minimal(head="<source>x</source>").replace(b">x<", b">\xff\xfe<")
    assert refusal(data).code == ErrorCode.NOT_XML


@given(st.binary(max_size=2000))
def test_random_bytes_raise_nothing_but_cap_error(data: bytes) -> None:
    try:
        parse(data)
    except CapError:
        pass


@given(st.integers(min_value=0), st.binary(min_size=1, max_size=8))
def test_corrupted_cap_raises_nothing_but_cap_error(position: int, noise: bytes) -> None:
    valid = minimal(head="<source>x</source>")
    at = position % len(valid)
    try:
        parse(valid[:at] + noise + valid[at + len(noise) :])
    except CapError:
        pass


FIELD_TEXT = st.text(alphabet="0123456789,.-+ :TZeE\nNa", max_size=30)


@given(
    references=FIELD_TEXT,
    expires=FIELD_TEXT,
    polygon=FIELD_TEXT,
    circle=FIELD_TEXT,
    altitude=FIELD_TEXT,
    ceiling=FIELD_TEXT,
    size=FIELD_TEXT,
)
def test_random_field_values_raise_nothing_but_cap_error(
    references: str,
    expires: str,
    polygon: str,
    circle: str,
    altitude: str,
    ceiling: str,
    size: str,
) -> None:
    resource = (
        "<resource><resourceDesc>Map</resourceDesc><mimeType>image/png</mimeType>"
        f"<size>{size}</size></resource>"
    )
    area = (
        f"<area><areaDesc>Rīga</areaDesc><polygon>{polygon}</polygon><circle>{circle}</circle>"
        f"<altitude>{altitude}</altitude><ceiling>{ceiling}</ceiling></area>"
    )
    body = f"<references>{references}</references>" + info(
        f"<expires>{expires}</expires>{resource}", area
    )
    try:
        parse(minimal(body))
    except CapError:
        pass
