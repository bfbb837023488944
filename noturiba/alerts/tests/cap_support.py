"""CAP documents for the import, polling, API and page tests of received alerts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from noturiba.lib import cap

RIGA = timezone(timedelta(hours=2))
SENT = datetime(2026, 11, 26, 10, 0, tzinfo=RIGA)


def storm(
    identifier: str = "lvgmc-storm-1",
    *,
    sender: str = "bridinajumi@lvgmc.example",
    sent: datetime = SENT,
    msg_type: cap.MsgType = cap.MsgType.ALERT,
    status: cap.Status = cap.Status.ACTUAL,
    references: tuple[cap.Reference, ...] = (),
    headline: str = "Vētra Ogres novadā",
    expires: datetime | None = None,
    english: bool = True,
) -> cap.Alert:
    """A weather-service alert with a Latvian info (and an English one first, by default)."""
    latvian = cap.Info(
        language="lv-LV",
        categories=(cap.Category.MET,),
        event="Vētra",
        urgency=cap.Urgency.EXPECTED,
        severity=cap.Severity.SEVERE,
        certainty=cap.Certainty.LIKELY,
        headline=headline,
        description="Vēja brāzmas līdz 30 m/s.",
        instruction="Palieciet telpās.",
        web="https://lvgmc.example/bridinajumi",
        expires=expires,
        areas=(cap.Area(area_desc="Ogres novads"), cap.Area(area_desc="Ķekavas novads")),
    )
    infos: tuple[cap.Info, ...] = (latvian,)
    if english:
        infos = (
            cap.Info(
                language="en-US",
                categories=(cap.Category.MET,),
                event="Storm",
                urgency=cap.Urgency.EXPECTED,
                severity=cap.Severity.SEVERE,
                certainty=cap.Certainty.LIKELY,
                headline="Storm in Ogre municipality",
                expires=expires,
            ),
            latvian,
        )
    return cap.Alert(
        identifier=identifier,
        sender=sender,
        sent=sent,
        status=status,
        msg_type=msg_type,
        scope=cap.Scope.PUBLIC,
        references=references,
        infos=infos,
    )


def storm_xml(identifier: str = "lvgmc-storm-1", **options: object) -> bytes:
    return cap.to_xml(storm(identifier, **options))  # type: ignore[arg-type]


def followup(
    original: cap.Alert, identifier: str, msg_type: cap.MsgType, minutes: int = 30
) -> cap.Alert:
    """An Update or Cancel of ``original`` by the same sender."""
    return storm(
        identifier,
        sender=original.sender,
        sent=original.sent + timedelta(minutes=minutes),
        msg_type=msg_type,
        references=(original.as_reference(),),
        headline="Atjaunināts: vētra" if msg_type == cap.MsgType.UPDATE else "Atcelts",
    )
