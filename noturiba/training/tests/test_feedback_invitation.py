"""Emailing the survey link after the session: to attendees who have not answered, in their
language, through a real SMTP server on loopback; only by those who run the session."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.alerts.tests.conftest import Mailbox, mailbox
from noturiba.audit.models import AuditEntry
from noturiba.conftest import client_for
from noturiba.network.models import Person
from noturiba.training.actions.attendance import invite_to_feedback
from noturiba.training.models import Enrolment, Feedback, TrainingSession
from noturiba.training.tests.attendance_support import enrol, make_session, other_trainer

MAIL_FIXTURES = (mailbox,)  # a real SMTP server (aiosmtpd) on 127.0.0.1

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ended(trainer: User) -> TrainingSession:
    return make_session(trainers=[trainer], starts_in=datetime.timedelta(days=-1))


def present(session: TrainingSession, email: str, **extra: object) -> Enrolment:
    return enrol(
        session,
        name=email.split("@")[0],
        email=email,
        attendance="present",
        hours_attended=Decimal(6),
        **extra,  # type: ignore[arg-type]
    )


def test_attendees_who_have_not_answered_get_the_link(
    trainer: User, ended: TrainingSession, mailbox: Mailbox, settings: object
) -> None:
    present(ended, "anna@example.org")
    answered = present(ended, "berta@example.org")
    Feedback.objects.create(enrolment=answered, overall=5, content=5, trainer=5, relevance=5)
    enrol(ended, name="Nebija", email="absent@example.org", attendance="absent")
    enrol(ended, name="Gaida", email="wait@example.org", status=Enrolment.Status.WAITLISTED)
    english = present(ended, "english@example.org")
    Person.objects.filter(pk=english.person_id).update(preferred_language="en")
    present(ended, "")  # no address: left out
    Person.objects.filter(email__startswith="dalibnieks").update(email="")

    response = client_for(trainer).post(reverse("training:feedback_invite", args=[ended.pk]))
    assert response.status_code == 302
    assert mailbox.recipients() == ["anna@example.org", "english@example.org"]
    by_recipient = {m["To"]: m for m in mailbox.messages()}
    link = f"{reverse('training:feedback', args=[ended.pk])}"
    latvian = by_recipient["anna@example.org"].get_body(("plain",))
    assert latvian is not None and link in latvian.get_content()
    english_body = by_recipient["english@example.org"].get_body(("plain",))
    assert english_body is not None and "Thank you for taking part" in english_body.get_content()
    assert "How was" in by_recipient["english@example.org"]["Subject"]
    assert AuditEntry.objects.filter(
        object_type="training.trainingsession", object_id=str(ended.pk)
    ).exists()


def test_before_the_session_ends_nobody_is_invited(
    trainer: User, mailbox: Mailbox, english: None
) -> None:
    running = make_session(trainers=[trainer])
    present(running, "anna@example.org")
    with pytest.raises(ValidationError):
        invite_to_feedback(trainer, session=running)
    page = client_for(trainer).post(
        reverse("training:feedback_invite", args=[running.pk]), follow=True
    )
    assert "once the session has ended" in page.content.decode()
    assert mailbox.received == []


@pytest.mark.parametrize("who", ["admin_a", "member_a", "officer", "other_trainer"])
def test_others_cannot_invite(
    who: str, request: pytest.FixtureRequest, ended: TrainingSession, mailbox: Mailbox
) -> None:
    present(ended, "anna@example.org")
    user = other_trainer() if who == "other_trainer" else request.getfixturevalue(who)
    response = client_for(user).post(reverse("training:feedback_invite", args=[ended.pk]))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        invite_to_feedback(user, session=ended)
    assert mailbox.received == []
