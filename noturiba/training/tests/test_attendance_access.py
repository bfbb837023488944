"""Who may open the attendance pages, the marks endpoint, the sign-in sheet and the feedback
summary: from the outside, for each of the named people."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from noturiba.accounts.models import User
from noturiba.conftest import client_for
from noturiba.training.models import Enrolment, TrainingSession
from noturiba.training.tests.attendance_support import (
    SECRET_NAME,
    enrol,
    make_session,
    other_trainer,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "training:attendance",
    "training:sign_in_sheet",
    "training:sign_in_sheet_template",
    "training:feedback_summary",
]


@pytest.fixture
def session(trainer: User) -> TrainingSession:
    session = make_session(trainers=[trainer])
    enrol(session)
    return session


def get(client: Client, name: str, session: TrainingSession) -> int:
    response = client.get(reverse(name, args=[session.pk]))
    if response.status_code != 200:
        assert SECRET_NAME.encode() not in response.content
    return response.status_code


def post_mark(client: Client, session: TrainingSession) -> int:
    enrolment = session.enrolments.get()
    response = client.post(
        reverse("training:attendance_marks", args=[session.pk]),
        json.dumps({"marks": [{"enrolment": enrolment.pk, "attendance": "present"}]}),
        content_type="application/json",
    )
    assert SECRET_NAME.encode() not in response.content
    return response.status_code


def test_a_coordinator_opens_everything(
    client_coordinator: Client, session: TrainingSession
) -> None:
    assert [get(client_coordinator, name, session) for name in PAGES] == [200] * 4
    assert (
        SECRET_NAME
        in client_coordinator.get(
            reverse("training:attendance", args=[session.pk])
        ).content.decode()
    )
    assert post_mark(client_coordinator, session) == 200


def test_the_sessions_trainer_opens_everything(trainer: User, session: TrainingSession) -> None:
    client = client_for(trainer)
    assert [get(client, name, session) for name in PAGES] == [200] * 4
    assert post_mark(client, session) == 200


@pytest.mark.parametrize("who", ["admin_a", "member_a", "officer", "other_trainer"])
def test_others_are_refused_a_published_session(
    who: str, request: pytest.FixtureRequest, session: TrainingSession
) -> None:
    user = other_trainer() if who == "other_trainer" else request.getfixturevalue(who)
    client = client_for(user)
    assert [get(client, name, session) for name in PAGES] == [403] * 4
    assert post_mark(client, session) == 403
    assert session.enrolments.get().attendance == ""


@pytest.mark.parametrize("who", ["admin_a", "member_a", "officer", "other_trainer"])
def test_a_draft_session_is_not_found_for_others(
    who: str, request: pytest.FixtureRequest, trainer: User
) -> None:
    session = make_session(
        trainers=[trainer], status=TrainingSession.Status.DRAFT, published_at=None
    )
    enrol(session)
    user = other_trainer() if who == "other_trainer" else request.getfixturevalue(who)
    client = client_for(user)
    assert [get(client, name, session) for name in PAGES] == [404] * 4
    assert post_mark(client, session) == 404


def test_anonymous_visitors_are_sent_to_sign_in(session: TrainingSession) -> None:
    client = Client()
    for name in PAGES:
        response = client.get(reverse(name, args=[session.pk]))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("accounts:login"))
    assert post_mark(client, session) == 302
    assert session.enrolments.get().attendance == ""


def test_an_organisation_admin_cannot_mark_their_own_person(
    admin_a: User, session: TrainingSession
) -> None:
    """Enrolling someone is not running the session."""
    enrolment = enrol(session, person=admin_a.person)
    response = client_for(admin_a).post(
        reverse("training:attendance_marks", args=[session.pk]),
        json.dumps({"marks": [{"enrolment": enrolment.pk, "attendance": "present"}]}),
        content_type="application/json",
    )
    assert response.status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.attendance == ""


def test_a_missing_session_is_not_found(client_coordinator: Client) -> None:
    for name in PAGES:
        assert client_coordinator.get(reverse(name, args=[999999])).status_code == 404


def test_the_enrolment_of_another_session_cannot_be_marked(
    trainer: User, session: TrainingSession
) -> None:
    other = make_session()
    stranger = enrol(other, name="Svešs")
    response = client_for(trainer).post(
        reverse("training:attendance_marks", args=[session.pk]),
        json.dumps({"marks": [{"enrolment": stranger.pk, "attendance": "present"}]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Svešs" not in response.content.decode()
    stranger.refresh_from_db()
    assert stranger.attendance == ""
    assert Enrolment.objects.filter(attendance="").count() == 2
