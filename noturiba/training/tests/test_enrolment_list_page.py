"""A session's enrolment list (confirmed, waiting list, cancelled), its CSV, and "My trainings"."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.network.models import Person
from noturiba.training.actions.enrolment import cancel_enrolment, enrol_person
from noturiba.training.models import TrainingSession
from noturiba.training.tests.enrolment_support import make_session, person_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_session(coordinator: User, trainer: User) -> TrainingSession:
    """Two confirmed, two waiting, one cancelled (3 places, then one cancels)."""
    session = make_session(capacity=2, trainers=[trainer])
    people = [
        Person.objects.create(full_name=name, email=f"p{n}@x.lv", phone=f"+3712000010{n}")
        for n, name in enumerate(["Anna", "=HYPERLINK(1)", "Cilda", "Dace", "Edgars"])
    ]
    enrolments = [enrol_person(coordinator, session=session, person=p) for p in people]
    cancel_enrolment(coordinator, enrolment=enrolments[0])  # Cilda is promoted
    return session


def test_the_trainer_sees_confirmed_waiting_and_cancelled(
    trainer: User, full_session: TrainingSession, english: None
) -> None:
    client = client_for(trainer)
    url = reverse("training:session_enrolments", args=[full_session.pk])

    confirmed = client.get(url).content.decode()
    waiting = client.get(url, {"status": "waitlisted"}).content.decode()
    cancelled = client.get(url, {"status": "cancelled"}).content.decode()

    assert "Cilda" in confirmed and "p2@x.lv" in confirmed and "Dace" not in confirmed
    assert "Confirmed (2)" in confirmed and "On the waiting list (2)" in confirmed
    assert waiting.index("Dace") < waiting.index("Edgars")
    assert "Anna" in cancelled and "Cilda" not in cancelled


def test_an_unknown_status_shows_the_confirmed(
    trainer: User, full_session: TrainingSession
) -> None:
    url = reverse("training:session_enrolments", args=[full_session.pk])

    response = client_for(trainer).get(url, {"status": "<script>", "page": "x"})

    assert response.status_code == 200
    assert "Cilda" in response.content.decode()


def test_the_list_costs_the_same_queries_for_many(
    coordinator: User, trainer: User, django_assert_max_num_queries: Any
) -> None:
    session = make_session(capacity=60, trainers=[trainer])
    for n in range(30):
        enrol_person(coordinator, session=session, person=Person.objects.create(full_name=f"P{n}"))
    client = client_for(trainer)
    url = reverse("training:session_enrolments", args=[session.pk])
    client.get(url)  # session, roles and templates warm

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.content.decode().count('<th scope="row">') == 25  # one page


def test_the_csv_has_the_confirmed_with_contacts_safe_for_spreadsheets(
    trainer: User, full_session: TrainingSession
) -> None:
    response = client_for(trainer).get(
        reverse("training:session_enrolments_csv", args=[full_session.pk])
    )

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[:3] for row in rows[1:]] == [
        ["'=HYPERLINK(1)", "p1@x.lv", "+37120000101"],
        ["Cilda", "p2@x.lv", "+37120000102"],
    ]


def test_others_may_not_see_the_list_or_the_csv(
    full_session: TrainingSession, admin_a: User, member_a: User, admin_b: User
) -> None:
    other_trainer = User.objects.create_user(
        "other.trainer@x.lv", "x", full_name="Cits Treneris", is_trainer=True
    )
    for user in (admin_a, member_a, admin_b, other_trainer):
        client = client_for(user)
        for name in ("session_enrolments", "session_enrolments_csv"):
            response = client.get(reverse(f"training:{name}", args=[full_session.pk]))
            assert response.status_code == 403, (user, name)
            assert "p2@x.lv" not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client: Client, full_session: TrainingSession) -> None:
    for name in ("session_enrolments", "session_enrolments_csv"):
        response = client.get(reverse(f"training:{name}", args=[full_session.pk]))
        assert response.status_code == 302


def test_my_trainings_lists_upcoming_and_past(
    member_a: User, coordinator: User, english: None
) -> None:
    person = person_of(member_a)
    upcoming = make_session(title="Nākamā")
    enrol_person(member_a, session=upcoming, person=person)
    past = make_session(title="Pagājusī")
    enrol_person(member_a, session=past, person=person)
    TrainingSession.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=10),
        ends_at=timezone.now() - datetime.timedelta(days=10, hours=-2),
    )
    make_session(title="Svešā")

    page = client_for(member_a).get(reverse("training:my_trainings")).content.decode()

    assert page.index("Nākamā") < page.index("Past") < page.index("Pagājusī")
    assert "Svešā" not in page


def test_my_trainings_costs_the_same_queries_for_many(
    member_a: User, django_assert_max_num_queries: Any
) -> None:
    person = person_of(member_a)
    for n in range(12):
        enrol_person(member_a, session=make_session(title=f"S{n}"), person=person)
    client = client_for(member_a)
    client.get(reverse("training:my_trainings"))

    with django_assert_max_num_queries(10):
        response = client.get(reverse("training:my_trainings"))

    assert "S11" in response.content.decode()


def test_my_trainings_without_a_person_record(trainer: User) -> None:
    response = client_for(trainer).get(reverse("training:my_trainings"))

    assert response.status_code == 200
