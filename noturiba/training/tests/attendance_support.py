"""Test data for attendance, sign-in sheet and feedback tests, made directly in the database
(not through the actions of other areas): a course of two modules (2 + 4 = 6 hours), a session
that started an hour ago (or as told), and confirmed participants with names that must never
show to outsiders."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.conftest import make_user
from noturiba.network.models import Person
from noturiba.training.models import Course, CourseModule, Enrolment, Module, TrainingSession

SECRET_NAME = "Slepenā Dalībniece"  # a participant's name: never in a refusal
COURSE_HOURS = Decimal(6)


def make_course(*, pass_mark: int | None = 70, code: str = "att_course") -> Course:
    course, created = Course.objects.get_or_create(
        code=code,
        defaults={
            "name_lv": "Krīžu gatavība",
            "name_en": "Crisis readiness",
            "pass_mark": pass_mark,
        },
    )
    if created:
        for position, (module_code, hours) in enumerate((("att_m1", 2), ("att_m2", 4))):
            module, _ = Module.objects.get_or_create(
                code=module_code,
                defaults={"name_lv": module_code, "name_en": module_code, "hours": Decimal(hours)},
            )
            CourseModule.objects.create(course=course, module=module, position=position)
    return course


def make_session(
    *,
    trainers: list[User] | None = None,
    starts_in: datetime.timedelta = datetime.timedelta(hours=-1),
    hours: int = 6,
    pass_mark: int | None = 70,
    course_code: str = "att_course",
    **extra: Any,
) -> TrainingSession:
    course = make_course(pass_mark=pass_mark, code=course_code)
    starts = timezone.now().replace(microsecond=0) + starts_in
    values: dict[str, Any] = {
        "course": course,
        "title": "Gatavības mācības Ogrē",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "capacity": 30,
        "status": TrainingSession.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(extra)
    session = TrainingSession.objects.create(**values)
    session.trainers.set(trainers or [])
    return session


def enrol(
    session: TrainingSession,
    *,
    name: str = SECRET_NAME,
    email: str = "",
    person: Person | None = None,
    status: str = Enrolment.Status.CONFIRMED,
    **extra: Any,
) -> Enrolment:
    if person is None:
        number = Person.objects.count() + 1
        person = Person.objects.create(
            full_name=name, email=email or f"dalibnieks{number}@example.org"
        )
    return Enrolment.objects.create(session=session, person=person, status=status, **extra)


def other_trainer() -> User:
    return make_user("cits.trenere@noturiba.example", full_name="Otto Citstrenere", is_trainer=True)


def csv_bytes(rows: list[list[str]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode()
