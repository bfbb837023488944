from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from noturiba.lib.cap import (
    Category,
    Circle,
    ErrorCode,
    MsgType,
    Point,
    Reference,
    Status,
    parse,
)
from noturiba.lib.cap.errors import CapError
from noturiba.lib.tests.cap_documents import info, minimal

EXAMPLES = Path(__file__).with_name("cap_examples")
OASIS_EXAMPLES = sorted(EXAMPLES.glob("0*-oasis-*.xml"))


def example(name: str) -> bytes:
    return (EXAMPLES / name).read_bytes()


@pytest.mark.parametrize("path", OASIS_EXAMPLES, ids=lambda path: path.name)
def test_it_parses_every_oasis_example(path: Path) -> None:
    alert = parse(path.read_bytes())
    assert alert.status == Status.ACTUAL
    assert alert.infos


def test_it_reads_the_earthquake_update_with_its_reference_and_circle() -> None:
    alert = parse(example("03-oasis-a3-earthquake-update.xml"))
    pacific = timezone(timedelta(hours=-7))
    assert alert.msg_type == MsgType.UPDATE
    assert alert.sent == datetime(2003, 6, 11, 20, 56, tzinfo=pacific)
    assert alert.references == (
        Reference(
            sender="trinet@caltech.edu",
            identifier="TRI13970876.1",
            sent=datetime(2003, 6, 11, 20, 30, tzinfo=pacific),
        ),
    )
    area = alert.infos[0].areas[0]
    assert area.circles == (
        Circle(
            center=Point(lat=Decimal("32.9525"), lon=Decimal("-115.5527")), radius_km=Decimal(0)
        ),
    )
    assert alert.infos[0].categories == (Category.GEO,)
    assert [p.value_name for p in alert.infos[0].parameters][:2] == ["EventID", "Version"]


def test_it_reads_both_language_blocks_of_the_amber_alert() -> None:
    alert = parse(example("04-oasis-a4-amber-alert-en-es.xml"))
    assert [block.language for block in alert.infos] == ["en-US", "es-US"]
    assert alert.infos[1].event == "Abducción de Niño"


def test_it_refuses_the_smhi_collection_saying_it_holds_many_alerts() -> None:
    with pytest.raises(CapError) as refused:
        parse(example("11-se-smhi-alerts-collection.xml"))
    assert refused.value.code == ErrorCode.WRONG_ROOT
    assert "<alerts>" in refused.value.reason


def test_it_reads_a_cancel_without_info() -> None:
    body = "<references>lv@example.org,id-0,2026-11-26T09:00:00+02:00</references>"
    alert = parse(minimal(body).replace(b"<msgType>Alert", b"<msgType>Cancel"))
    assert alert.msg_type == MsgType.CANCEL
    assert alert.infos == ()
    assert alert.references[0].identifier == "id-0"


def test_it_reads_utc_written_as_minus_zero() -> None:
    alert = parse(minimal().replace(b"+02:00", b"-00:00"))
    assert alert.sent == datetime(2026, 11, 26, 10, tzinfo=UTC)


def test_it_skips_empty_polygons_of_real_feeds() -> None:
    alert = parse(minimal(info(area="<area><areaDesc>Rīga</areaDesc><polygon/></area>")))
    assert alert.infos[0].areas[0].polygons == ()


def test_it_ignores_comments_and_processing_instructions() -> None:
    alert = parse(minimal(info("<headline>Wind<!-- note --> warning<?pi x?></headline>")))
    assert alert.infos[0].headline == "Wind warning"


def test_it_reads_latin_1_documents() -> None:
    text = minimal(info("<headline>Vent fort à Liège</headline>")).decode()
    data = text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    assert parse(data).infos[0].headline == "Vent fort à Liège"


def assert_refused(data: bytes, code: ErrorCode, *words: str) -> None:
    with pytest.raises(CapError) as refused:
        parse(data)
    assert refused.value.code == code
    for word in words:
        assert word in refused.value.reason


def test_it_reports_a_missing_required_element_with_its_line() -> None:
    data = minimal().replace(b"<sender>lv@example.org</sender>", b"")
    assert_refused(data, ErrorCode.SCHEMA_INVALID, "line 1", "sender")


def test_it_reports_an_invalid_enumeration_value() -> None:
    data = minimal().replace(b"<status>Actual", b"<status>Real")
    assert_refused(data, ErrorCode.SCHEMA_INVALID, "status", "Real")


def test_it_refuses_a_z_time_zone() -> None:
    assert_refused(minimal().replace(b"+02:00", b"Z"), ErrorCode.SCHEMA_INVALID, "sent")


def test_it_refuses_a_malformed_reference() -> None:
    data = minimal("<references>lv@example.org,id-0</references>")
    assert_refused(data, ErrorCode.RULE_BROKEN, "sender,identifier,sent")


def test_it_refuses_an_open_polygon() -> None:
    area = "<area><areaDesc>Rīga</areaDesc><polygon>56,24 57,24 57,25 56,25</polygon></area>"
    assert_refused(minimal(info(area=area)), ErrorCode.RULE_BROKEN, "closed")


def test_it_refuses_a_polygon_of_three_points() -> None:
    area = "<area><areaDesc>Rīga</areaDesc><polygon>56,24 57,24 56,24</polygon></area>"
    assert_refused(minimal(info(area=area)), ErrorCode.RULE_BROKEN, "four points")


def test_it_refuses_a_circle_outside_the_globe() -> None:
    area = "<area><areaDesc>Rīga</areaDesc><circle>95,24 10</circle></area>"
    assert_refused(minimal(info(area=area)), ErrorCode.RULE_BROKEN, "latitude")


def test_it_refuses_a_circle_with_a_negative_radius() -> None:
    area = "<area><areaDesc>Rīga</areaDesc><circle>56.9,24.1 -3</circle></area>"
    assert_refused(minimal(info(area=area)), ErrorCode.RULE_BROKEN, "radius")


def test_it_refuses_a_circle_without_radius() -> None:
    area = "<area><areaDesc>Rīga</areaDesc><circle>56.9,24.1</circle></area>"
    assert_refused(minimal(info(area=area)), ErrorCode.RULE_BROKEN, "latitude,longitude radius")


def test_it_refuses_an_alert_expiring_before_it_is_sent() -> None:
    data = minimal(info("<expires>2026-11-26T09:00:00+02:00</expires>"))
    assert_refused(data, ErrorCode.RULE_BROKEN, "expires")


def test_it_refuses_an_alert_expiring_before_it_takes_effect() -> None:
    times = (
        "<effective>2026-11-27T10:00:00+02:00</effective>"
        "<expires>2026-11-26T12:00:00+02:00</expires>"
    )
    assert_refused(minimal(info(times)), ErrorCode.RULE_BROKEN, "takes effect")


def test_it_refuses_a_sender_with_spaces() -> None:
    data = minimal().replace(b"lv@example.org", b"civil protection")
    assert_refused(data, ErrorCode.RULE_BROKEN, "sender")


def test_it_refuses_a_restricted_alert_without_restriction() -> None:
    data = minimal().replace(b"<scope>Public", b"<scope>Restricted")
    assert_refused(data, ErrorCode.RULE_BROKEN, "restriction")


def test_it_refuses_an_impossible_date() -> None:
    data = minimal().replace(b"2026-11-26T10:00:00", b"2026-02-30T10:00:00")
    with pytest.raises(CapError):
        parse(data)


def test_it_reads_times_surrounded_by_whitespace() -> None:
    data = minimal().replace(
        b"<sent>2026-11-26T10:00:00+02:00", b"<sent>\n  2026-11-26T10:00:00+02:00\n"
    )
    assert parse(data).sent == datetime(2026, 11, 26, 10, tzinfo=timezone(timedelta(hours=2)))


def test_it_refuses_a_resource_size_of_thousands_of_digits() -> None:
    resource = (
        "<resource><resourceDesc>Map</resourceDesc><mimeType>image/png</mimeType>"
        f"<size>{'9' * 5000}</size></resource>"
    )
    assert_refused(minimal(info(resource)), ErrorCode.RULE_BROKEN, "size")


def test_it_names_schema_errors_without_the_namespace() -> None:
    data = minimal().replace(b"<sender>lv@example.org</sender>", b"")
    with pytest.raises(CapError) as refused:
        parse(data)
    assert "Expected is ( sender )" in refused.value.reason
    assert "{urn:" not in refused.value.reason


def test_it_accepts_a_signed_alert_without_checking_the_signature() -> None:
    signature = (
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
        "<SignedInfo/><SignatureValue>AAAA</SignatureValue></Signature>"
    )
    assert parse(minimal(info() + signature)).identifier == "id-1"


def test_it_identifies_an_alert_by_sender_identifier_and_sent_for_de_duplication() -> None:
    once = parse(example("02-oasis-a2-severe-thunderstorm.xml"))
    again = parse(example("02-oasis-a2-severe-thunderstorm.xml"))
    assert once.as_reference() == Reference(
        sender="KSTO@NWS.NOAA.GOV",
        identifier="KSTO1055887203",
        sent=datetime(2003, 6, 17, 14, 57, tzinfo=timezone(timedelta(hours=-7))),
    )
    assert {once.as_reference(), again.as_reference()} == {once.as_reference()}
