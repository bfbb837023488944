"""Test data of the knowledge pages, written directly (not through other helpers' actions):
competencies and a course conferring them, sessions, certificates and competency grants.

- ``first_aid`` expires after 24 months, ``psychological`` after 12, ``civil_protection`` never;
- ``course`` (one module per competency) confers all three; ``refresher`` only first aid.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import cache
from django.utils import timezone

from noturiba.alerts.tests.conftest import Mailbox, free_port
from noturiba.network.models import Membership, Municipality, Organisation, Person
from noturiba.training.models import (
    Certificate,
    Competency,
    CompetencyGrant,
    CompetencyMatrixSnapshot,
    Course,
    CourseModule,
    Enrolment,
    Feedback,
    Module,
    TrainingSession,
)
from noturiba.training.tasks import refresh_competency_matrix


@dataclass
class Curriculum:
    first_aid: Competency
    psychological: Competency
    civil_protection: Competency
    course: Course
    refresher: Course

    @property
    def competencies(self) -> list[Competency]:
        return [self.first_aid, self.psychological, self.civil_protection]


def make_curriculum() -> Curriculum:
    first_aid = Competency.objects.create(
        code="k-first-aid",
        name_lv="Pirmā palīdzība",
        name_en="First aid",
        validity_months=24,
        sort_order=1,
    )
    psychological = Competency.objects.create(
        code="k-psy",
        name_lv="Psiholoģiskā pirmā palīdzība",
        name_en="Psychological first aid",
        validity_months=12,
        sort_order=2,
    )
    civil = Competency.objects.create(
        code="k-civil",
        name_lv="Civilā aizsardzība",
        name_en="Civil protection",
        validity_months=None,
        sort_order=3,
    )
    modules = []
    for competency in (first_aid, psychological, civil):
        module = Module.objects.create(
            code=f"m-{competency.code}",
            name_lv=f"Modulis {competency.name_lv}",
            name_en=f"Module {competency.name_en}",
            hours=Decimal(4),
        )
        module.competencies.set([competency])
        modules.append(module)
    course = Course.objects.create(code="k-course", name_lv="Kurss", name_en="Course")
    for position, module in enumerate(modules):
        CourseModule.objects.create(course=course, module=module, position=position)
    refresher = Course.objects.create(
        code="k-refresher", name_lv="Atkārtojums", name_en="Refresher"
    )
    CourseModule.objects.create(course=refresher, module=modules[0], position=0)
    return Curriculum(first_aid, psychological, civil, course, refresher)


@pytest.fixture
def curriculum(db: None) -> Curriculum:
    return make_curriculum()


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def make_organisation(name: str, code: str) -> Organisation:
    return Organisation.objects.create(name=name, municipality=municipality(code))


def make_person(name: str, *organisations: Organisation, email: str = "") -> Person:
    person = Person.objects.create(full_name=name, email=email)
    for organisation in organisations:
        Membership.objects.create(person=person, organisation=organisation)
    return person


def make_session(
    course: Course,
    *,
    starts_in_days: int = 14,
    municipality_code: str | None = None,
    mode: str = TrainingSession.Mode.IN_PERSON,
    status: str = TrainingSession.Status.PUBLISHED,
    capacity: int = 10,
    title: str = "",
    **extra: Any,
) -> TrainingSession:
    starts = timezone.now() + datetime.timedelta(days=starts_in_days)
    return TrainingSession.objects.create(
        course=course,
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        municipality=municipality(municipality_code) if municipality_code else None,
        mode=mode,
        status=status,
        capacity=capacity,
        published_at=timezone.now() if status != TrainingSession.Status.DRAFT else None,
        **extra,
    )


def attend(
    session: TrainingSession,
    person: Person,
    attendance: str = Enrolment.Attendance.PRESENT,
    hours: Decimal | None = Decimal(4),
) -> Enrolment:
    return Enrolment.objects.create(
        session=session,
        person=person,
        status=Enrolment.Status.CONFIRMED,
        attendance=attendance,
        hours_attended=hours,
    )


def make_certificate(
    person: Person,
    course: Course,
    *,
    revoked: bool = False,
    completed_on: datetime.date | None = None,
) -> Certificate:
    session = make_session(course, starts_in_days=-30, title=f"Past {course.code}")
    enrolment = attend(session, person)
    return Certificate.objects.create(
        enrolment=enrolment,
        person=person,
        course=course,
        holder_name=person.full_name,
        course_name_lv=course.name_lv,
        course_name_en=course.name_en,
        hours=Decimal(4),
        issuer_name="Noturība",
        completed_on=completed_on or days(-30),
        revoked_at=timezone.now() if revoked else None,
        revocation_reason="Kļūda" if revoked else "",
    )


def grant(
    person: Person,
    competency: Competency,
    *,
    valid_until: datetime.date | None,
    acquired_on: datetime.date | None = None,
    certificate: Certificate | None = None,
) -> CompetencyGrant:
    acquired = acquired_on or min(valid_until or days(-400), days(-400))
    return CompetencyGrant.objects.create(
        person=person,
        competency=competency,
        acquired_on=acquired,
        valid_until=valid_until,
        certificate=certificate,
    )


def feedback(enrolment: Enrolment, overall: int, others: int = 4) -> Feedback:
    return Feedback.objects.create(
        enrolment=enrolment, overall=overall, content=others, trainer=others, relevance=others
    )


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    """A running SMTP server (aiosmtpd) on 127.0.0.1 with Django's SMTP backend pointed at it."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "Noturība <macibas@noturiba.example.lv>"
    yield handler
    controller.stop()


def refresh_matrix() -> CompetencyMatrixSnapshot:
    """Run the worker's refresh task here and now; the snapshot it saved."""
    return CompetencyMatrixSnapshot.objects.get(pk=refresh_competency_matrix.call())


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """The chart figures are cached: every test starts and ends without."""
    cache.clear()
    yield
    cache.clear()
