"""People enrolled in a published session are told when its time, place or link changes, or
when it is cancelled: one email each (real SMTP on loopback), with the event as it now is."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from noturiba.accounts.models import User
from noturiba.network.models import Person
from noturiba.training.actions.sessions import (
    SESSION_FIELDS,
    cancel_session,
    publish_session,
    update_session,
)
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.enrolment_support import Mailbox, mailbox
from noturiba.training.tests.sessions_support import make_session

__all__ = ["mailbox"]  # the SMTP server fixture, used by name

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def people(session: TrainingSession) -> dict[str, Enrolment]:
    made = {}
    for name, status, language in (
        ("Ilze", Enrolment.Status.CONFIRMED, "lv"),
        ("Jane", Enrolment.Status.WAITLISTED, "en"),
        ("Atteicās", Enrolment.Status.CANCELLED, "lv"),
    ):
        person = Person.objects.create(
            full_name=name, email=f"{name.lower()}@example.org", preferred_language=language
        )
        made[name] = Enrolment.objects.create(
            session=session,
            person=person,
            status=status,
            waitlisted_at=timezone.now() if status == Enrolment.Status.WAITLISTED else None,
        )
    return made


def facts(session: TrainingSession, **changes: Any) -> dict[str, Any]:
    data = {name: getattr(session, name) for name in SESSION_FIELDS}
    data.update(changes)
    return data


def body_of(message: Any) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def event_of(message: Any) -> Any:
    [attachment] = list(message.iter_attachments())
    [event] = Calendar.from_ical(attachment.get_content()).walk("VEVENT")
    return event


def test_a_new_time_is_mailed_to_the_confirmed_and_the_waiting(
    coordinator: User, mailbox: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = make_session(title="Ogres mācības")
    people(session)
    later = session.starts_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        update_session(
            coordinator,
            session=session,
            data=facts(session, starts_at=later, ends_at=later + datetime.timedelta(hours=4)),
            trainers=[],
        )
    messages = {message["To"]: message for message in mailbox.messages()}
    assert set(messages) == {"ilze@example.org", "jane@example.org"}
    # Each in their own language (the Latvian wording comes with the catalogue).
    assert "Ogres mācības" in messages["ilze@example.org"]["Subject"]
    assert messages["jane@example.org"]["Subject"] == "Changed: Ogres mācības"
    assert "still on the waiting list" in body_of(messages["jane@example.org"])
    event = event_of(messages["ilze@example.org"])
    assert event["sequence"] == 1
    assert event.decoded("dtstart") == later


def test_a_new_title_is_not_news(
    coordinator: User, mailbox: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = make_session()
    people(session)
    with django_capture_on_commit_callbacks(execute=True):
        update_session(
            coordinator,
            session=session,
            data=facts(session, title="Jauns nosaukums", accessibility_notes="Lifts"),
            trainers=[],
        )
    session.refresh_from_db()
    assert session.sequence == 1 and mailbox.messages() == []


def test_a_draft_tells_nobody_until_published(
    coordinator: User, mailbox: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = make_session(status="draft")
    people(session)
    with django_capture_on_commit_callbacks(execute=True):
        update_session(
            coordinator, session=session, data=facts(session, venue="Cita vieta"), trainers=[]
        )
        publish_session(coordinator, session=session)
    assert mailbox.messages() == []


def test_a_cancellation_is_mailed_with_the_reason_and_a_cancelled_event(
    coordinator: User, mailbox: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = make_session(title="Atceļamā")
    people(session)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_session(coordinator, session=session, reason="Telpas applūdušas.")
    messages = {message["To"]: message for message in mailbox.messages()}
    assert set(messages) == {"ilze@example.org", "jane@example.org"}
    message = messages["ilze@example.org"]
    assert "Atceļamā" in message["Subject"]
    assert messages["jane@example.org"]["Subject"] == "Cancelled: Atceļamā"
    assert "Telpas applūdušas." in body_of(message)
    event = event_of(message)
    assert str(event["status"]) == "CANCELLED" and event["sequence"] == 1


def test_a_refused_change_mails_nothing(
    coordinator: User, mailbox: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = make_session(capacity=1)
    people(session)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        update_session(
            coordinator,
            session=session,
            data=facts(session, venue="Cita", ends_at=session.starts_at),
            trainers=[],
        )
    assert mailbox.messages() == []
