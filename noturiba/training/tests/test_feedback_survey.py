"""The attendee's feedback survey: only for someone who attended, after the session ended;
ratings 1–5; answering again replaces the answer."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.actions.attendance import give_feedback
from noturiba.training.models import Enrolment, Feedback, TrainingSession
from noturiba.training.tests.attendance_support import enrol, make_session

pytestmark = pytest.mark.django_db

RATINGS = {"overall": 5, "content": 4, "trainer": 3, "relevance": 2}


@pytest.fixture
def ended(trainer: User) -> TrainingSession:
    return make_session(trainers=[trainer], starts_in=datetime.timedelta(days=-1), hours=6)


@pytest.fixture
def attendee(member_a: User, ended: TrainingSession) -> Enrolment:
    return enrol(ended, person=member_a.person, attendance="present", hours_attended=Decimal(6))


def url(session: TrainingSession) -> str:
    return reverse("training:feedback", args=[session.pk])


def answer(**values: Any) -> dict[str, Any]:
    return {**RATINGS, "comments": "Noderīgi.", **values}


def test_an_attendee_answers_and_answering_again_updates(
    member_a: User, attendee: Enrolment, english: None
) -> None:
    client = client_for(member_a)
    page = client.get(url(attendee.session)).content.decode()
    assert "<legend>Overall, how good was the training?</legend>" in page
    response = client.post(url(attendee.session), answer())
    assert response.status_code == 302
    assert "Thank you" in client.get(response["Location"]).content.decode()
    response = client.post(url(attendee.session), answer(overall=1, comments=""))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.overall, feedback.content, feedback.comments) == (1, 4, "")
    assert feedback.enrolment == attendee
    assert "You answered already" in client.get(url(attendee.session)).content.decode()


def test_a_partly_present_attendee_answers_too(member_a: User, ended: TrainingSession) -> None:
    enrol(ended, person=member_a.person, attendance="partial", hours_attended=Decimal(2))
    assert client_for(member_a).post(url(ended), answer()).status_code == 302
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "values",
    [
        {"overall": 0},
        {"overall": 6},
        {"content": "abc"},
        {"trainer": ""},
        {"relevance": -1},
        {"comments": "x" * 4001},
    ],
)
def test_bad_answers_are_refused(
    member_a: User, attendee: Enrolment, values: dict[str, Any]
) -> None:
    response = client_for(member_a).post(url(attendee.session), answer(**values))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("ratings", [{**RATINGS, "overall": 6}, {**RATINGS, "trainer": 0}, {}])
def test_the_action_checks_ratings_itself(
    member_a: User, attendee: Enrolment, ratings: dict[str, int]
) -> None:
    with pytest.raises(ValidationError):
        give_feedback(member_a, enrolment=attendee, ratings=ratings)
    assert not Feedback.objects.exists()


def test_before_the_session_ends_the_survey_is_closed(
    member_a: User, trainer: User, english: None
) -> None:
    running = make_session(trainers=[trainer], starts_in=datetime.timedelta(hours=-1), hours=6)
    enrol(running, person=member_a.person, attendance="present", hours_attended=Decimal(6))
    response = client_for(member_a).post(url(running), answer())
    assert response.status_code == 403
    assert "The survey opens when the session has ended." in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("attendance", ["absent", ""])
def test_someone_who_did_not_attend_cannot_answer(
    member_a: User, ended: TrainingSession, attendance: str, english: None
) -> None:
    enrol(ended, person=member_a.person, attendance=attendance)
    response = client_for(member_a).post(url(ended), answer())
    assert response.status_code == 403
    assert "Only people who attended" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_waitlisted_person_is_not_an_attendee(member_a: User, ended: TrainingSession) -> None:
    enrol(ended, person=member_a.person, status=Enrolment.Status.WAITLISTED)
    assert client_for(member_a).post(url(ended), answer()).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "trainer", "admin_a", "officer", "admin_b"])
def test_nobody_answers_for_someone_else(
    who: str, request: pytest.FixtureRequest, attendee: Enrolment
) -> None:
    """Not even the attendee's organisation admin, the trainer or a coordinator: the form is
    the attendee's own (404: they have no enrolment of their own there)."""
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(url(attendee.session)).status_code == 404
    assert client.post(url(attendee.session), answer()).status_code == 404
    with pytest.raises(PermissionDenied):
        give_feedback(user, enrolment=attendee, ratings=RATINGS)
    assert not Feedback.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(attendee: Enrolment) -> None:
    response = Client().post(url(attendee.session), answer())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not Feedback.objects.exists()
