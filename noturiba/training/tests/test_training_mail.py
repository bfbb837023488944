"""``send_training_mail``: the person's language, text and HTML, attachments, after commit only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from noturiba.alerts.channels.base import Attachment
from noturiba.network.models import Person
from noturiba.training.mail import mail_language, send_training_mail
from noturiba.training.tests.enrolment_support import Mailbox, mailbox, make_session

pytestmark = pytest.mark.django_db
__all__ = ["mailbox"]


def send(person: Person, **extra: Any) -> bool:
    session = make_session()
    return send_training_mail(
        person=person,
        template="training/mail/enrolment_confirmed",
        context={"session": session},
        key=f"test-{person.pk}",
        **extra,
    )


@pytest.mark.parametrize(("preferred", "language"), [("lv", "lv"), ("en", "en"), ("uk", "lv")])
def test_the_language_is_the_persons_when_the_site_speaks_it(preferred: str, language: str) -> None:
    assert mail_language(Person(full_name="X", preferred_language=preferred)) == language


def test_text_html_and_attachment_reach_the_server_after_commit(
    reference: None,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    person = Person.objects.create(
        full_name="O'Brien Ēriks", email="eriks@example.lv", preferred_language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert send(person, attachments=[Attachment("a.ics", b"BEGIN:VCALENDAR", "text/calendar")])
        assert mailbox.received == []  # not before the commit

    [message] = mailbox.messages()
    assert message["Subject"] == "Your place is confirmed: Personal resilience"
    assert message["Content-Language"] == "en"
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and "Hello O'Brien Ēriks," in plain.get_content()  # not escaped
    assert html is not None and "Hello O&#x27;Brien Ēriks," in html.get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "a.ics"
    assert attachment.get_content().strip() == "BEGIN:VCALENDAR"
    assert html is not None and '<html lang="en">' in html.get_content()


def test_a_person_without_an_email_address_gets_nothing(
    reference: None, mailbox: Mailbox, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert not send(Person.objects.create(full_name="Bez e-pasta"))

    assert callbacks == [] and mailbox.received == []


def test_a_mail_server_that_refuses_does_not_fail_the_caller(
    reference: None, mailbox: Mailbox, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    mailbox.rcpt_answer = "550 No such user"
    person = Person.objects.create(full_name="Nav", email="nav@example.lv")

    with django_capture_on_commit_callbacks(execute=True):
        assert send(person)

    assert mailbox.received == []
