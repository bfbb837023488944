"""Sessions for the session tests: the curriculum loaded, sessions made directly (not through
the actions under test), a second trainer, a client per named person."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.conftest import make_user
from noturiba.network.models import Municipality, Person
from noturiba.training.models import Course, Enrolment, TrainingSession
from noturiba.training.reference_data import load_curriculum

COURSE = "crisis_readiness_leaders"


def curriculum() -> Course:
    if not Course.objects.filter(code=COURSE).exists():
        load_curriculum()
    return Course.objects.get(code=COURSE)


def other_trainer() -> User:
    return make_user(
        "other.trainer@noturiba.example", full_name="Otto Citstrenere", is_trainer=True
    )


def make_session(
    *,
    title: str = "",
    status: str = TrainingSession.Status.PUBLISHED,
    days: int = 10,
    hours: int = 4,
    trainers: list[User] | None = None,
    municipality: str = "LV-067",
    course: str = COURSE,
    **extra: Any,
) -> TrainingSession:
    curriculum()
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=days)
    values: dict[str, Any] = {
        "course": Course.objects.get(code=course),
        "title": title,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "mode": TrainingSession.Mode.IN_PERSON,
        "venue": "Ogres novada kultūras centrs",
        "address": "Brīvības iela 15, Ogre",
        "municipality": Municipality.objects.get(code=municipality) if municipality else None,
        "capacity": 20,
        "language": "lv",
        "status": status,
        "published_at": timezone.now() if status != TrainingSession.Status.DRAFT else None,
    }
    values.update(extra)
    session = TrainingSession.objects.create(**values)
    session.trainers.set(trainers or [])
    return session


def enrol(session: TrainingSession, count: int, status: str = Enrolment.Status.CONFIRMED) -> None:
    start = Person.objects.count()
    for number in range(count):
        person = Person.objects.create(
            full_name=f"Dalībnieks {start + number}", email=f"p{start + number}@example.org"
        )
        Enrolment.objects.create(
            session=session,
            person=person,
            status=status,
            waitlisted_at=timezone.now() if status == Enrolment.Status.WAITLISTED else None,
        )
