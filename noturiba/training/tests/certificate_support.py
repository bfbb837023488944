"""Rows for the certificate tests, created directly (the curriculum and session actions belong to
other parts of the training app): a course of two modules conferring an expiring and a lasting
competency, a finished session led by ``trainer``, and enrolments with attendance and scores."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.alerts.tests.conftest import Mailbox, running_mailbox
from noturiba.network.models import Organisation, Person
from noturiba.training.models import (
    Competency,
    Course,
    CourseModule,
    Enrolment,
    Module,
    TrainingSession,
)

__all__ = ["Mailbox", "enrol", "mailbox", "make_course", "make_person", "make_session"]

UTC = datetime.UTC


def make_course(
    *,
    code: str = "civil-protection",
    hours: tuple[str, ...] = ("6", "4"),
    validity_months: tuple[int | None, ...] = (24, None),
    pass_mark: int | None = 60,
    min_attendance_percent: int = 80,
) -> Course:
    """A course of ``len(hours)`` modules; module ``i`` confers a competency valid for
    ``validity_months[i]`` months (None: it does not expire)."""
    course = Course.objects.create(
        code=code,
        name_lv="Civilā aizsardzība kopienā",
        name_en="Civil protection in the community",
        pass_mark=pass_mark,
        min_attendance_percent=min_attendance_percent,
    )
    for position, (module_hours, months) in enumerate(zip(hours, validity_months, strict=True)):
        module = Module.objects.create(
            code=f"{code}-m{position}",
            name_lv=f"Modulis {position}: trauksmes celšana un patvertnes",
            name_en=f"Module {position}: public alerting and shelters",
            hours=Decimal(module_hours),
            sort_order=position,
        )
        competency = Competency.objects.create(
            code=f"{code}-c{position}",
            name_lv=f"Kompetence {position}: pirmā palīdzība",
            name_en=f"Competency {position}: first aid",
            validity_months=months,
            sort_order=position,
        )
        module.competencies.add(competency)
        CourseModule.objects.create(course=course, module=module, position=position)
    return course


def make_session(
    course: Course,
    *,
    trainers: tuple[User, ...] = (),
    ends_at: datetime.datetime | None = None,
    issuing_organisation: Organisation | None = None,
    **extra: Any,
) -> TrainingSession:
    """A published session of ``course`` that ended (by default) yesterday."""
    end = ends_at or timezone.now() - datetime.timedelta(days=1)
    session = TrainingSession.objects.create(
        course=course,
        starts_at=end - datetime.timedelta(hours=8),
        ends_at=end,
        capacity=20,
        status=TrainingSession.Status.PUBLISHED,
        published_at=end - datetime.timedelta(days=30),
        issuing_organisation=issuing_organisation,
        venue="Ogres kultūras centrs",
        **extra,
    )
    session.trainers.set(trainers)
    return session


def make_person(name: str = "Jānis Bērziņš", *, user: User | None = None) -> Person:
    return Person.objects.create(full_name=name, email="", user=user)


def enrol(
    session: TrainingSession,
    person: Person,
    *,
    hours: str | None = "10",
    score: int | None = 90,
    status: str = Enrolment.Status.CONFIRMED,
) -> Enrolment:
    """An enrolment with attendance recorded (``hours=None``: attendance not recorded)."""
    recorded = hours is not None
    return Enrolment.objects.create(
        session=session,
        person=person,
        status=status,
        hours_attended=None if hours is None else Decimal(hours),
        attendance=Enrolment.Attendance.PRESENT if recorded else "",
        attendance_recorded_at=timezone.now() if recorded else None,
        score=score,
    )


def person_of(user: User) -> Person:
    return Person.objects.get(user=user)


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A running SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    with running_mailbox(settings, from_email="Noturība <macibas@noturiba.example.lv>") as box:
        yield box
