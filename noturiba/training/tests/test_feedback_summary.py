"""Feedback summed up: per session (for its trainers and coordinators) and per trainer across
their sessions (for that trainer and coordinators); averages and counts checked by hand,
comments without names, one query per summary."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.models import Feedback, TrainingSession
from noturiba.training.selectors import attendance as selectors
from noturiba.training.tests.attendance_support import enrol, make_session, other_trainer

pytestmark = pytest.mark.django_db

AUTHOR = "Komentāru Autore"  # an attendee's name: never on a summary


def answered(
    session: TrainingSession,
    overall: int,
    content: int,
    trainer: int,
    relevance: int,
    comments: str = "",
) -> Feedback:
    enrolment = enrol(session, name=AUTHOR, attendance="present", hours_attended=Decimal(6))
    return Feedback.objects.create(
        enrolment=enrolment,
        overall=overall,
        content=content,
        trainer=trainer,
        relevance=relevance,
        comments=comments,
    )


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    session = make_session(trainers=[trainer], starts_in=datetime.timedelta(days=-3))
    answered(session, 5, 4, 5, 3, "Ļoti noderīgi")
    answered(session, 4, 4, 5, 2)
    answered(session, 4, 2, 3, 1, "Par ātru")
    return session


def test_the_session_summary_by_hand(session: TrainingSession) -> None:
    summary = selectors.session_feedback_summary(session)
    assert summary.answers == 3
    by_question = {q.question: (q.average, q.counts) for q in summary.questions}
    assert by_question == {
        "overall": (Decimal("4.33"), (0, 0, 0, 2, 1)),
        "content": (Decimal("3.33"), (0, 1, 0, 2, 0)),
        "trainer": (Decimal("4.33"), (0, 0, 1, 0, 2)),
        "relevance": (Decimal("2.00"), (1, 1, 1, 0, 0)),
    }


def test_an_empty_summary(trainer: User) -> None:
    summary = selectors.session_feedback_summary(make_session(trainers=[trainer]))
    assert summary.answers == 0
    assert all(q.average is None and q.counts == (0,) * 5 for q in summary.questions)


def test_a_summary_is_one_query(session: TrainingSession, trainer: User) -> None:
    with CaptureQueriesContext(connection) as queries:
        selectors.session_feedback_summary(session)
        selectors.trainer_feedback_summary(trainer)
    assert len(queries) == 2


def test_the_trainer_summary_spans_their_sessions_only(
    trainer: User, session: TrainingSession
) -> None:
    second = make_session(trainers=[trainer], starts_in=datetime.timedelta(days=-10))
    answered(second, 1, 1, 1, 1)
    someone_else = make_session(trainers=[other_trainer()], starts_in=datetime.timedelta(days=-5))
    answered(someone_else, 5, 5, 5, 5)
    summary = selectors.trainer_feedback_summary(trainer)
    assert summary.answers == 4
    overall = summary.questions[0]
    assert overall.average == Decimal("3.50")  # (5 + 4 + 4 + 1) / 4
    assert overall.counts == (1, 0, 0, 2, 1)
    rows = list(selectors.trainer_sessions_feedback(trainer))
    assert [(row.pk, row.answers) for row in rows] == [(session.pk, 3), (second.pk, 1)]  # type: ignore[attr-defined]
    assert f"{rows[0].overall_avg:.2f}" == "4.33"  # type: ignore[attr-defined]


def test_the_session_page_shows_figures_and_comments_without_names(
    trainer: User, session: TrainingSession, english: None
) -> None:
    page = client_for(trainer).get(reverse("training:feedback_summary", args=[session.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 answers." in text
    assert "Ļoti noderīgi" in text and "Par ātru" in text
    assert AUTHOR not in text
    assert "4.33" in text


def test_the_trainer_page(trainer: User, session: TrainingSession, english: None) -> None:
    page = client_for(trainer).get(reverse("training:trainer_feedback", args=[trainer.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "3 answers in all." in text
    assert session.display_title in text
    assert AUTHOR not in text and "Ļoti noderīgi" not in text


def test_pages_read_in_a_fixed_number_of_queries(trainer: User, session: TrainingSession) -> None:
    client = client_for(trainer)
    urls = [
        reverse("training:feedback_summary", args=[session.pk]),
        reverse("training:trainer_feedback", args=[trainer.pk]),
    ]
    for url in urls:
        client.get(url)
    counts = []
    for more in (False, True):
        if more:
            for number in range(5):
                answered(session, 3, 3, 3, 3, f"Komentārs {number}")
                days = datetime.timedelta(days=-20 - number)
                other = make_session(trainers=[trainer], starts_in=days)
                answered(other, 2, 2, 2, 2)
        with CaptureQueriesContext(connection) as queries:
            for url in urls:
                assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- Who sees what --------------------------------------------------------------------------


def get(client: Client, url: str) -> int:
    response = client.get(url)
    if response.status_code != 200:
        assert "Ļoti noderīgi".encode() not in response.content
        assert AUTHOR.encode() not in response.content
    return response.status_code


def test_a_coordinator_sees_both(
    client_coordinator: Client, trainer: User, session: TrainingSession
) -> None:
    client = client_coordinator
    assert get(client, reverse("training:feedback_summary", args=[session.pk])) == 200
    assert get(client, reverse("training:trainer_feedback", args=[trainer.pk])) == 200


@pytest.mark.parametrize("who", ["admin_a", "member_a", "officer", "other_trainer"])
def test_others_are_refused(
    who: str, request: pytest.FixtureRequest, trainer: User, session: TrainingSession
) -> None:
    user = other_trainer() if who == "other_trainer" else request.getfixturevalue(who)
    client = client_for(user)
    assert get(client, reverse("training:feedback_summary", args=[session.pk])) == 403
    assert get(client, reverse("training:trainer_feedback", args=[trainer.pk])) == 403


def test_an_attendee_does_not_see_the_summary(member_a: User, session: TrainingSession) -> None:
    enrol(session, person=member_a.person, attendance="present", hours_attended=Decimal(6))
    assert get(client_for(member_a), reverse("training:feedback_summary", args=[session.pk])) == 403


def test_anonymous_visitors_are_sent_to_sign_in(trainer: User, session: TrainingSession) -> None:
    for url in (
        reverse("training:feedback_summary", args=[session.pk]),
        reverse("training:trainer_feedback", args=[trainer.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_who_is_no_trainer_has_no_trainer_page(
    client_coordinator: Client, admin_a: User
) -> None:
    for user_id in (admin_a.pk, 999999):
        url = reverse("training:trainer_feedback", args=[user_id])
        assert client_coordinator.get(url).status_code == 404
