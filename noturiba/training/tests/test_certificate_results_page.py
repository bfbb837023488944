"""A session's results page and closing it: the session's trainers and coordinators only."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from noturiba.accounts.models import User
from noturiba.conftest import client_for, make_user
from noturiba.training.models import Certificate, TrainingSession
from noturiba.training.tests.certificate_support import (
    enrol,
    make_course,
    make_person,
    make_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    session = make_session(make_course(), trainers=(trainer,))
    enrol(session, make_person("Anna Pabeidza"), hours="8", score=60)
    enrol(session, make_person("Pēteris Maz-Stundu"), hours="7.5", score=90)
    enrol(session, make_person("Rūta Zema-Atzīme"), hours="10", score=40)
    enrol(session, make_person("Kārlis Neatzīmēts"), hours=None, score=None)
    return session


@pytest.fixture
def client_trainer(trainer: User) -> Client:
    return client_for(trainer)


def _results(session: TrainingSession) -> str:
    return f"/training/sessions/{session.pk}/results/"


def _close(session: TrainingSession) -> str:
    return f"/training/sessions/{session.pk}/results/close/"


def _row(body: str, name: str) -> str:
    start = body.index(name)
    return body[start : body.index("</tr>", start)]


def test_the_trainer_sees_who_completed_and_why_not(
    client_trainer: Client, session: TrainingSession, english: None
) -> None:
    response = client_trainer.get(_results(session))

    assert response.status_code == 200
    body = response.content.decode()
    assert "needs at least 8.0 hours attended (80 %)" in body
    assert "pass mark is 60 %" in body
    assert "yes" in _row(body, "Anna Pabeidza")
    assert "hours short" in _row(body, "Pēteris Maz-Stundu")
    assert "score below the pass mark" in _row(body, "Rūta Zema-Atzīme")
    row = _row(body, "Kārlis Neatzīmēts")
    assert "attendance not recorded" in row
    assert "no assessment score recorded" in row
    assert _close(session) in body


def test_closing_asks_first_then_issues(
    client_trainer: Client, session: TrainingSession, english: None
) -> None:
    confirm = client_trainer.get(_close(session))
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert Certificate.objects.count() == 0

    response = client_trainer.post(_close(session))

    assert response.status_code == 302
    assert response["Location"] == _results(session)
    [certificate] = Certificate.objects.all()
    assert certificate.holder_name == "Anna Pabeidza"
    page = client_trainer.get(_results(session)).content.decode()
    assert "1 certificate issued" in page
    assert certificate.code in _row(page, "Anna Pabeidza")
    assert "Results were closed on" in page


def test_closing_again_issues_nothing_twice(
    client_trainer: Client, session: TrainingSession
) -> None:
    client_trainer.post(_close(session))
    client_trainer.post(_close(session))

    assert Certificate.objects.count() == 1


def test_a_session_not_ended_says_so(client_trainer: Client, trainer: User, english: None) -> None:
    session = make_session(
        make_course(), trainers=(trainer,), ends_at=timezone.now() + datetime.timedelta(days=1)
    )
    enrol(session, make_person())

    response = client_trainer.post(_close(session))

    assert response.status_code == 400
    assert "once the session has ended" in response.content.decode()
    assert Certificate.objects.count() == 0


def test_a_coordinator_may_close(client_coordinator: Client, session: TrainingSession) -> None:
    assert client_coordinator.get(_results(session)).status_code == 200
    assert client_coordinator.post(_close(session)).status_code == 302
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize("who", ["admin_a", "member_a", "admin_b", "officer", "other_trainer"])
def test_anyone_else_gets_a_404_and_nothing_changes(
    who: str, request: pytest.FixtureRequest, session: TrainingSession
) -> None:
    if who == "other_trainer":
        client = client_for(make_user("other.trainer@noturiba.example", is_trainer=True))
    else:
        client = client_for(request.getfixturevalue(who))

    for response in (
        client.get(_results(session)),
        client.get(_close(session)),
        client.post(_close(session)),
    ):
        assert response.status_code == 404
        assert "Pabeidza" not in response.content.decode()
    assert Certificate.objects.count() == 0
    session.refresh_from_db()
    assert session.results_closed_at is None


def test_anonymous_visitors_are_asked_to_sign_in(client: Client, session: TrainingSession) -> None:
    for response in (client.get(_results(session)), client.post(_close(session))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert Certificate.objects.count() == 0


def test_an_unknown_session_is_a_404(client_coordinator: Client) -> None:
    assert client_coordinator.get("/training/sessions/999999/results/").status_code == 404
    assert client_coordinator.post("/training/sessions/999999/results/close/").status_code == 404


def test_the_results_read_a_fixed_number_of_queries(
    trainer: User, django_assert_num_queries: Any
) -> None:
    session = make_session(make_course(), trainers=(trainer,))
    for number in range(60):
        enrol(session, make_person(f"Dalībnieks {number:02}"), hours="9", score=80)
    client = client_for(trainer)
    client.post(_close(session))
    client.get(_results(session))  # warm the session

    # session, user, roles (2), the session and its trainers, course hours, count, page
    with django_assert_num_queries(8):
        response = client.get(_results(session) + "?page=2")

    assert response.status_code == 200
    assert len(re.findall(r"/verify/[0-9A-Z]", response.content.decode())) == 10
