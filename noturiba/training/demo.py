"""Demo training sessions for ``make run``: a handful around the country, one past, some people.

Called by ``noturiba demo_training`` (and by ``noturiba setup`` after the demo network). The
same seed gives the same enrolments. Sessions have no demo flag of their own: the command adds
them only to a database without sessions, and their people are the demo network's people
(``is_demo``), whose deletion takes their enrolments with them. Rows are written directly, in a
few bulk statements, not through the actions: nothing here happened, so nothing is audited or
mailed.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.network.models import Municipality, Organisation, Person
from noturiba.training.models import Course, Enrolment, TrainingSession
from noturiba.training.reference_data import load_curriculum

RIGA = timezone.get_default_timezone()

TRAINERS = [
    ("ieva.kalnina.trenere@noturiba.example", "Ieva Kalniņa"),
    ("andris.ozolins.treneris@noturiba.example", "Andris Ozoliņš"),
]


@dataclass(frozen=True)
class DemoSession:
    course: str
    municipality: str
    days: int  # from today, at 10:00 Riga time
    hours: int
    capacity: int
    venue: str = ""
    address: str = ""
    mode: str = TrainingSession.Mode.IN_PERSON
    online_url: str = ""
    language: str = "lv"
    step_free: bool = False
    toilet: bool = False
    loop: bool = False
    title: str = ""
    enrolled: int = 0  # how many demo people; beyond capacity they wait


SESSIONS = [
    DemoSession(
        "crisis_readiness_leaders",
        "LV-RIX",
        9,
        7,
        30,
        venue="Rīgas Tehniskās universitātes Zinātnes un inovāciju centrs",
        address="Ķīpsalas iela 6A, Rīga",
        step_free=True,
        toilet=True,
        loop=True,
        enrolled=22,
    ),
    DemoSession(
        "crisis_readiness_leaders",
        "LV-DGV",
        16,
        7,
        20,
        venue="Daugavpils Vienības nams",
        address="Rīgas iela 22A, Daugavpils",
        step_free=True,
        toilet=True,
        language="ru",
        enrolled=24,
    ),
    DemoSession(
        "crisis_readiness_leaders",
        "LV-LPX",
        23,
        7,
        25,
        venue="Liepājas Universitāte",
        address="Lielā iela 14, Liepāja",
        step_free=True,
        enrolled=11,
    ),
    DemoSession(
        "refresher_civil_protection",
        "LV-113",
        12,
        4,
        15,
        venue="Valmieras Kultūras centrs",
        address="Rīgas iela 10, Valmiera",
        step_free=True,
        toilet=True,
        enrolled=9,
    ),
    DemoSession(
        "refresher_civil_protection",
        "LV-REZ",
        30,
        4,
        15,
        venue="Latgales vēstniecība GORS",
        address="Pils iela 4, Rēzekne",
        step_free=True,
        toilet=True,
        loop=True,
        enrolled=3,
    ),
    DemoSession(
        "refresher_resilience",
        "",
        19,
        3,
        60,
        mode=TrainingSession.Mode.ONLINE,
        online_url="https://meet.noturiba.example/noturiba-atkartojums",
        enrolled=35,
    ),
    DemoSession(
        "refresher_resilience",
        "LV-067",
        40,
        3,
        20,
        mode=TrainingSession.Mode.HYBRID,
        venue="Ogres novada Centrālā bibliotēka",
        address="Brīvības iela 11, Ogre",
        online_url="https://meet.noturiba.example/ogre",
        step_free=True,
        language="en",
        title="Information resilience refresher (in English)",
        enrolled=6,
    ),
]
PAST = DemoSession(
    "crisis_readiness_leaders",
    "LV-JEL",
    -45,
    7,
    20,
    venue="Jelgavas Zinātnes un inovāciju centrs",
    address="Akadēmijas iela 1, Jelgava",
    step_free=True,
    toilet=True,
    enrolled=18,
)


@dataclass(frozen=True)
class TrainingDemoSummary:
    sessions: int
    enrolments: int
    skipped: bool


def _trainers() -> list[User]:
    trainers = []
    for email, name in TRAINERS:
        user, _created = User.objects.get_or_create(
            email=email,
            defaults={"full_name": name, "is_trainer": True, "password": make_password(None)},
        )
        trainers.append(user)
    return trainers


def _at_ten(days: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=RIGA)


def _session(
    spec: DemoSession,
    courses: dict[str, Course],
    municipalities: dict[str, Any],
    issuer: Organisation | None,
    now: datetime.datetime,
) -> TrainingSession:
    starts = _at_ten(spec.days)
    return TrainingSession(
        course=courses[spec.course],
        title=spec.title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=spec.hours),
        mode=spec.mode,
        venue=spec.venue,
        address=spec.address,
        municipality=municipalities.get(spec.municipality),
        online_url=spec.online_url,
        capacity=spec.capacity,
        language=spec.language,
        step_free_access=spec.step_free,
        accessible_toilet=spec.toilet,
        hearing_loop=spec.loop,
        registration_deadline=starts - datetime.timedelta(days=2),
        issuing_organisation=issuer,
        status=TrainingSession.Status.PUBLISHED,
        published_at=min(now, starts - datetime.timedelta(days=30)),
        created_at=min(now, starts - datetime.timedelta(days=31)),
        updated_at=min(now, starts - datetime.timedelta(days=30)),
    )


@transaction.atomic
def generate_training_demo(*, seed: int = 2026) -> TrainingDemoSummary:
    """Add the demo sessions and enrolments, unless the database already has sessions."""
    if TrainingSession.objects.exists():
        return TrainingDemoSummary(sessions=0, enrolments=0, skipped=True)
    if not Course.objects.exists():
        load_curriculum()
    now = timezone.now()
    rng = random.Random(seed)
    courses = {course.code: course for course in Course.objects.all()}
    codes = {spec.municipality for spec in [*SESSIONS, PAST] if spec.municipality}
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    issuer = Organisation.objects.filter(is_demo=True).order_by("id").first()
    trainers = _trainers()
    specs = [*SESSIONS, PAST]
    sessions = TrainingSession.objects.bulk_create(
        [_session(spec, courses, municipalities, issuer, now) for spec in specs]
    )
    links = TrainingSession.trainers.through
    links.objects.bulk_create(
        links(trainingsession_id=session.pk, user_id=trainers[number % len(trainers)].pk)
        for number, session in enumerate(sessions)
    )
    people = list(Person.objects.filter(is_demo=True).order_by("id").values_list("pk", flat=True))
    enrolments: list[Enrolment] = []
    for spec, session in zip(specs, sessions, strict=True):
        chosen = rng.sample(people, min(spec.enrolled, len(people)))
        # Enrolled a minute apart after publication, all in the past (the waiting list's order).
        base = min(session.published_at or now, now - datetime.timedelta(days=1))
        for place, person_id in enumerate(chosen):
            at = base + datetime.timedelta(minutes=place)
            confirmed = place < spec.capacity
            past = session.ends_at <= now
            enrolments.append(
                Enrolment(
                    session=session,
                    person_id=person_id,
                    status=Enrolment.Status.CONFIRMED if confirmed else Enrolment.Status.WAITLISTED,
                    created_at=at,
                    status_changed_at=at,
                    waitlisted_at=None if confirmed else at,
                    attendance=Enrolment.Attendance.PRESENT if past and confirmed else "",
                    hours_attended=Decimal(spec.hours) if past and confirmed else None,
                    attendance_recorded_at=session.ends_at if past and confirmed else None,
                )
            )
    Enrolment.objects.bulk_create(enrolments)
    return TrainingDemoSummary(sessions=len(sessions), enrolments=len(enrolments), skipped=False)
