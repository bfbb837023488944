"""Rows and a mailbox for the enrolment tests: a course of two modules and published sessions,
created directly (the curriculum and session actions belong to other parts of the training app),
and a real SMTP server on loopback (aiosmtpd) for the emails."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from noturiba.alerts.tests.conftest import Mailbox, running_mailbox
from noturiba.network.models import Person
from noturiba.training.models import Course, CourseModule, Module, TrainingSession

__all__ = ["Mailbox", "make_session", "mailbox", "person_of"]


def make_course(code: str = "resilience") -> Course:
    course = Course.objects.filter(code=code).first()
    if course is not None:
        return course
    course = Course.objects.create(
        code=code, name_lv="Personīgā noturība", name_en="Personal resilience"
    )
    for position, (lv, en) in enumerate(
        [("Trauksmes celšana", "Public alerting"), ("Patvertnes", "Shelters")]
    ):
        module = Module.objects.create(
            code=f"{code}-m{position}", name_lv=lv, name_en=en, hours=Decimal("3")
        )
        CourseModule.objects.create(course=course, module=module, position=position)
    return course


def make_session(**overrides: Any) -> TrainingSession:
    """A published in-person session of 2 places a week from now (2 hours long)."""
    starts_at = overrides.pop("starts_at", timezone.now() + datetime.timedelta(days=7))
    fields: dict[str, Any] = {
        "course": make_course(),
        "starts_at": starts_at,
        "ends_at": starts_at + datetime.timedelta(hours=2),
        "venue": "Ogres novada pašvaldība",
        "address": "Brīvības iela 33, Ogre",
        "capacity": 2,
        "status": TrainingSession.Status.PUBLISHED,
        "published_at": timezone.now(),
    }
    trainers = overrides.pop("trainers", [])
    session = TrainingSession.objects.create(**(fields | overrides))
    if trainers:
        session.trainers.set(trainers)
    return session


def person_of(user: Any) -> Person:
    return Person.objects.get(user=user)


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A running SMTP server on 127.0.0.1 with Django's SMTP backend pointed at it."""
    with running_mailbox(settings, from_email="Noturība <macibas@noturiba.example.lv>") as box:
        yield box
