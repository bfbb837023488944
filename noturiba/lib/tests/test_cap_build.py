from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from noturiba.lib.cap import (
    CAP_NAMESPACE,
    Alert,
    Area,
    CapError,
    Category,
    Certainty,
    Circle,
    ErrorCode,
    Info,
    MsgType,
    Point,
    Polygon,
    Reference,
    Scope,
    Severity,
    Status,
    Urgency,
    parse,
    to_xml,
)
from noturiba.lib.cap.schema import SCHEMA_PATH
from noturiba.lib.tests.cap_strategies import alerts

RIGA = timezone(timedelta(hours=2))
SENT = datetime(2026, 11, 26, 10, 0, tzinfo=RIGA)


def shelters_open() -> Alert:
    return Alert(
        identifier="noturiba-42",
        sender="alerts@noturiba.lv",
        sent=SENT,
        status=Status.EXERCISE,
        msg_type=MsgType.UPDATE,
        scope=Scope.PUBLIC,
        references=(Reference(sender="alerts@noturiba.lv", identifier="noturiba-41", sent=SENT),),
        infos=(
            Info(
                language="lv",
                categories=(Category.SAFETY, Category.INFRA),
                event="Patvertnes atvērtas",
                urgency=Urgency.IMMEDIATE,
                severity=Severity.SEVERE,
                certainty=Certainty.OBSERVED,
                expires=SENT + timedelta(hours=12),
                headline="Patvertnes atvērtas Ogrē",
                areas=(
                    Area(
                        area_desc="Ogres novads",
                        polygons=(
                            Polygon(
                                points=(
                                    Point(lat=Decimal("56.8"), lon=Decimal("24.5")),
                                    Point(lat=Decimal("56.9"), lon=Decimal("24.5")),
                                    Point(lat=Decimal("56.9"), lon=Decimal("24.7")),
                                    Point(lat=Decimal("56.8"), lon=Decimal("24.5")),
                                )
                            ),
                        ),
                        circles=(
                            Circle(
                                center=Point(lat=Decimal("56.8167"), lon=Decimal("24.6")),
                                radius_km=Decimal("5"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )


def test_it_writes_utf8_cap_1_2_in_the_schema_order() -> None:
    data = to_xml(shelters_open())
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    root = etree.fromstring(data)
    assert root.tag == f"{{{CAP_NAMESPACE}}}alert"
    assert [etree.QName(child).localname for child in root] == [
        "identifier",
        "sender",
        "sent",
        "status",
        "msgType",
        "scope",
        "references",
        "info",
    ]
    assert "Patvertnes atvērtas Ogrē".encode() in data


def test_it_writes_cap_times_and_geometry_as_the_spec_shows() -> None:
    root = etree.fromstring(to_xml(shelters_open()))
    ns = {"cap": CAP_NAMESPACE}
    assert root.findtext("cap:sent", namespaces=ns) == "2026-11-26T10:00:00+02:00"
    assert root.findtext("cap:references", namespaces=ns) == (
        "alerts@noturiba.lv,noturiba-41,2026-11-26T10:00:00+02:00"
    )
    area = root.find("cap:info/cap:area", namespaces=ns)
    assert area is not None
    assert area.findtext("cap:polygon", namespaces=ns) == "56.8,24.5 56.9,24.5 56.9,24.7 56.8,24.5"
    assert area.findtext("cap:circle", namespaces=ns) == "56.8167,24.6 5"


def test_it_writes_utc_as_minus_zero() -> None:
    alert = Alert(
        identifier="x",
        sender="y",
        sent=datetime(2026, 1, 1, 8, 30, tzinfo=UTC),
        status=Status.TEST,
        msg_type=MsgType.ALERT,
        scope=Scope.PUBLIC,
    )
    assert b"<sent>2026-01-01T08:30:00-00:00</sent>" in to_xml(alert)


def test_it_round_trips_an_alert() -> None:
    alert = shelters_open()
    assert parse(to_xml(alert)) == alert


def refusal(alert: Alert) -> CapError:
    with pytest.raises(CapError) as refused:
        to_xml(alert)
    return refused.value


def test_it_refuses_a_naive_time() -> None:
    error = refusal(Alert(**{**shelters_open().__dict__, "sent": datetime(2026, 11, 26, 10)}))
    assert error.code == ErrorCode.RULE_BROKEN
    assert "time zone" in error.reason


def test_it_refuses_control_characters() -> None:
    error = refusal(Alert(**{**shelters_open().__dict__, "note": "bell\x07"}))
    assert error.code == ErrorCode.RULE_BROKEN


def test_it_refuses_what_the_schema_refuses() -> None:
    info = Info(
        language="not a language",
        categories=(Category.MET,),
        event="Storm",
        urgency=Urgency.FUTURE,
        severity=Severity.MINOR,
        certainty=Certainty.POSSIBLE,
    )
    error = refusal(Alert(**{**shelters_open().__dict__, "infos": (info,)}))
    assert error.code == ErrorCode.SCHEMA_INVALID
    assert "language" in error.reason


def test_it_refuses_an_info_without_category() -> None:
    info = Info(
        categories=(),
        event="Storm",
        urgency=Urgency.FUTURE,
        severity=Severity.MINOR,
        certainty=Certainty.POSSIBLE,
    )
    assert "category" in refusal(Alert(**{**shelters_open().__dict__, "infos": (info,)})).reason


def test_it_refuses_a_private_alert_without_addresses() -> None:
    alert = Alert(**{**shelters_open().__dict__, "scope": Scope.PRIVATE})
    assert "addresses" in refusal(alert).reason


SCHEMA = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alerts())
def test_every_generated_alert_validates_against_the_xsd(alert: Alert) -> None:
    assert SCHEMA.validate(etree.fromstring(to_xml(alert)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alerts())
def test_every_generated_alert_round_trips(alert: Alert) -> None:
    assert parse(to_xml(alert)) == alert
