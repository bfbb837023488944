"""Sessions as iCalendar, parsed back with the ``icalendar`` library."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from noturiba.network.models import Organisation
from noturiba.training.calendar import (
    event_uid,
    session_calendar,
    sessions_calendar,
    with_calendar_data,
)
from noturiba.training.models import TrainingSession
from noturiba.training.tests.enrolment_support import make_session

pytestmark = pytest.mark.django_db
RIGA = ZoneInfo("Europe/Riga")
UTC = datetime.UTC


def parsed(session: TrainingSession, **kwargs: Any) -> Any:
    full = with_calendar_data(TrainingSession.objects.filter(pk=session.pk)).get()
    [event] = Calendar.from_ical(session_calendar(full, **kwargs)).walk("VEVENT")
    return event


def test_times_are_right_in_riga_on_both_sides_of_the_dst_change(reference: None) -> None:
    # Latvia leaves summer time at 04:00 on 26 October 2025 (EEST +3 → EET +2).
    summer = make_session(starts_at=datetime.datetime(2025, 10, 25, 7, 0, tzinfo=UTC))
    winter = make_session(starts_at=datetime.datetime(2025, 10, 27, 7, 0, tzinfo=UTC))

    body = sessions_calendar(
        with_calendar_data(TrainingSession.objects.filter(pk__in=[summer.pk, winter.pk])),
        name="Mācības",
    )
    calendar = Calendar.from_ical(body)

    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    summer_event, winter_event = events[event_uid(summer)], events[event_uid(winter)]
    assert summer_event["dtstart"].params["TZID"] == "Europe/Riga"
    start = summer_event.decoded("dtstart")
    assert (start.hour, start.utcoffset()) == (10, datetime.timedelta(hours=3))
    start = winter_event.decoded("dtstart")
    assert (start.hour, start.utcoffset()) == (9, datetime.timedelta(hours=2))
    assert winter_event.decoded("dtend").astimezone(UTC) == winter.ends_at
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["tzid"] == "Europe/Riga"
    assert calendar["x-wr-calname"] == "Mācības"
    # The VTIMEZONE written into the file (not the machine's zone database) gives the times.
    assert b"BEGIN:DAYLIGHT" in body and b"BEGIN:STANDARD" in body


def test_uid_stays_and_sequence_follows_the_session(reference: None, settings: Any) -> None:
    settings.PUBLIC_URL = "https://noturiba.example.lv/"
    session = make_session()
    first = parsed(session)
    TrainingSession.objects.filter(pk=session.pk).update(sequence=3, venue="Ogres bibliotēka")

    second = parsed(session)

    assert (
        str(first["uid"])
        == str(second["uid"])
        == f"training-session-{session.pk}@noturiba.example.lv"
    )
    assert (first["sequence"], second["sequence"]) == (0, 3)
    assert str(second["location"]) == "Ogres bibliotēka, Brīvības iela 33, Ogre"
    assert str(first["status"]) == "CONFIRMED"


def test_a_cancelled_session_is_cancelled_in_the_calendar(reference: None) -> None:
    session = make_session(status=TrainingSession.Status.CANCELLED, sequence=2)

    event = parsed(session, language="en")

    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 2
    assert str(event["description"]).startswith("CANCELLED")


def test_it_describes_modules_link_and_organiser(org_a: Organisation, settings: Any) -> None:
    settings.DEFAULT_FROM_EMAIL = "Noturība <macibas@noturiba.example.lv>"
    session = make_session(
        mode=TrainingSession.Mode.ONLINE,
        venue="",
        address="",
        online_url="https://meet.example.lv/noturiba",
        issuing_organisation=org_a,
        step_free_access=True,
    )

    event = parsed(session, language="en")

    description = str(event["description"])
    assert "- Public alerting (3.0 h)" in description
    assert "- Shelters (3.0 h)" in description
    assert "step-free access" in description
    assert str(event["summary"]) == "Personal resilience"
    assert str(event["url"]) == "https://meet.example.lv/noturiba"
    assert str(event["location"]) == "https://meet.example.lv/noturiba"
    assert str(event["organizer"]) == "mailto:macibas@noturiba.example.lv"
    assert event["organizer"].params["CN"] == "Ogres Samariešu biedrība"


def test_latvian_texts_by_default(reference: None) -> None:
    event = parsed(make_session(), language="lv")

    assert str(event["summary"]) == "Personīgā noturība"
    assert "Trauksmes celšana" in str(event["description"])
