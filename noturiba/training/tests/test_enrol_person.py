"""Enrolling and cancelling: capacity, the waiting list, promotion, refusals, emails, audit."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from noturiba.accounts.models import User
from noturiba.audit.models import AuditEntry
from noturiba.network.models import Membership, Organisation, Person
from noturiba.training.actions.enrolment import (
    cancel_enrolment,
    enrol_person,
    fill_free_places,
    send_due_reminders,
)
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.selectors.enrolment import waitlist_position
from noturiba.training.tests.enrolment_support import Mailbox, mailbox, make_session, person_of

pytestmark = pytest.mark.django_db
__all__ = ["mailbox"]

Status = Enrolment.Status
Commit = Callable[..., Any]


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Commit) -> Commit:
    """``with commit(execute=True):`` runs what the actions left for after the commit (the
    emails) when the block ends, as a real commit would."""
    return django_capture_on_commit_callbacks


def member_of(organisation: Organisation, name: str, email: str = "") -> Person:
    person = Person.objects.create(full_name=name, email=email)
    Membership.objects.create(person=person, organisation=organisation, role="member")
    return person


def test_places_are_confirmed_then_the_waiting_list_fills_in_order(
    coordinator: User, org_a: Organisation
) -> None:
    session = make_session(capacity=2)
    people = [member_of(org_a, f"Dalībnieks {n}") for n in range(4)]

    enrolments = [enrol_person(coordinator, session=session, person=p) for p in people]

    assert [e.status for e in enrolments] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITLISTED,
        Status.WAITLISTED,
    ]
    assert [waitlist_position(e) for e in enrolments] == [None, None, 1, 2]


def test_cancelling_a_confirmed_place_promotes_the_first_on_the_waiting_list_and_tells_them(
    coordinator: User, member_a: User, org_a: Organisation, mailbox: Mailbox, commit: Commit
) -> None:
    session = make_session(capacity=1)
    mine = enrol_person(member_a, session=session, person=person_of(member_a))
    first = enrol_person(coordinator, session=session, person=member_of(org_a, "Pirmā", "p1@x.lv"))
    second = enrol_person(coordinator, session=session, person=member_of(org_a, "Otrā", "p2@x.lv"))

    with commit(execute=True):
        promoted = cancel_enrolment(member_a, enrolment=mine)

    assert promoted is not None and promoted.pk == first.pk
    first.refresh_from_db()
    second.refresh_from_db()
    mine.refresh_from_db()
    assert (mine.status, first.status, second.status) == (
        Status.CANCELLED,
        Status.CONFIRMED,
        Status.WAITLISTED,
    )
    assert waitlist_position(second) == 1
    [message] = mailbox.messages()
    assert message["To"] == "p1@x.lv"
    assert "Personīgā noturība" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"training-{session.pk}.ics"
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert str(event["uid"]).startswith(f"training-session-{session.pk}@")
    assert AuditEntry.objects.filter(
        object_type="training.enrolment", object_id=str(first.pk), changes__promoted=True
    ).exists()


def test_the_confirmation_email_is_in_the_persons_language_with_the_ics(
    member_a: User, mailbox: Mailbox, commit: Commit
) -> None:
    person = person_of(member_a)
    person.preferred_language = "en"
    person.save()
    session = make_session()

    with commit(execute=True):
        enrol_person(member_a, session=session, person=person)

    [message] = mailbox.messages()
    assert message["To"] == "member.a@noturiba.example"
    assert message["Subject"] == "Your place is confirmed: Personal resilience"
    assert message["Content-Language"] == "en"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "You have a confirmed place" in text.get_content()
    [attachment] = list(message.iter_attachments())
    assert Calendar.from_ical(attachment.get_content()).walk("VEVENT")[0]["summary"] == (
        "Personal resilience"
    )
    assert Enrolment.objects.get().confirmation_sent_at is not None


def test_the_waiting_list_email_says_the_place(
    coordinator: User, member_a: User, org_a: Organisation, mailbox: Mailbox, commit: Commit
) -> None:
    person = person_of(member_a)
    person.preferred_language = "en"
    person.save()
    session = make_session(capacity=1)
    enrol_person(coordinator, session=session, person=member_of(org_a, "Pirmā"))

    with commit(execute=True):
        enrol_person(member_a, session=session, person=person)

    [message] = mailbox.messages()
    assert message["Subject"] == "You are on the waiting list: Personal resilience"
    text = message.get_body(preferencelist=("plain",))
    assert text is not None and "waiting list, place 1." in text.get_content()
    assert list(message.iter_attachments()) == []


def test_nothing_is_sent_when_the_enrolment_is_rolled_back(
    member_a: User, mailbox: Mailbox, commit: Commit
) -> None:
    session = make_session()
    with commit(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enrol_person(member_a, session=session, person=person_of(member_a))
            raise RuntimeError("rolled back")

    assert callbacks == []
    assert mailbox.received == []
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"status": TrainingSession.Status.DRAFT, "published_at": None}, "not_published"),
        ({"status": TrainingSession.Status.CANCELLED}, "session_cancelled"),
        ({"starts_at": timezone.now() - datetime.timedelta(minutes=1)}, "started"),
        (
            {"registration_deadline": timezone.now() - datetime.timedelta(minutes=1)},
            "registration_closed",
        ),
    ],
)
def test_it_refuses_a_session_that_takes_no_enrolments(
    member_a: User, fields: dict[str, object], code: str
) -> None:
    session = make_session(**fields)

    with pytest.raises(ValidationError) as refused:
        enrol_person(member_a, session=session, person=person_of(member_a))

    assert refused.value.code == code
    assert not Enrolment.objects.exists()


def test_it_refuses_a_second_enrolment_and_reactivates_a_cancelled_one(member_a: User) -> None:
    session = make_session(capacity=5)
    person = person_of(member_a)
    enrolment = enrol_person(member_a, session=session, person=person)

    with pytest.raises(ValidationError) as refused:
        enrol_person(member_a, session=session, person=person)
    assert refused.value.code == "already_enrolled"

    cancel_enrolment(member_a, enrolment=enrolment)
    again = enrol_person(member_a, session=session, person=person)

    assert again.pk == enrolment.pk
    assert again.status == Status.CONFIRMED
    assert Enrolment.objects.count() == 1


def test_a_cancelled_enrolment_cannot_be_cancelled_again(member_a: User) -> None:
    enrolment = enrol_person(member_a, session=make_session(), person=person_of(member_a))
    cancel_enrolment(member_a, enrolment=enrolment)

    with pytest.raises(ValidationError) as refused:
        cancel_enrolment(member_a, enrolment=enrolment)

    assert refused.value.code == "already_cancelled"


def test_a_reactivated_enrolment_joins_the_end_of_the_waiting_list(
    coordinator: User, member_a: User, org_a: Organisation
) -> None:
    session = make_session(capacity=1)
    enrol_person(coordinator, session=session, person=member_of(org_a, "Pirmā"))
    mine = enrol_person(member_a, session=session, person=person_of(member_a))
    cancel_enrolment(member_a, enrolment=mine)
    other = enrol_person(coordinator, session=session, person=member_of(org_a, "Otrā"))

    again = enrol_person(member_a, session=session, person=person_of(member_a))

    assert waitlist_position(other) == 1
    assert waitlist_position(again) == 2


def test_raising_the_capacity_then_filling_free_places_promotes_in_order(
    coordinator: User, org_a: Organisation
) -> None:
    session = make_session(capacity=1)
    enrolments = [
        enrol_person(coordinator, session=session, person=member_of(org_a, f"P{n}"))
        for n in range(3)
    ]
    session.capacity = 2
    session.save()

    promoted = fill_free_places(coordinator, session=session)

    assert [e.pk for e in promoted] == [enrolments[1].pk]
    assert Enrolment.objects.get(pk=enrolments[2].pk).status == Status.WAITLISTED


def test_who_may_enrol_and_cancel(
    admin_a: User, member_a: User, admin_b: User, trainer: User, org_a: Organisation
) -> None:
    session = make_session(capacity=5, trainers=[trainer])
    colleague = member_of(org_a, "Kolēģis")

    with pytest.raises(PermissionDenied):
        enrol_person(member_a, session=session, person=colleague)
    with pytest.raises(PermissionDenied):
        enrol_person(admin_b, session=session, person=colleague)
    enrolment = enrol_person(admin_a, session=session, person=colleague)
    assert enrolment.enrolled_by == admin_a

    with pytest.raises(PermissionDenied):
        cancel_enrolment(member_a, enrolment=enrolment)
    with pytest.raises(PermissionDenied):
        cancel_enrolment(admin_b, enrolment=enrolment)
    cancel_enrolment(trainer, enrolment=enrolment)
    assert Enrolment.objects.get().status == Status.CANCELLED


def test_reminders_go_once_to_confirmed_people_of_sessions_starting_within_a_day(
    coordinator: User, member_a: User, org_a: Organisation, mailbox: Mailbox, commit: Commit
) -> None:
    soon = make_session(capacity=1, starts_at=timezone.now() + datetime.timedelta(hours=20))
    later = make_session(capacity=1, starts_at=timezone.now() + datetime.timedelta(days=3))
    enrol_person(member_a, session=soon, person=person_of(member_a))
    enrol_person(coordinator, session=soon, person=member_of(org_a, "Gaida", "gaida@x.lv"))
    enrol_person(member_a, session=later, person=person_of(member_a))

    with commit(execute=True):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0

    [message] = mailbox.messages()
    assert message["To"] == "member.a@noturiba.example"
    assert "Personīgā noturība" in message["Subject"]
    assert [a.get_filename() for a in message.iter_attachments()] == [f"training-{soon.pk}.ics"]
    assert Enrolment.objects.filter(reminder_sent_at__isnull=False).count() == 1
